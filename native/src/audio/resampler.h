// Streaming sample-rate conversion with libsoxr at high quality (soxr_quality_spec(SOXR_HQ, 0): the
// "soxr_hq" librosa uses by default). Input arrives in blocks; output is appended as it is produced.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

struct soxr;

namespace melguard {
namespace audio {

class StreamResampler {
 public:
  // Throws E_INVALID_ARG for rates soxr cannot handle.
  StreamResampler(double inRate, double outRate, unsigned channels);
  ~StreamResampler();
  StreamResampler(const StreamResampler&) = delete;
  StreamResampler& operator=(const StreamResampler&) = delete;

  // Feeds `frames` interleaved input frames; appends every output frame soxr has ready to `out`.
  void Process(const float* in, size_t frames, std::vector<float>& out);
  // Signals the end of input and appends the remaining output.
  void Flush(std::vector<float>& out);

  // librosa's output length for n input frames: ceil(n * outRate / inRate) in float64, as librosa.resample
  // computes it before fix_length.
  static int64_t OutputLength(int64_t inFrames, double inRate, double outRate);

 private:
  void Run(const float* in, size_t frames, std::vector<float>& out, bool flush);
  soxr* soxr_ = nullptr;
  double ratio_;
  unsigned channels_;
};

}  // namespace audio
}  // namespace melguard
