// Copy-synthesis: a real recording pushed through a vocoder's bottleneck. The signal's magnitude STFT is reduced
// to a mel spectrogram, brought back to linear frequency (least squares, as librosa.feature.inverse.mel_to_stft
// approximates it) and given phase by fast Griffin-Lim (librosa.griffinlim: random initial phase, momentum).
// The result keeps the original's channel, speaker and words; only the vocoding differs, which makes it a
// training fake that a detector cannot tell from its real by recording conditions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace melguard {
namespace audio {

struct CopySynthesisOptions {
  int nFft = 1024;
  int hopLength = 256;     // <= nFft / 2
  int nMels = 80;          // 0 = no mel bottleneck: Griffin-Lim on the full magnitude spectrogram
  double fMin = 0;
  double fMax = 0;         // 0 = Nyquist
  int nIter = 32;
  double momentum = 0.99;
  uint64_t seed = 0;       // initial random phase
};

// Same length and RMS level as the input. Throws E_INVALID_ARG / E_EMPTY / E_TOO_LARGE.
std::vector<float> CopySynthesis(const float* samples, size_t n, int sampleRate, const CopySynthesisOptions& o);

}  // namespace audio
}  // namespace melguard
