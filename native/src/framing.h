// How librosa 0.11's stft frames a signal: frame t starts at t*hop in the padded signal; center=True pads
// nFft/2 samples on each side (zeros, or numpy 'reflect'), center=False does not pad at all.
#pragma once
#include <cstddef>
#include <cstdint>

#include "engine.h"

namespace melguard {

class Framer {
 public:
  Framer(int nFft, int hopLength, bool center, PadMode padMode);

  // 1 + (n + 2*(nFft/2) - nFft) / hop with center; 1 + (n - nFft) / hop without (0 when n < nFft).
  size_t Frames(size_t n) const;

  // The nFft samples of frame t. Interior frames point into x. A frame that reaches into the padding has its
  // span [from, from + count) (the part the window does not zero) written into buf, and buf is returned.
  const float* Frame(const float* x, size_t n, size_t t, float* buf, size_t from, size_t count) const;

 private:
  float PadValue(const float* x, size_t n, int64_t index) const;

  int64_t nFft_;
  int64_t hop_;
  int64_t padLeft_;
  bool center_;
  PadMode padMode_;
};

}  // namespace melguard
