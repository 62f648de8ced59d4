// Included before KissFFT's sources or headers in the SIMD translation units (kissfft_simd_*.cc): selects the
// 4-wide __m128 build and renames every public KissFFT symbol so it cannot collide with the system library.
#pragma once
#include <xmmintrin.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#undef kiss_fft_scalar  // the system kissfft target defines kiss_fft_scalar=float for the whole addon
#define USE_SIMD 1
#define kiss_fft_alloc melguard_simd_kiss_fft_alloc
#define kiss_fft melguard_simd_kiss_fft
#define kiss_fft_stride melguard_simd_kiss_fft_stride
#define kiss_fft_free melguard_simd_kiss_fft_free
#define kiss_fft_cleanup melguard_simd_kiss_fft_cleanup
#define kiss_fft_next_fast_size melguard_simd_kiss_fft_next_fast_size
#define kf_work melguard_simd_kf_work
#define kf_factor melguard_simd_kf_factor
#define kiss_fftr_alloc melguard_simd_kiss_fftr_alloc
#define kiss_fftr melguard_simd_kiss_fftr
#define kiss_fftri melguard_simd_kiss_fftri
#define kiss_fftr_free melguard_simd_kiss_fftr_free
