// Four real FFTs of one even size at once: KissFFT's USE_SIMD build (each __m128 lane is one transform).
// Compiled in only when CMake finds KissFFT's C sources (the kissfft-js npm package ships them); otherwise
// Available() is false and the engine uses the system library's kiss_fftr one frame at a time.
#pragma once
#include <cstddef>
#include <vector>

namespace melguard {

class RealFft4 {
 public:
  static bool Available();
  explicit RealFft4(int nFft);  // nFft even
  RealFft4(const RealFft4&) = delete;
  RealFft4& operator=(const RealFft4&) = delete;

  // in: nFft groups of 4 floats, in[4*i + s] = sample i of transform s (16-byte aligned).
  // out: 1 + nFft/2 groups of 8 floats, {re of transforms 0..3, im of transforms 0..3} (16-byte aligned).
  void Forward(const float* in, float* out);

 private:
  std::vector<char> memory_;  // the cfg, placed in caller memory (kiss_fftr_alloc's lenmem form)
  void* cfg_ = nullptr;
};

}  // namespace melguard
