// Waveform augmentation for training on real-world audio: gain, coloured noise at an SNR, band-limiting and
// telephone channel, resampling round-trips, clipping, random EQ, synthetic reverb and lossy-codec round-trips.
// A chain of steps, each applied with probability p; every random draw comes from the seed, so a seed gives
// the same output on every machine.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace melguard {
namespace audio {

enum class AugmentType { kGain, kNoise, kBandlimit, kTelephone, kResample, kClip, kEq, kReverb, kCodec };
enum class NoiseColor { kWhite, kPink, kBrown };

using Range = std::pair<double, double>;  // drawn uniformly; lo == hi for a fixed value

struct AugmentStep {
  AugmentType type = AugmentType::kGain;
  double p = 1.0;             // probability the step is applied
  Range range{0, 0};          // gain: dB; noise: SNR dB; reverb: RT60 s; clip: level (fraction of peak)
  NoiseColor color = NoiseColor::kWhite;
  double lowHz = 0, highHz = 0;   // bandlimit (0 / >= Nyquist = that side open)
  std::vector<int> viaHz;     // resample: one of these rates, down and back
  int bands = 3;              // eq: number of peaking bands
  double gainDb = 6;          // eq: |gain| bound per band
  Range drrDb{0, 10};         // reverb: direct-to-reverberant energy ratio
  std::string codec;          // codec: mp3 | opus | ogg
  Range bitrate{0, 0};        // codec: kbit/s (mp3, opus); 0 = codec default
  Range compression{0.3, 0.9};  // codec ogg: libsndfile compression level
};

// What a step did, with the values it drew (for logs and tests).
struct AppliedStep {
  std::string type;
  std::vector<std::pair<std::string, double>> values;
  std::string detail;  // e.g. noise colour or codec
};

// Returns the augmented signal (same length as the input). Throws E_INVALID_ARG for impossible parameters.
std::vector<float> Augment(const float* samples, size_t n, int sampleRate, const std::vector<AugmentStep>& steps,
                           uint64_t seed, std::vector<AppliedStep>* applied = nullptr);

// Building blocks, exposed for reuse and tests.
std::vector<float> ColouredNoise(size_t n, NoiseColor color, uint64_t seed);
// Synthetic room impulse response: a unit direct path, then exponentially decaying Gaussian noise reaching
// -60 dB after rt60 seconds, scaled to the given direct-to-reverberant ratio.
std::vector<float> SyntheticImpulseResponse(int sampleRate, double rt60, double drrDb, uint64_t seed);
// Linear convolution truncated to the input's length (FFT, KissFFT).
std::vector<float> Convolve(const float* x, size_t n, const std::vector<float>& h);

}  // namespace audio
}  // namespace melguard
