// The spectrogram engine: samples -> [bins][frames] float32, numerically matching librosa 0.11.
// Thread-safe: one cached engine per configuration, shared by every thread and worker.
#pragma once
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace melguard {

enum class WindowType { kHann, kHamming, kBlackman, kRectangular };
enum class PadMode { kConstant, kReflect };
enum class Scale { kPower, kDb, kLog };

struct SpectrogramConfig {
  int sr = 22050;
  int nFft = 2048;
  int hopLength = 512;
  int winLength = 2048;
  WindowType window = WindowType::kHann;
  bool center = true;
  PadMode padMode = PadMode::kConstant;
  int power = 2;         // 1 = magnitude, 2 = power
  int nMels = 128;       // 0 = linear-frequency (1 + nFft/2 bins)
  double fMin = 0.0;
  double fMax = 11025.0;
  bool htk = false;
  bool slaneyNorm = true;
  Scale scale = Scale::kDb;
  bool refMax = true;    // ref = max of this spectrogram; else `ref`
  double ref = 1.0;
  double amin = 1e-10;
  double topDb = 80.0;   // NaN = no clipping
  // dB follows librosa: power_to_db when power == 2, amplitude_to_db (20*log10) when power == 1.
  // 'log' is natural log(S + amin).

  std::string Key() const;  // canonical string used as the cache key
  // Throws melguard::Error(E_INVALID_ARG) when a value is out of range (the TS layer validates first;
  // this only keeps native code safe when called directly).
  void Validate() const;
};

class SpectrogramEngine {
 public:
  // Cached per configuration (window, filterbank, FFT plan built once). Thread-safe.
  static std::shared_ptr<const SpectrogramEngine> Get(const SpectrogramConfig& config);

  const SpectrogramConfig& config() const;
  size_t Bins() const;                       // nMels, or 1 + nFft/2 in linear mode
  size_t Frames(size_t nSamples) const;      // librosa's frame count (0 when the input is too short, center=false)
  // Bins() * Frames(n), after the checks Compute makes (E_EMPTY, E_INVALID_ARG without a frame, E_TOO_LARGE
  // beyond kMaxOutputValues): call it before allocating the output.
  size_t OutputSize(size_t nSamples) const;
  static constexpr size_t kMaxOutputValues = size_t(1) << 28;  // 1 GiB of float32
  // Writes Bins() * Frames(n) floats, row-major [bins][frames]. Thread-safe (per-thread scratch).
  // Throws E_EMPTY for n == 0, E_INVALID_ARG when there is no frame (center=false and n < nFft).
  void Compute(const float* samples, size_t n, float* out) const;
  // Same result, bit for bit, with the frames of this one signal spread over `threads` pool threads.
  void Compute(const float* samples, size_t n, float* out, int threads) const;

  // Dense librosa.filters.mel weights [nMels][1 + nFft/2] (empty in linear mode).
  std::vector<float> Filterbank() const;
  size_t FilterbankNonzeros() const;

  // Benchmark helper (single thread): best-of-`repeats` time of Compute on these samples, and of bare FFTs over
  // the same number of frames (same size, same thread), so callers can split FFT time from everything else.
  struct Timing {
    size_t frames = 0;
    double totalSeconds = 0;
    double fftSeconds = 0;        // the transform the engine uses
    double systemFftSeconds = 0;  // the system library's kiss_fftr, one frame at a time (reference)
    std::string fft;              // which transform the engine uses
  };
  Timing Measure(const float* samples, size_t n, int repeats) const;

  virtual ~SpectrogramEngine() = default;

 protected:
  SpectrogramEngine() = default;
};

// Number of engines currently cached (for engineInfo).
size_t CachedEngines();

// The transform used for even nFft: "kissfft-simd4" (4-wide SIMD KissFFT built in) or "kissfft".
const char* FftName();

}  // namespace melguard
