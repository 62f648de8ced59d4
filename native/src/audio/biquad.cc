#include "audio/biquad.h"

#include <cmath>

namespace melguard {
namespace audio {

namespace {
Biquad Normalised(double b0, double b1, double b2, double a0, double a1, double a2) {
  Biquad q;
  q.b0 = b0 / a0;
  q.b1 = b1 / a0;
  q.b2 = b2 / a0;
  q.a1 = a1 / a0;
  q.a2 = a2 / a0;
  return q;
}
}  // namespace

Biquad Biquad::LowPass(double sr, double freq, double q) {
  double w = 2 * M_PI * freq / sr, c = std::cos(w), alpha = std::sin(w) / (2 * q);
  return Normalised((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad Biquad::HighPass(double sr, double freq, double q) {
  double w = 2 * M_PI * freq / sr, c = std::cos(w), alpha = std::sin(w) / (2 * q);
  return Normalised((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad Biquad::Peaking(double sr, double freq, double q, double gainDb) {
  double a = std::pow(10.0, gainDb / 40), w = 2 * M_PI * freq / sr, c = std::cos(w), alpha = std::sin(w) / (2 * q);
  return Normalised(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
}

void FilterInPlace(const std::vector<Biquad>& sections, float* x, size_t n) {
  for (const Biquad& s : sections) {
    double z1 = 0, z2 = 0;
    for (size_t i = 0; i < n; ++i) {
      double in = x[i];
      double out = s.b0 * in + z1;
      z1 = s.b1 * in - s.a1 * out + z2;
      z2 = s.b2 * in - s.a2 * out;
      x[i] = static_cast<float>(out);
    }
  }
}

namespace {
// Q of each second-order section of a Butterworth filter of the given even order.
std::vector<double> ButterworthQs(int order) {
  std::vector<double> qs;
  for (int k = 0; k < order / 2; ++k) {
    double theta = M_PI * (2.0 * k + 1.0) / (2.0 * order);
    qs.push_back(1.0 / (2.0 * std::sin(theta)));
  }
  return qs;
}
}  // namespace

std::vector<Biquad> ButterworthLowPass(double sr, double freq, int order) {
  std::vector<Biquad> out;
  for (double q : ButterworthQs(order)) out.push_back(Biquad::LowPass(sr, freq, q));
  return out;
}

std::vector<Biquad> ButterworthHighPass(double sr, double freq, int order) {
  std::vector<Biquad> out;
  for (double q : ButterworthQs(order)) out.push_back(Biquad::HighPass(sr, freq, q));
  return out;
}

}  // namespace audio
}  // namespace melguard
