#include "audio/copy_synthesis.h"

#include <kiss_fftr.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "audio/random.h"
#include "errors.h"
#include "fft.h"
#include "framing.h"
#include "mel.h"
#include "window.h"

namespace melguard {
namespace audio {

namespace {

// Inverse real FFT (kiss_fftri, unnormalised) with the plan's memory owned here, like RealFft.
class InverseRealFft {
 public:
  explicit InverseRealFft(int nFft) {
    size_t len = 0;
    kiss_fftr_alloc(nFft, 1, nullptr, &len);
    memory_.resize(len);
    cfg_ = kiss_fftr_alloc(nFft, 1, memory_.data(), &len);
    if (!cfg_) throw Error(codes::kInternal, "KissFFT could not plan an inverse transform of size " + std::to_string(nFft));
  }
  void Inverse(const kiss_fft_cpx* in, float* out) { kiss_fftri(cfg_, in, out); }

 private:
  std::vector<char> memory_;
  kiss_fftr_cfg cfg_ = nullptr;
};

// Least-squares return from mel to linear frequency: s = W^T (W W^T + ridge I)^-1 m, clamped at 0. The small
// ridge keeps the Cholesky factorisation stable when two filters overlap almost completely.
class MelInverse {
 public:
  MelInverse(const std::vector<float>& w, size_t nMels, size_t nBins) : w_(w), m_(nMels), k_(nBins), l_(nMels * nMels) {
    std::vector<double> g(m_ * m_, 0.0);
    double trace = 0;
    for (size_t i = 0; i < m_; ++i)
      for (size_t j = 0; j < m_; ++j) {
        double s = 0;
        for (size_t f = 0; f < k_; ++f) s += double(w_[i * k_ + f]) * w_[j * k_ + f];
        g[i * m_ + j] = s;
        if (i == j) trace += s;
      }
    double ridge = 1e-6 * trace / double(m_) + 1e-12;
    for (size_t i = 0; i < m_; ++i) g[i * m_ + i] += ridge;
    for (size_t j = 0; j < m_; ++j) {  // Cholesky: g = L L^T
      double d = g[j * m_ + j];
      for (size_t k = 0; k < j; ++k) d -= l_[j * m_ + k] * l_[j * m_ + k];
      if (!(d > 0)) throw Error(codes::kInvalidArg, "the mel filterbank is singular for these parameters (an empty mel band?): lower nMels or raise nFft");
      l_[j * m_ + j] = std::sqrt(d);
      for (size_t i = j + 1; i < m_; ++i) {
        double s = g[i * m_ + j];
        for (size_t k = 0; k < j; ++k) s -= l_[i * m_ + k] * l_[j * m_ + k];
        l_[i * m_ + j] = s / l_[j * m_ + j];
      }
    }
  }

  // mag: k_ linear magnitudes in, replaced by their mel-bottlenecked estimate.
  void Apply(float* mag, std::vector<double>& mel) const {
    mel.assign(m_, 0.0);
    for (size_t i = 0; i < m_; ++i) {
      double s = 0;
      for (size_t f = 0; f < k_; ++f) s += double(w_[i * k_ + f]) * mag[f];
      mel[i] = s;
    }
    for (size_t i = 0; i < m_; ++i) {  // forward then back substitution
      double s = mel[i];
      for (size_t k = 0; k < i; ++k) s -= l_[i * m_ + k] * mel[k];
      mel[i] = s / l_[i * m_ + i];
    }
    for (size_t i = m_; i-- > 0;) {
      double s = mel[i];
      for (size_t k = i + 1; k < m_; ++k) s -= l_[k * m_ + i] * mel[k];
      mel[i] = s / l_[i * m_ + i];
    }
    for (size_t f = 0; f < k_; ++f) {
      double s = 0;
      for (size_t i = 0; i < m_; ++i) s += double(w_[i * k_ + f]) * mel[i];
      mag[f] = float(std::max(0.0, s));
    }
  }

 private:
  const std::vector<float>& w_;
  size_t m_, k_;
  std::vector<double> l_;
};

// librosa's centred STFT (zero padding, periodic Hann) of one signal length and its inverse by weighted
// overlap-add, trimmed to that length. Window, plans, buffers and the window-sum normalisation are made once:
// Griffin-Lim runs both transforms every iteration. Spectra are frame-major, interleaved re/im.
class StftPair {
 public:
  StftPair(int nFft, int hop, size_t n)
      : nFft_(size_t(nFft)), hop_(size_t(hop)), n_(n), bins_(size_t(nFft / 2 + 1)),
        framer_(nFft, hop, true, PadMode::kConstant), frames_(framer_.Frames(n)),
        fft_(nFft), ifft_(nFft), frame_(nFft_), cpx_(std::max(bins_, fft_.OutputSize())) {
    const std::vector<double> w = PeriodicWindow(WindowType::kHann, nFft);
    window_.assign(w.begin(), w.end());
    wss_.assign(nFft_ + hop_ * (frames_ - 1), 0.0);
    for (size_t t = 0; t < frames_; ++t)
      for (size_t i = 0; i < nFft_; ++i) wss_[t * hop_ + i] += w[i] * w[i];
  }
  size_t frames() const { return frames_; }
  size_t bins() const { return bins_; }

  void Forward(const float* x, std::vector<float>& spec) {
    spec.resize(frames_ * bins_ * 2);
    for (size_t t = 0; t < frames_; ++t) {
      const float* src = framer_.Frame(x, n_, t, frame_.data(), 0, nFft_);
      for (size_t i = 0; i < nFft_; ++i) frame_[i] = src[i] * window_[i];
      fft_.Forward(frame_.data(), cpx_.data());
      for (size_t b = 0; b < bins_; ++b) {
        spec[(t * bins_ + b) * 2] = cpx_[b].r;
        spec[(t * bins_ + b) * 2 + 1] = cpx_[b].i;
      }
    }
  }

