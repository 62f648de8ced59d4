// A small, portable, seeded random source (SplitMix64). std:: distributions differ between standard
// libraries, so uniform and normal draws are implemented here: a seed gives the same numbers everywhere.
#pragma once
#include <cmath>
#include <cstdint>

namespace melguard {
namespace audio {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  // Independent stream for a sub-task (e.g. one augmentation step), derived from a seed and a key.
  static Random Derive(uint64_t seed, uint64_t key) {
    Random r(seed ^ (0x9E3779B97F4A7C15ull * (key + 1)));
    r.Next();
    return r;
  }

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return double(Next() >> 11) * (1.0 / 9007199254740992.0); }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n).
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  // Standard normal (Box-Muller; the second value is cached).
  double Normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * M_PI * u2);
    hasSpare_ = true;
    return r * std::cos(2.0 * M_PI * u2);
  }

 private:
  uint64_t state_;
  double spare_ = 0;
  bool hasSpare_ = false;
};

}  // namespace audio
}  // namespace melguard
