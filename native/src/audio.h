// Audio input/output: decoding with libsndfile, resampling with libsoxr, encoding for codec round-trips.
// Every function throws melguard::Error with a stable code on failure; none allocates without bound.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"

namespace melguard {

namespace codes {
// A clip shorter than windowing.minSeconds: no window can be made from it.
inline constexpr const char* kTooShort = "E_TOO_SHORT";
}  // namespace codes

struct AudioInfo {
  int sampleRate = 0;
  int channels = 0;
  int64_t frames = 0;       // per channel
  double duration = 0.0;    // seconds
  std::string format;       // e.g. "FLAC", "WAV", "MPEG"
  std::string subtype;      // e.g. "PCM_16", "FLOAT"
};

struct DecodeOptions {
  int targetSr = 0;         // 0 = keep the file's rate
  bool mono = true;         // mean of channels
  double offset = 0.0;      // seconds; seek, don't decode what is skipped
  double duration = -1.0;   // seconds; < 0 = to the end
  // Output bound (per channel) for whole-clip decoding: 2^30 frames = 4 GiB of float32, 18.6 h at 16 kHz.
  // Exceeding it -> E_TOO_LARGE, checked against the header before decoding and while streaming.
  int64_t maxFrames = int64_t(1) << 30;
};

struct DecodedAudio {
  std::vector<float> samples;  // interleaved when !mono
  int sampleRate = 0;
  int channels = 1;            // channels in `samples`
  double duration = 0.0;       // seconds of `samples`
};

AudioInfo ProbeAudio(const std::string& path);
DecodedAudio DecodeAudio(const std::string& path, const DecodeOptions& options);
// Same decoder over an in-memory buffer (HTTP uploads). `hint` is only used in messages.
DecodedAudio DecodeAudioBuffer(const uint8_t* data, size_t size, const DecodeOptions& options, const std::string& hint = "<buffer>");

// High-quality (soxr HQ) resampling of mono float samples.
std::vector<float> Resample(const float* samples, size_t n, double inRate, double outRate);

}  // namespace melguard
