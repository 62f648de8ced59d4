#include "mel.h"

#include <algorithm>
#include <cmath>

namespace melguard {

namespace {
constexpr double kFSp = 200.0 / 3;                // Slaney: linear part, Hz per mel
constexpr double kMinLogHz = 1000.0;              // start of the log part
constexpr double kMinLogMel = (kMinLogHz - 0.0) / kFSp;
const double kLogStep = std::log(6.4) / 27.0;
}  // namespace

double HzToMel(double hz, bool htk) {
  if (htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
  double mel = (hz - 0.0) / kFSp;
  if (hz >= kMinLogHz) mel = kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
  return mel;
}

double MelToHz(double mel, bool htk) {
  if (htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
  double hz = 0.0 + kFSp * mel;
  if (mel >= kMinLogMel) hz = kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
  return hz;
}

std::vector<float> MelFilterbank(const MelParams& p) {
  const size_t nMels = static_cast<size_t>(p.nMels);
  const size_t nFreqs = static_cast<size_t>(1 + p.nFft / 2);
  std::vector<float> weights(nMels * nFreqs, 0.0f);
  if (nMels == 0) return weights;

  // np.fft.rfftfreq(n_fft, d=1/sr): k * (1 / (n_fft * (1/sr)))
  const double val = 1.0 / (p.nFft * (1.0 / p.sr));
  std::vector<double> fftFreqs(nFreqs);
  for (size_t k = 0; k < nFreqs; ++k) fftFreqs[k] = static_cast<double>(k) * val;

  // mel_frequencies(n_mels + 2): np.linspace over the mel scale, mapped back to Hz.
  const size_t nPoints = nMels + 2;
  const double minMel = HzToMel(p.fMin, p.htk);
  const double maxMel = HzToMel(p.fMax, p.htk);
  const double step = (maxMel - minMel) / static_cast<double>(nPoints - 1);
  std::vector<double> melF(nPoints);
  for (size_t i = 0; i < nPoints; ++i) {
    double mel = (i + 1 == nPoints) ? maxMel : static_cast<double>(i) * step + minMel;
    melF[i] = MelToHz(mel, p.htk);
  }

  for (size_t i = 0; i < nMels; ++i) {
    const double fdiffLo = melF[i + 1] - melF[i];
    const double fdiffHi = melF[i + 2] - melF[i + 1];
    // Slaney's constant-area normalisation, applied in float64 to the float32 weights (numpy's in-place *=).
    const double enorm = p.slaneyNorm ? 2.0 / (melF[i + 2] - melF[i]) : 1.0;
    float* row = &weights[i * nFreqs];
    for (size_t k = 0; k < nFreqs; ++k) {
      double lower = -(melF[i] - fftFreqs[k]) / fdiffLo;
      double upper = (melF[i + 2] - fftFreqs[k]) / fdiffHi;
      float w = static_cast<float>(std::max(0.0, std::min(lower, upper)));
      row[k] = p.slaneyNorm ? static_cast<float>(static_cast<double>(w) * enorm) : w;
    }
  }
  return weights;
}

SparseFilterbank SparseFilterbank::FromDense(const std::vector<float>& dense, size_t nFilters, size_t nFreqs) {
  SparseFilterbank s;
  s.nFilters = nFilters;
  s.nFreqs = nFreqs;
  s.start.resize(nFilters);
  s.length.resize(nFilters);
  s.offset.resize(nFilters);
  for (size_t m = 0; m < nFilters; ++m) {
    const float* row = &dense[m * nFreqs];
    size_t lo = 0;
    while (lo < nFreqs && row[lo] == 0.0f) ++lo;
    size_t hi = nFreqs;
    while (hi > lo && row[hi - 1] == 0.0f) --hi;
    const size_t len = hi - lo;
    s.start[m] = static_cast<int32_t>(len ? lo : 0);
    s.length[m] = static_cast<int32_t>(len);
    s.offset[m] = static_cast<int32_t>(s.weights.size());
    s.weights.insert(s.weights.end(), row + lo, row + hi);
    for (size_t j = lo; j < hi; ++j) s.nonzeros += row[j] != 0.0f;
  }
  return s;
}

}  // namespace melguard
