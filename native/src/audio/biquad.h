// Second-order IIR sections (RBJ audio-EQ cookbook): Butterworth high/low-pass cascades and peaking EQ.
// Filtering runs in double precision, in place over float samples.
#pragma once
#include <cstddef>
#include <vector>

namespace melguard {
namespace audio {

struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;

  static Biquad LowPass(double sr, double freq, double q);
  static Biquad HighPass(double sr, double freq, double q);
  static Biquad Peaking(double sr, double freq, double q, double gainDb);
};

// Runs the sections in series over x (direct form II transposed, zero initial state).
void FilterInPlace(const std::vector<Biquad>& sections, float* x, size_t n);

// Butterworth cascades of even `order` (2, 4, 6, 8...): order/2 sections with the Butterworth Q's.
std::vector<Biquad> ButterworthLowPass(double sr, double freq, int order);
std::vector<Biquad> ButterworthHighPass(double sr, double freq, int order);

}  // namespace audio
}  // namespace melguard
