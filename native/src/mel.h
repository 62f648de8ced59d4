// Mel filterbank exactly as librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm, dtype=float32),
// stored sparsely: each filter keeps only its nonzero bin range.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace melguard {

struct MelParams {
  int sr = 22050;
  int nFft = 2048;
  int nMels = 128;
  double fMin = 0.0;
  double fMax = 11025.0;
  bool htk = false;
  bool slaneyNorm = true;
};

// Dense [nMels][1 + nFft/2] float32 weights, as librosa returns them.
std::vector<float> MelFilterbank(const MelParams& p);

// Nonzero ranges of a dense filterbank: each filter's weights from its first to its last nonzero bin.
struct SparseFilterbank {
  size_t nFilters = 0;
  size_t nFreqs = 0;
  std::vector<int32_t> start;   // first nonzero bin of each filter
  std::vector<int32_t> length;  // bins from the first to the last nonzero one (0 for an empty filter)
  std::vector<int32_t> offset;  // index of the filter's first weight in `weights`
  std::vector<float> weights;
  size_t nonzeros = 0;

  static SparseFilterbank FromDense(const std::vector<float>& dense, size_t nFilters, size_t nFreqs);
};

double HzToMel(double hz, bool htk);
double MelToHz(double mel, bool htk);

}  // namespace melguard
