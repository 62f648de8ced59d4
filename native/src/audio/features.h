// File -> features: stream-decode, resample to the spectrogram's rate, cut fixed-length windows and run the
// spectrogram engine on each as it completes. Only the current window's samples are held, so a long file
// needs memory for its features, not for its audio.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "audio.h"
#include "audio/reader.h"
#include "engine.h"

namespace melguard {
namespace audio {

struct WindowingSpec {
  bool whole = true;          // true: one spectrogram of the whole (offset/duration) clip
  double windowSeconds = 0;   // window length
  double hopSeconds = 0;      // hop between window starts
  int64_t maxWindows = 0;     // 0 = every window that fits
  double minSeconds = 0.5;    // clips shorter than one window are zero-padded if at least this long
};

struct FileFeatures {
  std::vector<float> data;    // [windows][bins][frames]
  size_t windows = 0, bins = 0, frames = 0;
  std::vector<std::pair<double, double>> spans;  // seconds from the clip start (after offset)
  double duration = 0;        // seconds of audio in the requested span
  int sampleRate = 0;         // rate the spectrogram ran at
  double decodeSeconds = 0, resampleSeconds = 0, spectrogramSeconds = 0;
  double audioSeconds = 0;    // seconds actually decoded (less than duration when stopped early)
};

// Throws melguard::Error (E_TOO_SHORT when no window can be made, E_EMPTY, decode errors...).
FileFeatures ComputeFileFeatures(Reader& reader, const DecodeOptions& decode, const SpectrogramEngine& engine,
                                 const WindowingSpec& windowing);

// Validates a windowing spec against a sample rate; returns {window, hop} in samples. Throws E_INVALID_ARG.
std::pair<int64_t, int64_t> WindowSamples(const WindowingSpec& windowing, int sampleRate);

}  // namespace audio
}  // namespace melguard
