#include "audio/features.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "audio/stream.h"
#include "audio/window_spectrogram.h"
#include "errors.h"

namespace melguard {
namespace audio {

namespace {
using Clock = std::chrono::steady_clock;
inline double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
}  // namespace

std::pair<int64_t, int64_t> WindowSamples(const WindowingSpec& w, int sr) {
  if (!(w.windowSeconds > 0) || !std::isfinite(w.windowSeconds)) {
    throw Error(codes::kInvalidArg, "windowing.windowSeconds must be a finite number > 0");
  }
  if (!(w.hopSeconds > 0) || !std::isfinite(w.hopSeconds)) {
    throw Error(codes::kInvalidArg, "windowing.hopSeconds must be a finite number > 0");
  }
  if (!(w.minSeconds >= 0) || !std::isfinite(w.minSeconds)) {
    throw Error(codes::kInvalidArg, "windowing.minSeconds must be a finite number >= 0");
  }
  if (w.maxWindows < 0) throw Error(codes::kInvalidArg, "windowing.maxWindows must be >= 0");
  double window = std::nearbyint(w.windowSeconds * sr);
  double hop = std::nearbyint(w.hopSeconds * sr);
  if (window < 1 || hop < 1) throw Error(codes::kInvalidArg, "windowing: window and hop must be at least one sample");
  if (window > double(int64_t(1) << 31)) throw Error(codes::kInvalidArg, "windowing.windowSeconds is too long");
  return {int64_t(window), int64_t(std::min(hop, 9.0e15))};
}

FileFeatures ComputeFileFeatures(Reader& reader, const DecodeOptions& decodeIn, const SpectrogramEngine& engine,
                                 const WindowingSpec& windowing) {
  const std::string& name = reader.name();
  DecodeOptions decode = decodeIn;
  decode.targetSr = engine.config().sr;
  decode.mono = true;

  FileFeatures out;
  out.sampleRate = decode.targetSr;
  out.bins = engine.Bins();
  StreamTiming timing;
  StreamResult result;

  auto runSpectrogram = [&](const float* samples, size_t n) {
    auto a = Clock::now();
    size_t per = out.bins * out.frames;
    out.data.resize(out.data.size() + per);
    engine.Compute(samples, n, out.data.data() + out.data.size() - per);
    out.spectrogramSeconds += Seconds(a, Clock::now());
    ++out.windows;
  };

  if (windowing.whole) {
    std::vector<float> samples;
    int64_t expected = ExpectedOutputFrames(reader, decode);
    if (expected > 0) {
      engine.OutputSize(size_t(expected));  // fail before decoding when the header already says it is too long
      samples.reserve(size_t(std::min<int64_t>(expected, int64_t(1) << 26)));
    }
    result = StreamDecode(reader, decode, [&](const float* data, size_t n) {
      samples.insert(samples.end(), data, data + n);
      return true;
    }, &timing);
    if (samples.empty()) throw Error(codes::kEmpty, "no audio samples in " + name, name);
    engine.OutputSize(samples.size());  // E_TOO_LARGE before allocating a spectrogram beyond the engine's limit
    out.frames = engine.Frames(samples.size());
    runSpectrogram(samples.data(), samples.size());
    out.spans.emplace_back(0.0, double(samples.size()) / out.sampleRate);
  } else {
    const auto [window, hop] = WindowSamples(windowing, decode.targetSr);
    const int64_t maxWindows = windowing.maxWindows;
    out.frames = engine.Frames(size_t(window));
    WindowSpectrogram windows(engine, size_t(window), size_t(hop));
    // The sample count is not bounded here: only one window's worth is ever held.
    decode.maxFrames = std::numeric_limits<int64_t>::max();

    int64_t expected = ExpectedOutputFrames(reader, decode);
    if (expected >= window) {
      int64_t count = (expected - window) / hop + 1;
      if (maxWindows > 0) count = std::min(count, maxWindows);
      out.data.reserve(size_t(std::min<int64_t>(count, 1 << 16)) * out.bins * out.frames);
    }

    // Samples [bufferStart, bufferStart + size); per thread, reused from file to file (see StreamDecode).
    thread_local std::vector<float> buffer;
    buffer.clear();
    struct Trim {  // long windows at high rates: do not keep tens of MB per thread afterwards
      ~Trim() {
        if (buffer.capacity() > (size_t(1) << 22)) std::vector<float>().swap(buffer);
      }
    } trim;
    int64_t bufferStart = 0;
    int64_t nextStart = 0;       // start of the next window, in samples
    buffer.reserve(size_t(window + hop) + 32768);
    result = StreamDecode(reader, decode, [&](const float* data, size_t n) {
      // Skip input that falls in a gap before the next window (hop > window).
      int64_t skip = std::clamp<int64_t>(nextStart - (bufferStart + int64_t(buffer.size())), 0, int64_t(n));
      if (skip > 0 && buffer.empty()) {
        bufferStart += skip;
        data += skip;
        n -= size_t(skip);
      }
      buffer.insert(buffer.end(), data, data + n);
      while (nextStart + window <= bufferStart + int64_t(buffer.size())) {
        auto a = Clock::now();
        size_t per = out.bins * out.frames;
        out.data.resize(out.data.size() + per);
        windows.Compute(buffer.data() + (nextStart - bufferStart), out.data.data() + out.data.size() - per, true);
        out.spectrogramSeconds += Seconds(a, Clock::now());
        ++out.windows;
        out.spans.emplace_back(double(nextStart) / out.sampleRate, double(nextStart + window) / out.sampleRate);
        nextStart += hop;
        if (maxWindows > 0 && int64_t(out.windows) >= maxWindows) return false;
      }
      // Drop samples no future window needs; erase in large steps so the copying stays linear overall.
      int64_t drop = std::clamp<int64_t>(nextStart - bufferStart, 0, int64_t(buffer.size()));
      if (drop > 0 && (drop == int64_t(buffer.size()) || drop >= window)) {
        buffer.erase(buffer.begin(), buffer.begin() + drop);
        bufferStart += drop;
      }
      return true;
    }, &timing);

    if (out.windows == 0) {
      // Shorter than one window: zero-pad to a full window if it is long enough to mean something.
      int64_t total = result.outFrames;
      double seconds = double(total) / out.sampleRate;
      if (seconds + 1e-9 < windowing.minSeconds) {
        throw Error(codes::kTooShort,
                    "clip too short: " + std::to_string(seconds) + " s is less than windowing.minSeconds (" +
                        std::to_string(windowing.minSeconds) + " s): " + name,
                    name);
      }
      std::vector<float> padded(size_t(window), 0.0f);
      std::copy(buffer.begin(), buffer.begin() + std::min<int64_t>(int64_t(buffer.size()), window), padded.begin());
      runSpectrogram(padded.data(), padded.size());
      out.spans.emplace_back(0.0, seconds);
    }
  }

  const AudioInfo& info = reader.info();
  out.audioSeconds = double(result.inFrames) / info.sampleRate;
  if (result.reachedEnd || info.frames < 0) {
    out.duration = out.audioSeconds;
  } else {
    // Stopped early: the span's length from the header.
    int64_t start = int64_t(std::nearbyint(decode.offset * info.sampleRate));
    int64_t end = info.frames;
    if (decode.duration >= 0) end = std::min(end, start + int64_t(std::nearbyint(decode.duration * info.sampleRate)));
    out.duration = double(std::max<int64_t>(0, end - start)) / info.sampleRate;
  }
  out.decodeSeconds = timing.decode;
  out.resampleSeconds = timing.resample;
  return out;
}

}  // namespace audio
}  // namespace melguard
