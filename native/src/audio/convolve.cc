// FFT convolution with KissFFT (real transforms), used by the reverb augmentation.
#include <kiss_fftr.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "audio/augment.h"
#include "errors.h"

namespace melguard {
namespace audio {

namespace {
struct FftrDeleter {
  void operator()(kiss_fftr_cfg cfg) const { kiss_fftr_free(cfg); }
};
using FftrPtr = std::unique_ptr<std::remove_pointer_t<kiss_fftr_cfg>, FftrDeleter>;
}  // namespace

std::vector<float> Convolve(const float* x, size_t n, const std::vector<float>& h) {
  if (n == 0 || h.empty()) return std::vector<float>(x, x + n);
  size_t full = n + h.size() - 1;
  if (full > (size_t(1) << 28)) throw Error(codes::kTooLarge, "convolution too long");
  int nfft = kiss_fftr_next_fast_size_real(int(full));
  FftrPtr forward(kiss_fftr_alloc(nfft, 0, nullptr, nullptr));
  FftrPtr inverse(kiss_fftr_alloc(nfft, 1, nullptr, nullptr));
  if (!forward || !inverse) throw Error(codes::kInternal, "kissfft allocation failed");

  std::vector<float> a(size_t(nfft), 0.0f), b(size_t(nfft), 0.0f);
  std::copy(x, x + n, a.begin());
  std::copy(h.begin(), h.end(), b.begin());
  std::vector<kiss_fft_cpx> fa(size_t(nfft) / 2 + 1), fb(size_t(nfft) / 2 + 1);
  kiss_fftr(forward.get(), a.data(), fa.data());
  kiss_fftr(forward.get(), b.data(), fb.data());
  for (size_t k = 0; k < fa.size(); ++k) {
    float re = fa[k].r * fb[k].r - fa[k].i * fb[k].i;
    float im = fa[k].r * fb[k].i + fa[k].i * fb[k].r;
    fa[k].r = re;
    fa[k].i = im;
  }
  kiss_fftri(inverse.get(), fa.data(), a.data());
  // KissFFT's inverse is unscaled.
  const float scale = 1.0f / float(nfft);
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = a[i] * scale;
  return out;
}

}  // namespace audio
}  // namespace melguard
