#include "engine_impl.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

#include "errors.h"
#include "aligned.h"
#include "fft.h"
#include "fft_simd.h"
#include "kernels.h"
#include "threadpool.h"
#include "window.h"

namespace melguard {

namespace {
std::atomic<uint64_t> gNextId{1};
constexpr size_t kMaxScratchPerThread = 4;

MelParams ToMelParams(const SpectrogramConfig& c) {
  MelParams p;
  p.sr = c.sr;
  p.nFft = c.nFft;
  p.nMels = c.nMels;
  p.fMin = c.fMin;
  p.fMax = c.fMax;
  p.htk = c.htk;
  p.slaneyNorm = c.slaneyNorm;
  return p;
}
}  // namespace

bool SimdFftEnabled() {
  static const bool enabled = [] {
    const char* env = std::getenv("MELGUARD_FFT");
    return RealFft4::Available() && !(env && std::strcmp(env, "system") == 0);
  }();
  return enabled;
}

// Everything a thread needs to run one engine; owned by that thread, reused across calls.
struct EngineScratch {
  explicit EngineScratch(const EngineImpl& e)
      : id(e.id()),
        fft(e.Config().nFft),
        frame(static_cast<size_t>(e.Config().nFft), 0.0f),
        edge(4 * static_cast<size_t>(e.Config().nFft), 0.0f),
        zeros(static_cast<size_t>(e.Config().nFft), 0.0f),
        specs(kBlock * fft.OutputSize() * 2, 0.0f),
        zeroSpec(e.NumFreqs() * 2, 0.0f),
        spectrumT(e.NumFreqs() * kBlock, 0.0f),
        binsT(e.NumBins() * kBlock, 0.0f) {
    if (e.SimdFft()) {
      fft4 = std::make_unique<RealFft4>(e.Config().nFft);
      in4 = AlignedFloats(4 * static_cast<size_t>(e.Config().nFft));
      out4[0] = AlignedFloats(8 * e.NumFreqs());
      out4[1] = AlignedFloats(8 * e.NumFreqs());
      zeroOut4 = AlignedFloats(8 * e.NumFreqs());
    }
  }
  uint64_t id;
  RealFft fft;                     // system kiss_fftr (one frame at a time)
  std::vector<float> frame;        // windowed frame; zero outside the window's span, never written there
  std::vector<float> edge;         // padded copies of up to 4 frames that reach beyond the signal
  std::vector<float> zeros;        // stands in for missing frames of a partial block
  std::vector<float> specs;        // kBlock FFT outputs (interleaved complex)
  std::vector<float> zeroSpec;     // spectrum of a missing frame
  std::vector<float> spectrumT;    // |X|^power of the block, [bin][frame]
  std::vector<float> binsT;        // mel bands of the block, [band][frame]
  std::unique_ptr<RealFft4> fft4;  // 4-wide SIMD KissFFT, when built in
  AlignedFloats in4;               // 4 interleaved windowed frames; zero outside the window's span
  AlignedFloats out4[2];           // two 4-frame FFT outputs = one block
  AlignedFloats zeroOut4;          // FFT output of 4 missing frames
  float* Spec(size_t f) { return specs.data() + f * fft.OutputSize() * 2; }
  float* Edge(size_t s) { return edge.data() + s * frame.size(); }
};

EngineImpl::EngineImpl(const SpectrogramConfig& config)
    : config_(config),
      id_(gNextId.fetch_add(1)),
      nFreqs_(static_cast<size_t>(1 + config.nFft / 2)),
      bins_(config.nMels > 0 ? static_cast<size_t>(config.nMels) : nFreqs_),
      winOffset_(static_cast<size_t>(WindowOffset(config.nFft, config.winLength))),
      framer_(config.nFft, config.hopLength, config.center, config.padMode),
      simd_(SimdFftEnabled() && config.nFft % 2 == 0) {
  std::vector<double> w = PeriodicWindow(config.window, config.winLength);
  window_.assign(w.begin(), w.end());
  if (config.nMels > 0) {
    mel_ = SparseFilterbank::FromDense(DenseFilterbank(), bins_, nFreqs_);
  }
}

std::vector<float> EngineImpl::DenseFilterbank() const {
  if (config_.nMels == 0) return {};
  return MelFilterbank(ToMelParams(config_));
}

EngineScratch& EngineImpl::Scratch() const {
  // Most-recently-used first; a few engines per thread are enough (one per preset in practice).
  thread_local std::vector<std::unique_ptr<EngineScratch>> cache;
  for (size_t i = 0; i < cache.size(); ++i) {
    if (cache[i]->id == id_) {
      if (i != 0) std::rotate(cache.begin(), cache.begin() + static_cast<long>(i), cache.begin() + static_cast<long>(i) + 1);
      return *cache[0];
    }
  }
  auto fresh = std::make_unique<EngineScratch>(*this);
  if (cache.size() >= kMaxScratchPerThread) cache.pop_back();
  cache.insert(cache.begin(), std::move(fresh));
  return *cache[0];
}

float EngineImpl::ComputeFrames(const float* x, size_t n, size_t frames, size_t t0, size_t t1, float* out) const {
  if (simd_) return ComputeFramesSimd(x, n, frames, t0, t1, out);
  const Kernels& k = GetKernels();
  EngineScratch& s = Scratch();
  const size_t winLength = window_.size();
  float maxValue = 0.0f;
  const float* specs[kBlock];
  for (size_t blockStart = t0; blockStart < t1; blockStart += kBlock) {
    const size_t count = std::min(kBlock, t1 - blockStart);
    for (size_t j = 0; j < kBlock; ++j) {
      if (j >= count) {
        specs[j] = s.zeroSpec.data();
        continue;
      }
      const float* src = framer_.Frame(x, n, blockStart + j, s.Edge(0), winOffset_, winLength);
      k.windowMul(src + winOffset_, window_.data(), s.frame.data() + winOffset_, winLength);
      float* spec = s.Spec(j);
      s.fft.Forward(s.frame.data(), reinterpret_cast<kiss_fft_cpx*>(spec));
      specs[j] = spec;
    }
    const float spectrumMax = k.powerBlock(specs, nFreqs_, config_.power, s.spectrumT.data());
    maxValue = std::max(maxValue, ProjectAndStore(s, frames, blockStart, count, spectrumMax, out));
  }
  return maxValue;
}

// Same blocks, but each half-block of 4 frames is one SIMD transform.
float EngineImpl::ComputeFramesSimd(const float* x, size_t n, size_t frames, size_t t0, size_t t1, float* out) const {
  const Kernels& k = GetKernels();
  EngineScratch& s = Scratch();
  const size_t winLength = window_.size();
  float maxValue = 0.0f;
  for (size_t blockStart = t0; blockStart < t1; blockStart += kBlock) {
    const size_t count = std::min(kBlock, t1 - blockStart);
    const float* halves[2] = {s.zeroOut4.data(), s.zeroOut4.data()};
    for (size_t h = 0; h * 4 < count; ++h) {
      const float* src[4];
      for (size_t q = 0; q < 4; ++q) {
        const size_t j = h * 4 + q;
        src[q] = (j < count ? framer_.Frame(x, n, blockStart + j, s.Edge(q), winOffset_, winLength) : s.zeros.data()) + winOffset_;
      }
      k.windowInterleave4(src, window_.data(), s.in4.data() + 4 * winOffset_, winLength);
      s.fft4->Forward(s.in4.data(), s.out4[h].data());
      halves[h] = s.out4[h].data();
    }
    const float spectrumMax = k.powerBlock4x2(halves[0], halves[1], nFreqs_, config_.power, s.spectrumT.data());
    maxValue = std::max(maxValue, ProjectAndStore(s, frames, blockStart, count, spectrumMax, out));
  }
  return maxValue;
}

// Mel projection of the block's spectra (mel mode) and the copy of `count` frames into each output row.
// Returns the max of what was stored: the mel bands, or the spectra (spectrumMax) in linear mode.
float EngineImpl::ProjectAndStore(EngineScratch& s, size_t frames, size_t blockStart, size_t count, float spectrumMax,
                                  float* out) const {
  float maxValue = spectrumMax;
  const float* blockT = s.spectrumT.data();
  if (config_.nMels > 0) {
    maxValue = GetKernels().melBlock(s.spectrumT.data(), mel_.weights.data(), mel_.start.data(), mel_.length.data(),
                                     mel_.offset.data(), bins_, s.binsT.data());
    blockT = s.binsT.data();
  }
  if (count == kBlock) {
    for (size_t b = 0; b < bins_; ++b) std::memcpy(out + b * frames + blockStart, blockT + b * kBlock, sizeof(float) * kBlock);
  } else {
    for (size_t b = 0; b < bins_; ++b) std::memcpy(out + b * frames + blockStart, blockT + b * kBlock, sizeof(float) * count);
  }
  return maxValue;
}

void EngineImpl::ApplyScale(float* out, size_t count, float maxValue, int threads) const {
  if (config_.scale == Scale::kPower || count == 0) return;
  const Kernels& k = GetKernels();
  // Elementwise passes split on multiples of 8 so the vector kernels see the same lanes however it is split.
  const size_t chunk = std::max<size_t>(1 << 16, (count / static_cast<size_t>(std::max(threads, 1)) + 7) / 8 * 8);
  const size_t chunks = (count + chunk - 1) / chunk;
  auto forChunks = [&](const std::function<void(float*, size_t, size_t)>& fn) {
    ParallelFor(chunks, threads, [&](size_t c) {
      size_t begin = c * chunk;
      fn(out + begin, std::min(chunk, count - begin), c);
    });
  };
  const float minNormal = std::numeric_limits<float>::min();

  if (config_.scale == Scale::kLog) {
    const float add = static_cast<float>(config_.amin);
    if (add >= minNormal) {
      forChunks([&](float* p, size_t len, size_t) { k.logPlus(p, len, add); });
    } else {
      forChunks([&](float* p, size_t len, size_t) {
        for (size_t i = 0; i < len; ++i) p[i] = static_cast<float>(std::log(static_cast<double>(p[i]) + config_.amin));
      });
    }
    return;
  }

  // dB: power_to_db(S, ref, amin, top_db) for power 2; amplitude_to_db = power_to_db(S^2, ref^2, amin^2) for power 1,
  // i.e. 20*log10(max(S, amin)) - 20*log10(max(ref, amin)).
  const double mult = config_.power == 1 ? 20.0 : 10.0;
  const double refValue = config_.refMax ? static_cast<double>(maxValue) : std::fabs(config_.ref);
  const double refDb = mult * std::log10(std::max(config_.amin, refValue));
  std::vector<float> chunkMax(chunks, -std::numeric_limits<float>::infinity());
  const float amin = static_cast<float>(config_.amin);
  if (amin >= minNormal) {
    const float db = static_cast<float>(refDb);
    const float fmult = static_cast<float>(mult);
    forChunks([&](float* p, size_t len, size_t c) { chunkMax[c] = k.toDb(p, len, amin, fmult, db); });
  } else {
    // Parameters that a float32 fast path cannot represent (e.g. amin below FLT_MIN): plain double math.
    forChunks([&](float* p, size_t len, size_t c) {
      float m = -std::numeric_limits<float>::infinity();
      for (size_t i = 0; i < len; ++i) {
        p[i] = static_cast<float>(mult * std::log10(std::max(static_cast<double>(p[i]), config_.amin)) - refDb);
        m = std::max(m, p[i]);
      }
      chunkMax[c] = m;
    });
  }
  if (std::isnan(config_.topDb)) return;
  const float maxDb = *std::max_element(chunkMax.begin(), chunkMax.end());
  const float floor = static_cast<float>(static_cast<double>(maxDb) - config_.topDb);
  forChunks([&](float* p, size_t len, size_t) { k.clipBelow(p, len, floor); });
}

void EngineImpl::BareFfts(const float* x, size_t n, size_t frames, bool systemFft) const {
  EngineScratch& s = Scratch();
  if (simd_ && !systemFft) {
    // The same number of 4-frame transforms the engine runs (FFT cost does not depend on the data).
    for (size_t t = 0; t < frames; t += 4) s.fft4->Forward(s.in4.data(), s.out4[0].data());
    return;
  }
  const size_t nFft = static_cast<size_t>(config_.nFft);
  const int64_t hop = config_.hopLength;
  const int64_t last = static_cast<int64_t>(n) - static_cast<int64_t>(nFft);
  for (size_t t = 0; t < frames; ++t) {
    // The same number of transforms over the signal's own memory.
    int64_t start = std::min<int64_t>(static_cast<int64_t>(t) * hop, last);
    const float* src = last >= 0 ? x + std::max<int64_t>(start, 0) : s.frame.data();
    s.fft.Forward(src, reinterpret_cast<kiss_fft_cpx*>(s.Spec(0)));
  }
}

}  // namespace melguard
