// Spectrograms of consecutive, overlapping windows of one stream. Each window is an independent spectrogram
// (its own frames, zero padding at its own edges, its own dB reference), bit for bit what
// SpectrogramEngine::Compute gives for that window alone. Frames that lie wholly inside two consecutive windows
// are the same numbers in both, so their pre-scale values (mel power) are computed once and reused: with
// 4 s windows every 2 s this halves the FFT work.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine.h"

namespace melguard {

class EngineImpl;

namespace audio {

class WindowSpectrogram {
 public:
  WindowSpectrogram(const SpectrogramEngine& engine, size_t window, size_t hop);

  size_t Bins() const { return bins_; }
  size_t Frames() const { return frames_; }
  // Writes Bins() * Frames() values for the window x[0, window). `followsPrevious`: this window starts exactly
  // `hop` samples after the previous call's window (so shared frames may be reused).
  void Compute(const float* x, float* out, bool followsPrevious);

 private:
  bool Interior(size_t t) const;

  const SpectrogramEngine& engine_;
  const EngineImpl* impl_ = nullptr;  // null: no reuse possible, every window computed in full
  size_t window_, bins_, frames_;
  size_t shift_ = 0;                  // frames between consecutive windows (hop / hopLength), 0 = no reuse
  std::vector<float>& previous_;  // pre-scale values [bins][frames], per-thread storage reused across files
  std::vector<float>& current_;
  bool havePrevious_ = false;
};

}  // namespace audio
}  // namespace melguard
