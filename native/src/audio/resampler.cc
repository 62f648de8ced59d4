#include "audio/resampler.h"

#include <soxr.h>

#include <cmath>
#include <string>

#include "audio.h"
#include "errors.h"

namespace melguard {
namespace audio {

StreamResampler::StreamResampler(double inRate, double outRate, unsigned channels)
    : ratio_(outRate / inRate), channels_(channels) {
  if (!(inRate > 0) || !(outRate > 0) || !std::isfinite(inRate) || !std::isfinite(outRate)) {
    throw Error(codes::kInvalidArg, "resample: rates must be positive and finite");
  }
  soxr_error_t error = nullptr;
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  // One thread per resampler: parallelism comes from processing files concurrently.
  soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  soxr_ = soxr_create(inRate, outRate, channels, &error, &io, &quality, &runtime);
  if (error || !soxr_) {
    throw Error(codes::kInvalidArg, std::string("resample: soxr cannot convert ") + std::to_string(inRate) +
                                        " Hz to " + std::to_string(outRate) + " Hz (" + (error ? error : "?") + ")");
  }
}

StreamResampler::~StreamResampler() {
  if (soxr_) soxr_delete(soxr_);
}

int64_t StreamResampler::OutputLength(int64_t inFrames, double inRate, double outRate) {
  return static_cast<int64_t>(std::ceil(double(inFrames) * (outRate / inRate)));
}

void StreamResampler::Run(const float* in, size_t frames, std::vector<float>& out, bool flush) {
  size_t consumed = 0;
  for (;;) {
    size_t remaining = frames - consumed;
    size_t room = static_cast<size_t>(std::ceil(double(remaining) * ratio_)) + 256;
    size_t start = out.size();
    out.resize(start + room * channels_);
    size_t idone = 0, odone = 0;
    soxr_error_t error = soxr_process(soxr_, flush ? nullptr : in + consumed * channels_, flush ? 0 : remaining,
                                      flush ? nullptr : &idone, out.data() + start, room, &odone);
    out.resize(start + odone * channels_);
    if (error) throw Error(codes::kInternal, std::string("resample: soxr failed (") + error + ")");
    consumed += idone;
    if (!flush && idone == 0 && odone == 0) {
      throw Error(codes::kInternal, "resample: soxr made no progress");
    }
    if (flush) {
      if (odone == 0) return;
    } else if (consumed >= frames && odone < room) {
      return;
    }
  }
}

void StreamResampler::Process(const float* in, size_t frames, std::vector<float>& out) {
  if (frames > 0) Run(in, frames, out, false);
}

void StreamResampler::Flush(std::vector<float>& out) { Run(nullptr, 0, out, true); }

}  // namespace audio
}  // namespace melguard
