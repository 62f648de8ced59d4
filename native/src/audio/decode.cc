// audio.h entry points: probe, decode (path / buffer) and one-shot resampling.
#include <algorithm>
#include <string>

#include "audio.h"
#include "audio/reader.h"
#include "audio/resampler.h"
#include "audio/stream.h"
#include "errors.h"

namespace melguard {

namespace {

// Reserve from the header only up to what the bytes could plausibly hold; the vector grows past it if needed.
constexpr int64_t kMaxReserveFrames = int64_t(1) << 26;

DecodedAudio DecodeFrom(audio::Reader& reader, const DecodeOptions& options) {
  DecodedAudio out;
  int64_t expected = audio::ExpectedOutputFrames(reader, options);
  int channels = options.mono ? 1 : reader.info().channels;
  if (expected > 0) out.samples.reserve(size_t(std::min(expected, kMaxReserveFrames)) * channels);
  audio::StreamResult r = audio::StreamDecode(reader, options, [&](const float* data, size_t frames) {
    out.samples.insert(out.samples.end(), data, data + frames * channels);
    return true;
  });
  out.sampleRate = r.sampleRate;
  out.channels = r.channels;
  out.duration = double(r.outFrames) / r.sampleRate;
  return out;
}

}  // namespace

AudioInfo ProbeAudio(const std::string& path) { return audio::Reader::OpenPath(path)->info(); }

DecodedAudio DecodeAudio(const std::string& path, const DecodeOptions& options) {
  auto reader = audio::Reader::OpenPath(path);
  return DecodeFrom(*reader, options);
}

DecodedAudio DecodeAudioBuffer(const uint8_t* data, size_t size, const DecodeOptions& options, const std::string& hint) {
  auto reader = audio::Reader::OpenMemory(data, size, hint);
  return DecodeFrom(*reader, options);
}

std::vector<float> Resample(const float* samples, size_t n, double inRate, double outRate) {
  if (!(inRate > 0) || !(outRate > 0)) throw Error(codes::kInvalidArg, "resample: rates must be > 0");
  if (inRate == outRate) return std::vector<float>(samples, samples + n);
  double ratio = outRate / inRate;
  if (ratio > 256.0 || ratio < 1.0 / 256.0) throw Error(codes::kInvalidArg, "resample: ratio beyond 256");
  audio::StreamResampler resampler(inRate, outRate, 1);
  std::vector<float> out;
  out.reserve(size_t(audio::StreamResampler::OutputLength(int64_t(n), inRate, outRate)) + 16);
  // Same block size as the file pipeline, so resampling decoded samples here matches loadAudio bit for bit.
  constexpr size_t kBlock = 16384;
  for (size_t i = 0; i < n; i += kBlock) resampler.Process(samples + i, std::min(kBlock, n - i), out);
  resampler.Flush(out);
  out.resize(size_t(audio::StreamResampler::OutputLength(int64_t(n), inRate, outRate)), 0.0f);
  return out;
}

}  // namespace melguard
