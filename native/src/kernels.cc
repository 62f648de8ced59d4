#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define MELGUARD_X86 1
#endif

namespace melguard {
namespace {

[[maybe_unused]] constexpr double kInvLn10 = 0.43429448190325182765;  // 1 / ln(10)

// ---------------------------------------------------------------- scalar (portable reference) ----------------

void WindowMulScalar(const float* src, const float* win, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i] * win[i];
}

float PowerBlockScalar(const float* const* specs, size_t bins, int power, float* outT) {
  float mx = 0.0f;
  for (size_t f = 0; f < kBlock; ++f) {
    const float* c = specs[f];
    for (size_t k = 0; k < bins; ++k) {
      float re = c[2 * k], im = c[2 * k + 1];
      float v = re * re + im * im;
      if (power == 1) v = std::sqrt(v);
      outT[k * kBlock + f] = v;
      mx = std::max(mx, v);
    }
  }
  return mx;
}

void WindowInterleave4Scalar(const float* const* src, const float* win, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i)
    for (size_t s = 0; s < 4; ++s) dst[4 * i + s] = src[s][i] * win[i];
}

float PowerBlock4x2Scalar(const float* a, const float* b, size_t bins, int power, float* outT) {
  float mx = 0.0f;
  for (size_t k = 0; k < bins; ++k) {
    for (size_t f = 0; f < kBlock; ++f) {
      const float* c = (f < 4 ? a : b) + 8 * k;
      const size_t s = f % 4;
      float v = c[s] * c[s] + c[4 + s] * c[4 + s];
      if (power == 1) v = std::sqrt(v);
      outT[k * kBlock + f] = v;
      mx = std::max(mx, v);
    }
  }
  return mx;
}

float MelBlockScalar(const float* specT, const float* weights, const int32_t* start, const int32_t* length,
                     const int32_t* offset, size_t nFilters, float* outT) {
  float mx = 0.0f;
  for (size_t m = 0; m < nFilters; ++m) {
    float acc[kBlock] = {};
    const float* w = weights + offset[m];
    const float* s = specT + static_cast<size_t>(start[m]) * kBlock;
    for (int32_t j = 0; j < length[m]; ++j)
      for (size_t f = 0; f < kBlock; ++f) acc[f] += w[j] * s[static_cast<size_t>(j) * kBlock + f];
    for (size_t f = 0; f < kBlock; ++f) {
      outT[m * kBlock + f] = acc[f];
      mx = std::max(mx, acc[f]);
    }
  }
  return mx;
}

float ToDbScalar(float* x, size_t n, float amin, float mult, float refDb) {
  float mx = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < n; ++i) {
    float v = mult * std::log10(std::max(x[i], amin)) - refDb;
    x[i] = v;
    mx = std::max(mx, v);
  }
  return mx;
}

void ClipBelowScalar(float* x, size_t n, float floor) {
  for (size_t i = 0; i < n; ++i) x[i] = std::max(x[i], floor);
}

void LogPlusScalar(float* x, size_t n, float add) {
  for (size_t i = 0; i < n; ++i) x[i] = std::log(x[i] + add);
}

size_t FirstNonFiniteScalar(const float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &x[i], 4);
    if ((bits & 0x7f800000u) == 0x7f800000u) return i;
  }
  return n;
}

const Kernels kScalar = {"scalar",        WindowMulScalar,  WindowInterleave4Scalar, PowerBlock4x2Scalar,
                         PowerBlockScalar, MelBlockScalar,   ToDbScalar,              ClipBelowScalar,
                         LogPlusScalar,    FirstNonFiniteScalar};

#ifdef MELGUARD_X86
// ---------------------------------------------------------------- AVX2 + FMA ---------------------------------
#define MG_AVX2 __attribute__((target("avx2,fma")))

