// The concrete engine behind SpectrogramEngine: immutable tables built once per configuration
// (window, sparse mel filterbank, framing) plus per-thread scratch (KissFFT plan and buffers).
#pragma once
#include <cstdint>
#include <vector>

#include "engine.h"
#include "framing.h"
#include "mel.h"

namespace melguard {

struct EngineScratch;

class EngineImpl final : public SpectrogramEngine {
 public:
  explicit EngineImpl(const SpectrogramConfig& config);

  const SpectrogramConfig& Config() const { return config_; }
  size_t NumBins() const { return bins_; }
  size_t NumFreqs() const { return nFreqs_; }
  const Framer& framer() const { return framer_; }
  uint64_t id() const { return id_; }

  // Pre-scale values (mel or linear power/magnitude) of frames [t0, t1) into columns of out ([bins][frames]).
  // Returns their maximum.
  float ComputeFrames(const float* x, size_t n, size_t frames, size_t t0, size_t t1, float* out) const;
  // Turns pre-scale values into the configured scale, in place; maxValue = max of all pre-scale values.
  void ApplyScale(float* out, size_t count, float maxValue, int threads) const;
  // Bare FFTs over `frames` frames of x, the benchmark's FFT-only reference: the transform the engine uses
  // (4-wide SIMD KissFFT when built in), or the system library's kiss_fftr one frame at a time (`systemFft`).
  void BareFfts(const float* x, size_t n, size_t frames, bool systemFft) const;
  // True when frames go through the 4-wide SIMD KissFFT (built in, even nFft, MELGUARD_FFT != "system").
  bool SimdFft() const { return simd_; }

  std::vector<float> DenseFilterbank() const;
  size_t Nonzeros() const { return mel_.nonzeros; }
  EngineScratch& Scratch() const;

 private:
  SpectrogramConfig config_;
  uint64_t id_;
  size_t nFreqs_;
  size_t bins_;
  size_t winOffset_;
  std::vector<float> window_;  // the winLength nonzero-span of the padded window (float32)
  SparseFilterbank mel_;       // empty in linear mode
  Framer framer_;
  bool simd_;

  float ComputeFramesSimd(const float* x, size_t n, size_t frames, size_t t0, size_t t1, float* out) const;
  float ProjectAndStore(EngineScratch& s, size_t frames, size_t blockStart, size_t count, float spectrumMax,
                        float* out) const;
};

// Whether 4-wide SIMD KissFFT is built in and not disabled by MELGUARD_FFT=system.
bool SimdFftEnabled();

}  // namespace melguard
