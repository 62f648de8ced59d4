// RealFft4 over KissFFT's kiss_fftr compiled as its 4-wide SIMD build inside the addon, from the C sources CMake
// found (MELGUARD_KISSFFT_SIMD; see CMakeLists.txt and kissfft_simd_names.h).
#include "fft_simd.h"

#include "errors.h"

#ifdef MELGUARD_KISSFFT_SIMD
#include <cstdint>

#include "kissfft_simd_names.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kiss_fftr.c"  // the real-input transform; kiss_fft.c is in kissfft_simd_fft.cc
#pragma GCC diagnostic pop

static_assert(sizeof(kiss_fft_cpx) == 32, "the SIMD KissFFT build must hold 4 transforms per complex value");

namespace melguard {

bool RealFft4::Available() { return true; }

RealFft4::RealFft4(int nFft) {
  size_t len = 0;
  kiss_fftr_alloc(nFft, 0, nullptr, &len);
  memory_.resize(len + 16);
  // kiss_fftr_alloc with caller memory: align it for the __m128 twiddles.
  void* aligned = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(memory_.data()) + 15) & ~uintptr_t(15));
  cfg_ = kiss_fftr_alloc(nFft, 0, aligned, &len);
  if (!cfg_) throw Error(codes::kInternal, "KissFFT (SIMD) could not plan a transform of size " + std::to_string(nFft));
}

void RealFft4::Forward(const float* in, float* out) {
  kiss_fftr(static_cast<kiss_fftr_cfg>(cfg_), reinterpret_cast<const kiss_fft_scalar*>(in),
            reinterpret_cast<kiss_fft_cpx*>(out));
}

}  // namespace melguard

#else

namespace melguard {
bool RealFft4::Available() { return false; }
RealFft4::RealFft4(int) { throw Error(codes::kInternal, "this build has no SIMD KissFFT"); }
void RealFft4::Forward(const float*, float*) {}
}  // namespace melguard

#endif