MG_AVX2 inline float HorizontalMax(__m256 v) {
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

// Natural log of 8 positive normal floats: Cephes' logf (frexp, reduction around sqrt(1/2), degree-9 polynomial),
// max relative error ~1e-7, i.e. < 1e-5 dB on any value a spectrogram produces.
MG_AVX2 inline __m256 Log8(__m256 x) {
  const __m256i bits = _mm256_castps_si256(x);
  __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126));
  __m256 m = _mm256_castsi256_ps(
      _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f000000)));
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 small = _mm256_cmp_ps(m, _mm256_set1_ps(0.707106781186547524f), _CMP_LT_OQ);
  __m256 fe = _mm256_cvtepi32_ps(e);
  fe = _mm256_sub_ps(fe, _mm256_and_ps(one, small));
  m = _mm256_add_ps(_mm256_sub_ps(m, one), _mm256_and_ps(m, small));
  const __m256 z = _mm256_mul_ps(m, m);
  __m256 y = _mm256_set1_ps(7.0376836292E-2f);
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(-1.1514610310E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(1.1676998740E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(-1.2420140846E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(1.4249322787E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(-1.6668057665E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(2.0000714765E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(-2.4999993993E-1f));
  y = _mm256_fmadd_ps(y, m, _mm256_set1_ps(3.3333331174E-1f));
  y = _mm256_mul_ps(_mm256_mul_ps(y, m), z);
  y = _mm256_fmadd_ps(fe, _mm256_set1_ps(-2.12194440e-4f), y);
  y = _mm256_fnmadd_ps(_mm256_set1_ps(0.5f), z, y);
  __m256 r = _mm256_add_ps(m, y);
  return _mm256_fmadd_ps(fe, _mm256_set1_ps(0.693359375f), r);
}

MG_AVX2 void WindowMulAvx2(const float* src, const float* win, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(dst + i, _mm256_mul_ps(_mm256_loadu_ps(src + i), _mm256_loadu_ps(win + i)));
  for (; i < n; ++i) dst[i] = src[i] * win[i];
}

// In-register transpose of an 8x8 float matrix (rows r[0..7] -> columns).
MG_AVX2 inline void Transpose8(__m256 r[8]) {
  __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0)), u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0)), u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
  r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

MG_AVX2 float PowerBlockAvx2(const float* const* specs, size_t bins, int power, float* outT) {
  __m256 mx = _mm256_setzero_ps();
  size_t k = 0;
  for (; k + 8 <= bins; k += 8) {
    __m256 r[8];
    for (size_t f = 0; f < kBlock; ++f) {
      const float* c = specs[f] + 2 * k;
      __m256 a = _mm256_loadu_ps(c), b = _mm256_loadu_ps(c + 8);
      // hadd gives (re^2 + im^2) pairs in lane order 0 1 4 5 | 2 3 6 7; the permute restores 0..7.
      __m256 h = _mm256_hadd_ps(_mm256_mul_ps(a, a), _mm256_mul_ps(b, b));
      r[f] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(h), 0xD8));
    }
    Transpose8(r);
    for (size_t i = 0; i < 8; ++i) {
      __m256 v = power == 1 ? _mm256_sqrt_ps(r[i]) : r[i];
      _mm256_storeu_ps(outT + (k + i) * kBlock, v);
      mx = _mm256_max_ps(mx, v);
    }
  }
  for (; k < bins; ++k) {
    alignas(32) float v[kBlock];
    for (size_t f = 0; f < kBlock; ++f) {
      float re = specs[f][2 * k], im = specs[f][2 * k + 1];
      v[f] = re * re + im * im;
    }
    __m256 x = _mm256_load_ps(v);
    if (power == 1) x = _mm256_sqrt_ps(x);
    _mm256_storeu_ps(outT + k * kBlock, x);
    mx = _mm256_max_ps(mx, x);
  }
  return HorizontalMax(mx);
}

MG_AVX2 void WindowInterleave4Avx2(const float* const* src, const float* win, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 w = _mm256_loadu_ps(win + i);
    const __m256 a = _mm256_mul_ps(_mm256_loadu_ps(src[0] + i), w), b = _mm256_mul_ps(_mm256_loadu_ps(src[1] + i), w);
    const __m256 c = _mm256_mul_ps(_mm256_loadu_ps(src[2] + i), w), d = _mm256_mul_ps(_mm256_loadu_ps(src[3] + i), w);
    // 4 x 8 -> 8 x 4: each output group of 4 is one sample of the 4 frames.
    const __m256 t0 = _mm256_unpacklo_ps(a, b), t1 = _mm256_unpackhi_ps(a, b);
    const __m256 t2 = _mm256_unpacklo_ps(c, d), t3 = _mm256_unpackhi_ps(c, d);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)), u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)), u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
    float* o = dst + 4 * i;
    _mm256_storeu_ps(o, _mm256_permute2f128_ps(u0, u1, 0x20));
    _mm256_storeu_ps(o + 8, _mm256_permute2f128_ps(u2, u3, 0x20));
    _mm256_storeu_ps(o + 16, _mm256_permute2f128_ps(u0, u1, 0x31));
    _mm256_storeu_ps(o + 24, _mm256_permute2f128_ps(u2, u3, 0x31));
  }
  for (; i < n; ++i)
    for (size_t s = 0; s < 4; ++s) dst[4 * i + s] = src[s][i] * win[i];
}

MG_AVX2 float PowerBlock4x2Avx2(const float* a, const float* b, size_t bins, int power, float* outT) {
  __m256 mx = _mm256_setzero_ps();
  for (size_t k = 0; k < bins; ++k) {
    const __m256 re = _mm256_set_m128(_mm_loadu_ps(b + 8 * k), _mm_loadu_ps(a + 8 * k));
    const __m256 im = _mm256_set_m128(_mm_loadu_ps(b + 8 * k + 4), _mm_loadu_ps(a + 8 * k + 4));
    // mul then add (no FMA) so this matches the scalar path and the one-frame kernels bit for bit.
    __m256 v = _mm256_add_ps(_mm256_mul_ps(re, re), _mm256_mul_ps(im, im));
    if (power == 1) v = _mm256_sqrt_ps(v);
    _mm256_storeu_ps(outT + k * kBlock, v);
    mx = _mm256_max_ps(mx, v);
  }
  return HorizontalMax(mx);
}

