// SpectrogramEngine: configuration keys and checks, the process-wide engine cache, and the Compute entry points.
#include "engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <list>
#include <mutex>

#include "engine_impl.h"
#include "errors.h"
#include "threadpool.h"
#include "window.h"

namespace melguard {

namespace {

constexpr size_t kCacheCapacity = 32;

std::mutex gCacheMutex;
std::list<std::pair<std::string, std::shared_ptr<const EngineImpl>>> gCache;  // most recently used first

const EngineImpl& Impl(const SpectrogramEngine* e) { return *static_cast<const EngineImpl*>(e); }

[[noreturn]] void Invalid(const std::string& message) { throw Error(codes::kInvalidArg, message); }

const char* ScaleName(Scale s) {
  switch (s) {
    case Scale::kPower: return "power";
    case Scale::kDb: return "db";
    case Scale::kLog: return "log";
  }
  return "?";
}

}  // namespace

std::string SpectrogramConfig::Key() const {
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "sr=%d;nFft=%d;hop=%d;win=%d;window=%s;center=%d;pad=%d;power=%d;nMels=%d;fMin=%.17g;fMax=%.17g;"
                "htk=%d;slaney=%d;scale=%s;refMax=%d;ref=%.17g;amin=%.17g;topDb=%.17g",
                sr, nFft, hopLength, winLength, WindowName(window), center ? 1 : 0, static_cast<int>(padMode), power,
                nMels, fMin, fMax, htk ? 1 : 0, slaneyNorm ? 1 : 0, ScaleName(scale), refMax ? 1 : 0, ref, amin,
                topDb);
  return buf;
}

void SpectrogramConfig::Validate() const {
  auto finite = [](double v) { return std::isfinite(v); };
  if (sr < 1) Invalid("sr must be a positive integer");
  if (nFft < 1 || nFft > (1 << 18)) Invalid("nFft must be an integer in [1, 262144]");
  if (hopLength < 1) Invalid("hopLength must be a positive integer");
  if (winLength < 1 || winLength > nFft) Invalid("winLength must be an integer in [1, nFft]");
  if (power != 1 && power != 2) Invalid("power must be 1 or 2");
  if (nMels < 0 || nMels > 16384) Invalid("nMels must be an integer in [0, 16384]");
  if (nMels > 0) {
    if (!finite(fMin) || fMin < 0) Invalid("fMin must be a finite number >= 0");
    if (!finite(fMax) || fMax > sr / 2.0) Invalid("fMax must be a finite number <= sr/2");
    if (fMin >= fMax) Invalid("fMin must be < fMax");
  }
  if (!finite(amin) || amin <= 0) Invalid("amin must be a finite number > 0");
  if (!refMax && !finite(ref)) Invalid("ref must be 'max' or a finite number");
  if (!std::isnan(topDb) && (!finite(topDb) || topDb < 0)) Invalid("topDb must be null or a finite number >= 0");
}

std::shared_ptr<const SpectrogramEngine> SpectrogramEngine::Get(const SpectrogramConfig& config) {
  config.Validate();
  const std::string key = config.Key();
  {
    std::lock_guard<std::mutex> lock(gCacheMutex);
    for (auto it = gCache.begin(); it != gCache.end(); ++it) {
      if (it->first == key) {
        gCache.splice(gCache.begin(), gCache, it);
        return gCache.front().second;
      }
    }
  }
  // Built outside the lock (a large filterbank takes a moment); a racing duplicate is harmless.
  auto engine = std::make_shared<const EngineImpl>(config);
  std::lock_guard<std::mutex> lock(gCacheMutex);
  for (auto& entry : gCache) {
    if (entry.first == key) return entry.second;
  }
  gCache.emplace_front(key, engine);
  if (gCache.size() > kCacheCapacity) gCache.pop_back();
  return engine;
}

const char* FftName() { return SimdFftEnabled() ? "kissfft-simd4" : "kissfft"; }

size_t CachedEngines() {
  std::lock_guard<std::mutex> lock(gCacheMutex);
  return gCache.size();
}

const SpectrogramConfig& SpectrogramEngine::config() const { return Impl(this).Config(); }

size_t SpectrogramEngine::Bins() const { return Impl(this).NumBins(); }

