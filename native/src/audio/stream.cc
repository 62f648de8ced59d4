#include "audio/stream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "audio/resampler.h"
#include "errors.h"

namespace melguard {
namespace audio {

namespace {

using Clock = std::chrono::steady_clock;
inline double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Frames per read. Large enough to amortise libsndfile's per-call cost, small enough to stay in cache.
constexpr size_t kBlockFrames = 16384;

struct Span {
  int64_t start = 0;
  int64_t end = std::numeric_limits<int64_t>::max();  // exclusive
};

Span RequestedSpan(const Reader& reader, const DecodeOptions& o) {
  const std::string& n = reader.name();
  if (!std::isfinite(o.offset) || o.offset < 0) {
    throw Error(codes::kInvalidArg, "offset must be a finite number >= 0 (got " + std::to_string(o.offset) + ")", n);
  }
  if (std::isnan(o.duration) || std::isinf(o.duration)) {
    throw Error(codes::kInvalidArg, "duration must be finite (or negative for 'to the end')", n);
  }
  double sr = reader.info().sampleRate;
  Span span;
  // librosa.load: start = round(sr * offset), length = round(sr * duration).
  double start = std::nearbyint(sr * o.offset);
  if (start > 9.0e15) throw Error(codes::kInvalidArg, "offset is beyond any audio file", n);
  span.start = static_cast<int64_t>(start);
  if (o.duration >= 0) {
    double len = std::nearbyint(sr * o.duration);
    if (len > 9.0e15) len = 9.0e15;
    span.end = span.start + static_cast<int64_t>(len);
  }
  return span;
}

int OutputRate(const Reader& reader, const DecodeOptions& o) {
  if (o.targetSr < 0 || o.targetSr > kMaxSampleRate) {
    throw Error(codes::kInvalidArg, "sample rate out of range: " + std::to_string(o.targetSr), reader.name());
  }
  return o.targetSr > 0 ? o.targetSr : reader.info().sampleRate;
}

}  // namespace

int64_t ExpectedOutputFrames(const Reader& reader, const DecodeOptions& options) {
  const AudioInfo& info = reader.info();
  if (info.frames < 0) return -1;
  Span span = RequestedSpan(reader, options);
  int64_t available = std::max<int64_t>(0, std::min(span.end, info.frames) - span.start);
  int outSr = OutputRate(reader, options);
  if (outSr == info.sampleRate) return available;
  return StreamResampler::OutputLength(available, info.sampleRate, outSr);
}

StreamResult StreamDecode(Reader& reader, const DecodeOptions& options, const SampleSink& sink, StreamTiming* timing) {
  const AudioInfo& info = reader.info();
  const std::string& name = reader.name();
  const Span span = RequestedSpan(reader, options);
  const int inSr = info.sampleRate;
  const int outSr = OutputRate(reader, options);
  const int inCh = info.channels;
  const int outCh = options.mono ? 1 : inCh;
  const bool resample = outSr != inSr;
  if (resample) {
    double ratio = double(outSr) / inSr;
    if (ratio > 256.0 || ratio < 1.0 / 256.0) {
      throw Error(codes::kUnsupported,
                  "cannot resample " + std::to_string(inSr) + " Hz to " + std::to_string(outSr) +
                      " Hz (ratio beyond 256): " + name,
                  name);
    }
  }

  const int64_t expected = ExpectedOutputFrames(reader, options);
  if (expected > options.maxFrames) {
    throw Error(codes::kTooLarge,
                "audio too long: " + std::to_string(expected) + " frames at " + std::to_string(outSr) +
                    " Hz exceed the limit of " + std::to_string(options.maxFrames) + ": " + name,
                name);
  }

  StreamResult result;
  result.sampleRate = outSr;
  result.channels = outCh;

  StreamTiming localTiming;
  StreamTiming& t = timing ? *timing : localTiming;

  auto t0 = Clock::now();
  int64_t reached = reader.SeekTo(span.start);
  t.decode += Seconds(t0, Clock::now());
  if (reached < span.start) {
    throw Error(codes::kEmpty,
                "no audio after offset " + std::to_string(options.offset) + " s (the file holds " +
                    std::to_string(double(reached) / inSr) + " s): " + name,
                name);
  }

  std::unique_ptr<StreamResampler> resampler;
  if (resample) resampler = std::make_unique<StreamResampler>(inSr, outSr, outCh);

  // Block buffers live per thread: a batch decodes thousands of files, and fresh buffers each time cost
  // page faults. Nothing here calls StreamDecode recursively on the same thread.
  thread_local std::vector<float> raw, mixed, converted;
  // Many-channel files read fewer frames per block, so a block stays within 1 Mi samples.
  const size_t blockFrames = std::max<size_t>(256, std::min(kBlockFrames, (size_t(1) << 20) / size_t(inCh)));
  raw.resize(blockFrames * inCh);
  if (options.mono && inCh > 1) mixed.resize(blockFrames);
  // Give back what an unusual file (many channels, large upsampling) made these buffers grow to.
  struct Trim {
    ~Trim() {
      for (std::vector<float>* v : {&raw, &mixed, &converted}) {
        if (v->capacity() > (size_t(1) << 20)) std::vector<float>().swap(*v);
      }
    }
  } trim;
  bool stopped = false;

  auto emit = [&](const float* data, size_t frames) {
    if (frames == 0) return true;
    if (result.outFrames + int64_t(frames) > options.maxFrames) {
      throw Error(codes::kTooLarge,
                  "audio too long: more than " + std::to_string(options.maxFrames) + " frames at " +
                      std::to_string(outSr) + " Hz: " + name,
                  name);
    }
    result.outFrames += frames;
    return sink(data, frames);
  };

  int64_t position = span.start;
  while (position < span.end) {
    size_t want = static_cast<size_t>(std::min<int64_t>(int64_t(blockFrames), span.end - position));
    auto a = Clock::now();
    size_t got = reader.Read(raw.data(), want);
    if (got == 0) {
      t.decode += Seconds(a, Clock::now());
      break;
    }
    const float* block = raw.data();
    if (options.mono && inCh > 1) {
      // librosa.to_mono: float32 mean over channels.
      const float scale = static_cast<float>(inCh);
      for (size_t i = 0; i < got; ++i) {
        const float* frame = raw.data() + i * inCh;
        float sum = frame[0];
        for (int c = 1; c < inCh; ++c) sum += frame[c];
        mixed[i] = sum / scale;
      }
      block = mixed.data();
    }
    auto b = Clock::now();
    t.decode += Seconds(a, b);
    position += got;
    result.inFrames += got;

    bool more;
    if (resampler) {
      converted.clear();
      resampler->Process(block, got, converted);
      t.resample += Seconds(b, Clock::now());
      more = emit(converted.data(), converted.size() / outCh);
    } else {
      more = emit(block, got);
    }
    if (!more) {
      stopped = true;
      break;
    }
  }

  if (result.inFrames == 0) {
    throw Error(codes::kEmpty, span.start > 0 ? "no audio after offset " + std::to_string(options.offset) + " s: " + name
                                              : "no audio samples in " + name,
                name);
  }

  if (!stopped) {
    result.reachedEnd = true;
    if (resampler) {
      // End of input: flush soxr, then fix the length to librosa's ceil(n * ratio).
      auto b = Clock::now();
      converted.clear();
      resampler->Flush(converted);
      int64_t target = StreamResampler::OutputLength(result.inFrames, inSr, outSr);
      int64_t have = result.outFrames + int64_t(converted.size() / outCh);
      if (have > target) {
        int64_t keep = std::max<int64_t>(0, int64_t(converted.size() / outCh) - (have - target));
        converted.resize(size_t(keep) * outCh);
      } else if (have < target) {
        converted.resize(converted.size() + size_t(target - have) * outCh, 0.0f);
      }
      t.resample += Seconds(b, Clock::now());
      emit(converted.data(), converted.size() / outCh);
    }
  }
  return result;
}

}  // namespace audio
}  // namespace melguard
