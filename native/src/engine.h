// The spectrogram engine: samples -> [bins][frames] float32, numerically matching librosa 0.11.
// Thread-safe: one cached engine per configuration, shared by every thread and worker.
#pragma once
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>

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
};

class SpectrogramEngine {
 public:
  // Cached per configuration (window, filterbank, FFT plan built once). Thread-safe.
  static std::shared_ptr<const SpectrogramEngine> Get(const SpectrogramConfig& config);

  const SpectrogramConfig& config() const;
  size_t Bins() const;                       // nMels, or 1 + nFft/2 in linear mode
  size_t Frames(size_t nSamples) const;      // librosa's frame count
  // Writes Bins() * Frames(n) floats, row-major [bins][frames]. Thread-safe (per-thread scratch).
  void Compute(const float* samples, size_t n, float* out) const;

  virtual ~SpectrogramEngine() = default;

 protected:
  SpectrogramEngine() = default;
};

}  // namespace melguard
