#include "framing.h"

namespace melguard {

namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// numpy.pad(mode='reflect') of a segment [0, len) read at any index: reflection about both ends, repeated
// (period 2*(len-1)); a single sample extends as a constant (numpy's legacy singleton rule).
int64_t Reflect(int64_t index, int64_t len) {
  if (len == 1) return 0;
  const int64_t period = 2 * (len - 1);
  int64_t m = index % period;
  if (m < 0) m += period;
  return m >= len ? period - m : m;
}

}  // namespace

Framer::Framer(int nFft, int hopLength, bool center, PadMode padMode)
    : nFft_(nFft), hop_(hopLength), padLeft_(center ? nFft / 2 : 0), center_(center), padMode_(padMode) {}

size_t Framer::Frames(size_t n) const {
  const int64_t padded = static_cast<int64_t>(n) + 2 * padLeft_;
  if (padded < nFft_) return 0;
  return static_cast<size_t>(1 + (padded - nFft_) / hop_);
}

// librosa pads the head and the tail separately when they do not overlap (stft's start_k / tail_k): the head is
// reflected about sample 0 of the whole signal, but the tail is np.pad of the slice y[tail_k*hop - nFft/2:],
// which differs from reflecting the whole signal when that slice is not longer than the padding (hop > nFft/2).
float Framer::PadValue(const float* x, size_t n, int64_t index) const {
  if (padMode_ == PadMode::kConstant) return 0.0f;
  const int64_t len = static_cast<int64_t>(n);
  const int64_t half = padLeft_;
  const int64_t startK = (half + hop_ - 1) / hop_;
  const int64_t tailK = FloorDiv(len + half - nFft_, hop_) + 1;
  if (index >= len && tailK > startK) {
    const int64_t segStart = tailK * hop_ - half;
    const int64_t segLen = len - segStart;
    return x[segStart + Reflect(index - segStart, segLen)];
  }
  return x[Reflect(index, len)];
}

const float* Framer::Frame(const float* x, size_t n, size_t t, float* buf, size_t from, size_t count) const {
  const int64_t start = static_cast<int64_t>(t) * hop_ - padLeft_;
  const int64_t len = static_cast<int64_t>(n);
  if (start >= 0 && start + nFft_ <= len) return x + start;
  for (size_t i = from; i < from + count; ++i) {
    const int64_t index = start + static_cast<int64_t>(i);
    buf[i] = (index >= 0 && index < len) ? x[index] : PadValue(x, n, index);
  }
  return buf;
}

}  // namespace melguard
