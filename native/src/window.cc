#include "window.h"

#include <cmath>

namespace melguard {

namespace {

// scipy.signal.windows.general_cosine with sym=False: a symmetric window of M+1 points, last one dropped.
std::vector<double> GeneralCosine(int m, const std::vector<double>& a) {
  if (m <= 1) return std::vector<double>(static_cast<size_t>(m), 1.0);  // scipy's _len_guards
  const int ext = m + 1;
  // np.linspace(-pi, pi, ext): start + i * step, the last point set to stop exactly.
  const double step = (M_PI - (-M_PI)) / (ext - 1);
  std::vector<double> w(static_cast<size_t>(m), 0.0);
  for (int i = 0; i < m; ++i) {
    double fac = i * step + (-M_PI);
    double sum = 0.0;
    for (size_t k = 0; k < a.size(); ++k) sum += a[k] * std::cos(static_cast<double>(k) * fac);
    w[static_cast<size_t>(i)] = sum;
  }
  return w;
}

}  // namespace

std::vector<double> PeriodicWindow(WindowType type, int winLength) {
  switch (type) {
    case WindowType::kHann:
      return GeneralCosine(winLength, {0.5, 1.0 - 0.5});
    case WindowType::kHamming:
      return GeneralCosine(winLength, {0.54, 1.0 - 0.54});
    case WindowType::kBlackman:
      return GeneralCosine(winLength, {0.42, 0.50, 0.08});
    case WindowType::kRectangular:
      return std::vector<double>(static_cast<size_t>(winLength), 1.0);
  }
  return {};
}

const char* WindowName(WindowType type) {
  switch (type) {
    case WindowType::kHann: return "hann";
    case WindowType::kHamming: return "hamming";
    case WindowType::kBlackman: return "blackman";
    case WindowType::kRectangular: return "rectangular";
  }
  return "?";
}

}  // namespace melguard