  void Inverse(const std::vector<float>& spec, std::vector<float>& out) {
    std::vector<double> y(wss_.size(), 0.0);
    const float scale = 1.0f / float(nFft_);
    for (size_t t = 0; t < frames_; ++t) {
      for (size_t b = 0; b < bins_; ++b) cpx_[b] = {spec[(t * bins_ + b) * 2], spec[(t * bins_ + b) * 2 + 1]};
      cpx_[0].i = 0;  // a real signal's DC and Nyquist bins are real
      cpx_[bins_ - 1].i = 0;
      ifft_.Inverse(cpx_.data(), frame_.data());
      for (size_t i = 0; i < nFft_; ++i) y[t * hop_ + i] += double(frame_[i]) * scale * window_[i];
    }
    const size_t half = nFft_ / 2;
    out.assign(n_, 0.0f);
    for (size_t i = 0; i < n_ && i + half < y.size(); ++i) {
      const double w = wss_[i + half];
      out[i] = float(w > 1e-8 ? y[i + half] / w : y[i + half]);
    }
  }

 private:
  size_t nFft_, hop_, n_, bins_;
  Framer framer_;
  size_t frames_;
  RealFft fft_;
  InverseRealFft ifft_;
  std::vector<float> window_, frame_;
  std::vector<double> wss_;
  std::vector<kiss_fft_cpx> cpx_;
};

}  // namespace

std::vector<float> CopySynthesis(const float* samples, size_t n, int sampleRate, const CopySynthesisOptions& o) {
  if (n == 0) throw Error(codes::kEmpty, "copy synthesis needs at least one sample");
  if (o.nFft < 16 || o.nFft % 2 != 0) throw Error(codes::kInvalidArg, "nFft must be an even number >= 16");
  if (o.hopLength < 1 || o.hopLength > o.nFft / 2) throw Error(codes::kInvalidArg, "hopLength must be in [1, nFft / 2]");
  if (o.nIter < 0 || o.nMels < 0) throw Error(codes::kInvalidArg, "nIter and nMels must be >= 0");
  const size_t bins = size_t(o.nFft / 2 + 1), frames = Framer(o.nFft, o.hopLength, true, PadMode::kConstant).Frames(n);
  // four complex spectrograms of this size are held at once (about 1 GiB at the bound): refuse before allocating
  if (double(frames) * double(bins) > double(1u << 25)) throw Error(codes::kTooLarge, "signal too long for copy synthesis at this hopLength: split it or raise hopLength");

  StftPair stft(o.nFft, o.hopLength, n);
  std::vector<float> spec;
  stft.Forward(samples, spec);
  std::vector<float> mag(frames * bins);
  for (size_t i = 0; i < frames * bins; ++i) mag[i] = std::hypot(spec[2 * i], spec[2 * i + 1]);
  if (o.nMels > 0) {
    MelParams p;
    p.sr = sampleRate;
    p.nFft = o.nFft;
    p.nMels = o.nMels;
    p.fMin = o.fMin;
    p.fMax = o.fMax > 0 ? o.fMax : sampleRate / 2.0;
    std::vector<float> w = MelFilterbank(p);
    MelInverse inverse(w, size_t(o.nMels), bins);
    std::vector<double> scratch;
    for (size_t t = 0; t < frames; ++t) inverse.Apply(&mag[t * bins], scratch);
  }

  // Fast Griffin-Lim (Perraudin et al. 2013), as librosa.griffinlim: unit phasors, random start.
  Random rng = Random::Derive(o.seed, 0x6c);
  std::vector<float> phase(frames * bins * 2), prev(frames * bins * 2, 0.0f), rebuilt, y, z(frames * bins * 2);
  for (size_t i = 0; i < frames * bins; ++i) {
    double a = 2.0 * M_PI * rng.Uniform();
    phase[2 * i] = float(std::cos(a));
    phase[2 * i + 1] = float(std::sin(a));
  }
  const float beta = float(o.momentum / (1.0 + o.momentum));
  auto synthesise = [&] {  // y = ISTFT(magnitude x phase)
    for (size_t i = 0; i < frames * bins; ++i) {
      z[2 * i] = mag[i] * phase[2 * i];
      z[2 * i + 1] = mag[i] * phase[2 * i + 1];
    }
    stft.Inverse(z, y);
  };
  for (int it = 0; it < o.nIter; ++it) {
    synthesise();
    stft.Forward(y.data(), rebuilt);
    for (size_t i = 0; i < frames * bins; ++i) {
      float re = rebuilt[2 * i] - beta * prev[2 * i], im = rebuilt[2 * i + 1] - beta * prev[2 * i + 1];
      float norm = std::hypot(re, im) + 1e-16f;
      phase[2 * i] = re / norm;
      phase[2 * i + 1] = im / norm;
    }
    prev.swap(rebuilt);
  }
  synthesise();

  double inEnergy = 0, outEnergy = 0;  // same level as the input, so loudness tells nothing
  for (size_t i = 0; i < n; ++i) {
    inEnergy += double(samples[i]) * samples[i];
    outEnergy += double(y[i]) * y[i];
  }
  if (outEnergy > 0) {
    float g = float(std::sqrt(inEnergy / outEnergy));
    for (float& v : y) v *= g;
  }
  return y;
}

}  // namespace audio
}  // namespace melguard
