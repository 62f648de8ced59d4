// Hot inner loops of the engine, chosen once per process: AVX2+FMA when the CPU has it, portable scalar otherwise
// (set MELGUARD_SIMD=0 to force scalar). Every kernel is elementwise or per-filter, so results do not depend on how
// a spectrogram is split across threads.
#pragma once
#include <cstddef>
#include <cstdint>

namespace melguard {

// Frames processed together: one AVX register holds one bin of kBlock consecutive frames.
constexpr size_t kBlock = 8;

struct Kernels {
  const char* name;
  // dst[i] = src[i] * win[i]
  void (*windowMul)(const float* src, const float* win, float* dst, size_t n);
  // dst[4*i + s] = src[s][i] * win[i] for 4 frames s: the interleaved input of the 4-wide SIMD FFT.
  void (*windowInterleave4)(const float* const* src, const float* win, float* dst, size_t n);
  // Transposed block from two 4-wide SIMD FFT outputs (bins of 8 floats: re[4], im[4]): frames 0-3 from a,
  // 4-7 from b, outT[k*kBlock + f] = |X_f[k]|^power. Returns max(outT).
  float (*powerBlock4x2)(const float* a, const float* b, size_t bins, int power, float* outT);
  // Spectra of a block of kBlock frames, transposed: outT[k*kBlock + f] = |X_f[k]|^power for bins k < bins, from
  // interleaved complex spectra specs[f] (frames without data point at zeros). Returns max(outT).
  float (*powerBlock)(const float* const* specs, size_t bins, int power, float* outT);
  // Mel projection of a transposed block: outT[m*kBlock + f] = sum_j weights[offset[m] + j] * specT[(start[m] + j)*kBlock + f]
  // over length[m]. Returns max(outT).
  float (*melBlock)(const float* specT, const float* weights, const int32_t* start, const int32_t* length,
                    const int32_t* offset, size_t nFilters, float* outT);
  // x[i] = mult*log10(max(x[i], amin)) - refDb (mult 10 for power, 20 for magnitude), in place; returns the max
  // of the results. amin must be a positive normal float.
  float (*toDb)(float* x, size_t n, float amin, float mult, float refDb);
  // x[i] = max(x[i], floor)
  void (*clipBelow)(float* x, size_t n, float floor);
  // x[i] = ln(x[i] + add); x[i] + add must be a positive normal float.
  void (*logPlus)(float* x, size_t n, float add);
  // Index of the first NaN or +-Infinity, or n when all are finite.
  size_t (*firstNonFinite)(const float* x, size_t n);
};

const Kernels& GetKernels();

}  // namespace melguard