MG_AVX2 float MelBlockAvx2(const float* specT, const float* weights, const int32_t* start, const int32_t* length,
                           const int32_t* offset, size_t nFilters, float* outT) {
  __m256 mx = _mm256_setzero_ps();
  for (size_t m = 0; m < nFilters; ++m) {
    const float* w = weights + offset[m];
    const float* s = specT + static_cast<size_t>(start[m]) * kBlock;
    const int32_t len = length[m];
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int32_t j = 0;
    for (; j + 2 <= len; j += 2) {
      acc0 = _mm256_fmadd_ps(_mm256_broadcast_ss(w + j), _mm256_loadu_ps(s + j * kBlock), acc0);
      acc1 = _mm256_fmadd_ps(_mm256_broadcast_ss(w + j + 1), _mm256_loadu_ps(s + (j + 1) * kBlock), acc1);
    }
    if (j < len) acc0 = _mm256_fmadd_ps(_mm256_broadcast_ss(w + j), _mm256_loadu_ps(s + j * kBlock), acc0);
    __m256 v = _mm256_add_ps(acc0, acc1);
    _mm256_storeu_ps(outT + m * kBlock, v);
    mx = _mm256_max_ps(mx, v);
  }
  return HorizontalMax(mx);
}

// Applies `op` to whole vectors; the tail goes through the same vector code via a padded copy, so every element
// gets bit-identical treatment wherever it sits in the array.
template <typename Op>
MG_AVX2 inline void ForEach8(float* x, size_t n, float pad, Op op) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, op(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float tmp[8];
    for (size_t j = 0; j < 8; ++j) tmp[j] = i + j < n ? x[i + j] : pad;
    __m256 v = op(_mm256_load_ps(tmp));
    _mm256_store_ps(tmp, v);
    for (size_t j = 0; i + j < n; ++j) x[i + j] = tmp[j];
  }
}

MG_AVX2 float ToDbAvx2(float* x, size_t n, float amin, float mult, float refDb) {
  const __m256 vAmin = _mm256_set1_ps(amin), vRef = _mm256_set1_ps(refDb);
  const __m256 vScale = _mm256_set1_ps(static_cast<float>(mult * kInvLn10));
  __m256 mx = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_fmsub_ps(Log8(_mm256_max_ps(_mm256_loadu_ps(x + i), vAmin)), vScale, vRef);
    _mm256_storeu_ps(x + i, v);
    mx = _mm256_max_ps(mx, v);
  }
  float m = HorizontalMax(mx);
  if (i < n) {
    alignas(32) float tmp[8];
    for (size_t j = 0; j < 8; ++j) tmp[j] = i + j < n ? x[i + j] : amin;
    _mm256_store_ps(tmp, _mm256_fmsub_ps(Log8(_mm256_max_ps(_mm256_load_ps(tmp), vAmin)), vScale, vRef));
    for (size_t j = 0; i + j < n; ++j) {
      x[i + j] = tmp[j];
      m = std::max(m, tmp[j]);
    }
  }
  return m;
}

MG_AVX2 void ClipBelowAvx2(float* x, size_t n, float floor) {
  const __m256 f = _mm256_set1_ps(floor);
  ForEach8(x, n, floor, [f](__m256 v) MG_AVX2 { return _mm256_max_ps(v, f); });
}

MG_AVX2 void LogPlusAvx2(float* x, size_t n, float add) {
  const __m256 a = _mm256_set1_ps(add);
  ForEach8(x, n, 1.0f, [a](__m256 v) MG_AVX2 { return Log8(_mm256_add_ps(v, a)); });
}

MG_AVX2 size_t FirstNonFiniteAvx2(const float* x, size_t n) {
  const __m256i expMask = _mm256_set1_epi32(0x7f800000);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i b = _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i)), expMask);
    int mask = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(b, expMask)));
    if (mask) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
  size_t rest = FirstNonFiniteScalar(x + i, n - i);
  return i + rest;
}

const Kernels kAvx2 = {"avx2-fma",     WindowMulAvx2,   WindowInterleave4Avx2, PowerBlock4x2Avx2,
                       PowerBlockAvx2, MelBlockAvx2,    ToDbAvx2,              ClipBelowAvx2,
                       LogPlusAvx2,    FirstNonFiniteAvx2};
#endif

const Kernels& Choose() {
  const char* env = std::getenv("MELGUARD_SIMD");
  bool allowSimd = !(env && std::strcmp(env, "0") == 0);
#ifdef MELGUARD_X86
  __builtin_cpu_init();
  if (allowSimd && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return kAvx2;
#endif
  (void)allowSimd;
  return kScalar;
}

}  // namespace

const Kernels& GetKernels() {
  static const Kernels& k = Choose();
  return k;
}

}  // namespace melguard