size_t SpectrogramEngine::Frames(size_t nSamples) const { return Impl(this).framer().Frames(nSamples); }

std::vector<float> SpectrogramEngine::Filterbank() const { return Impl(this).DenseFilterbank(); }

size_t SpectrogramEngine::FilterbankNonzeros() const { return Impl(this).Nonzeros(); }

namespace {
size_t CheckedFrames(const EngineImpl& e, size_t n) {
  if (n == 0) throw Error(codes::kEmpty, "the signal has no samples");
  const size_t frames = e.framer().Frames(n);
  if (frames == 0) {
    Invalid("the signal has " + std::to_string(n) + " samples, fewer than nFft=" + std::to_string(e.Config().nFft) +
            ", and center=false adds no padding, so there is no frame");
  }
  if (frames > SpectrogramEngine::kMaxOutputValues / e.NumBins()) {
    throw Error(codes::kTooLarge, "the spectrogram would have " + std::to_string(frames) + " frames x " +
                                      std::to_string(e.NumBins()) +
                                      " bins, more than the limit of 2^28 values (1 GiB); split the signal into windows");
  }
  return frames;
}
}  // namespace

size_t SpectrogramEngine::OutputSize(size_t nSamples) const {
  return CheckedFrames(Impl(this), nSamples) * Bins();
}

void SpectrogramEngine::Compute(const float* samples, size_t n, float* out) const {
  Compute(samples, n, out, 1);
}

void SpectrogramEngine::Compute(const float* samples, size_t n, float* out, int threads) const {
  const EngineImpl& e = Impl(this);
  const size_t frames = CheckedFrames(e, n);
  if (threads <= 0) threads = DefaultThreads();
  // Below a few hundred frames a second thread costs more than it saves.
  const size_t minFramesPerTask = 64;
  const size_t tasks = std::min<size_t>(static_cast<size_t>(threads) * 4, std::max<size_t>(1, frames / minFramesPerTask));
  if (tasks <= 1) {
    const float maxValue = e.ComputeFrames(samples, n, frames, 0, frames, out);
    e.ApplyScale(out, e.NumBins() * frames, maxValue, 1);
    return;
  }
  // Task boundaries on multiples of 8 frames keep the output blocks identical to the one-thread run.
  const size_t per = (frames / tasks + 7) / 8 * 8;
  const size_t count = (frames + per - 1) / per;
  std::vector<float> maxima(count, 0.0f);
  ParallelFor(count, threads, [&](size_t i) {
    const size_t t0 = i * per, t1 = std::min(frames, t0 + per);
    maxima[i] = e.ComputeFrames(samples, n, frames, t0, t1, out);
  });
  e.ApplyScale(out, e.NumBins() * frames, *std::max_element(maxima.begin(), maxima.end()), threads);
}

SpectrogramEngine::Timing SpectrogramEngine::Measure(const float* samples, size_t n, int repeats) const {
  const EngineImpl& e = Impl(this);
  Timing timing;
  timing.frames = CheckedFrames(e, n);
  std::vector<float> out(e.NumBins() * timing.frames);
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  timing.fft = e.SimdFft() ? "kissfft-simd4" : "kissfft";
  // Warm-up: plans, scratch and caches.
  Compute(samples, n, out.data());
  e.BareFfts(samples, n, timing.frames, false);
  e.BareFfts(samples, n, timing.frames, true);
  const double inf = std::numeric_limits<double>::infinity();
  timing.totalSeconds = timing.fftSeconds = timing.systemFftSeconds = inf;
  // Interleaved, best of N: load changes on a shared machine hit all three alike.
  for (int r = 0; r < std::max(1, repeats); ++r) {
    auto t0 = Clock::now();
    e.BareFfts(samples, n, timing.frames, false);
    auto t1 = Clock::now();
    Compute(samples, n, out.data());
    auto t2 = Clock::now();
    e.BareFfts(samples, n, timing.frames, true);
    auto t3 = Clock::now();
    timing.fftSeconds = std::min(timing.fftSeconds, seconds(t0, t1));
    timing.totalSeconds = std::min(timing.totalSeconds, seconds(t1, t2));
    timing.systemFftSeconds = std::min(timing.systemFftSeconds, seconds(t2, t3));
  }
  return timing;
}

}  // namespace melguard
