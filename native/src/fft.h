// Forward real FFT through KissFFT (system library, float). kiss_fftr keeps scratch inside its cfg, so every
// thread owns its plan; odd sizes (which kiss_fftr rejects) go through the complex transform.
#pragma once
#include <kiss_fft.h>
#include <kiss_fftr.h>

#include <cstddef>
#include <vector>

namespace melguard {

class RealFft {
 public:
  explicit RealFft(int nFft);
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  // in: nFft floats; out: at least OutputSize() complex values, of which the first 1 + nFft/2 are the result.
  void Forward(const float* in, kiss_fft_cpx* out);
  size_t OutputSize() const { return real_ ? static_cast<size_t>(nFft_ / 2 + 1) : static_cast<size_t>(nFft_); }

 private:
  int nFft_;
  bool real_;
  std::vector<char> memory_;  // the cfg lives here (kiss_*_alloc with caller memory)
  kiss_fftr_cfg rcfg_ = nullptr;
  kiss_fft_cfg ccfg_ = nullptr;
  std::vector<kiss_fft_cpx> complexIn_;
};

}  // namespace melguard
