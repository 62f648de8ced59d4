// KissFFT's complex transform (kiss_fft.c), compiled as its SIMD build. See kissfft_simd_names.h.
#ifdef MELGUARD_KISSFFT_SIMD
#include "kissfft_simd_names.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kiss_fft.c"
#pragma GCC diagnostic pop
#endif
