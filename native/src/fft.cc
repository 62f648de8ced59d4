#include "fft.h"

#include "errors.h"

namespace melguard {

RealFft::RealFft(int nFft) : nFft_(nFft), real_(nFft % 2 == 0) {
  size_t len = 0;
  if (real_) {
    kiss_fftr_alloc(nFft, 0, nullptr, &len);
    memory_.resize(len);
    rcfg_ = kiss_fftr_alloc(nFft, 0, memory_.data(), &len);
  } else {
    kiss_fft_alloc(nFft, 0, nullptr, &len);
    memory_.resize(len);
    ccfg_ = kiss_fft_alloc(nFft, 0, memory_.data(), &len);
    complexIn_.resize(static_cast<size_t>(nFft));
  }
  if (!rcfg_ && !ccfg_) throw Error(codes::kInternal, "KissFFT could not plan a transform of size " + std::to_string(nFft));
}

void RealFft::Forward(const float* in, kiss_fft_cpx* out) {
  if (real_) {
    kiss_fftr(rcfg_, in, out);
    return;
  }
  for (int i = 0; i < nFft_; ++i) complexIn_[static_cast<size_t>(i)] = {in[i], 0.0f};
  kiss_fft(ccfg_, complexIn_.data(), out);
}

}  // namespace melguard
