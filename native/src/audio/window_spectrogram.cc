#include "audio/window_spectrogram.h"

#include <algorithm>
#include <cstring>

#include "engine_impl.h"

namespace melguard {
namespace audio {

namespace {
std::vector<float>& ThreadBuffer(int which) {
  thread_local std::vector<float> buffers[2];
  return buffers[which];
}
}  // namespace

// One WindowSpectrogram per thread at a time (a file is processed by one thread from start to end).
WindowSpectrogram::WindowSpectrogram(const SpectrogramEngine& engine, size_t window, size_t hop)
    : engine_(engine),
      window_(window),
      bins_(engine.Bins()),
      frames_(engine.Frames(window)),
      previous_(ThreadBuffer(0)),
      current_(ThreadBuffer(1)) {
  impl_ = dynamic_cast<const EngineImpl*>(&engine);
  const SpectrogramConfig& c = engine.config();
  // Reuse needs window starts on the frame grid and some frame shared by consecutive windows.
  if (impl_ && hop % size_t(c.hopLength) == 0 && hop / size_t(c.hopLength) < frames_) {
    shift_ = hop / size_t(c.hopLength);
    previous_.resize(bins_ * frames_);
    current_.resize(bins_ * frames_);
  }
}

// Frame t reads only samples of the window itself (no padding), so it equals the frame `shift_` later in the
// previous window whenever that one is interior too.
bool WindowSpectrogram::Interior(size_t t) const {
  const SpectrogramConfig& c = engine_.config();
  int64_t start = int64_t(t) * c.hopLength - (c.center ? c.nFft / 2 : 0);
  return start >= 0 && start + c.nFft <= int64_t(window_);
}

void WindowSpectrogram::Compute(const float* x, float* out, bool followsPrevious) {
  if (shift_ == 0) {
    engine_.Compute(x, window_, out);
    return;
  }
  // Frames [reuseBegin, reuseEnd) are copied from the previous window's frames [+shift_).
  size_t reuseBegin = 0, reuseEnd = 0;
  if (followsPrevious && havePrevious_) {
    size_t t = 0;
    while (t < frames_ && !(Interior(t) && t + shift_ < frames_ && Interior(t + shift_))) ++t;
    reuseBegin = t;
    while (t < frames_ && Interior(t) && t + shift_ < frames_ && Interior(t + shift_)) ++t;
    reuseEnd = t;
    // The engine's kernels give each frame the same arithmetic whatever block of 8 it shares (one SIMD lane per
    // frame), so a frame's value does not depend on the range it is computed in.
  }
  float maxValue = 0.0f;
  float* cur = current_.data();
  if (reuseBegin > 0) maxValue = std::max(maxValue, impl_->ComputeFrames(x, window_, frames_, 0, reuseBegin, cur));
  if (reuseEnd > reuseBegin) {
    for (size_t b = 0; b < bins_; ++b) {
      const float* src = previous_.data() + b * frames_ + reuseBegin + shift_;
      float* dst = cur + b * frames_ + reuseBegin;
      std::memcpy(dst, src, sizeof(float) * (reuseEnd - reuseBegin));
      for (size_t t = 0; t < reuseEnd - reuseBegin; ++t) maxValue = std::max(maxValue, dst[t]);
    }
  }
  if (reuseEnd < frames_) {
    maxValue = std::max(maxValue, impl_->ComputeFrames(x, window_, frames_, std::max(reuseEnd, reuseBegin), frames_, cur));
  }
  std::memcpy(out, cur, sizeof(float) * bins_ * frames_);
  impl_->ApplyScale(out, bins_ * frames_, maxValue, 1);
  previous_.swap(current_);
  havePrevious_ = true;
}

}  // namespace audio
}  // namespace melguard
