#include "audio/copy_synthesis.h"

#include <kiss_fftr.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "audio/random.h"
#include "errors.h"
#include "fft.h"
#include "mel.h"

namespace melguard {
namespace audio {

namespace {

std::vector<float> PeriodicHann(int n) {
  std::vector<float> w(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) w[size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
  return w;
}

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

size_t FrameCount(size_t n, int hop) { return 1 + n / size_t(hop); }

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

}  // namespace

std::vector<float> Stft(const float* x, size_t n, int nFft, int hop) {
  const size_t bins = size_t(nFft / 2 + 1), frames = FrameCount(n, hop), half = size_t(nFft / 2);
  std::vector<float> win = PeriodicHann(nFft);
  std::vector<float> frame(static_cast<size_t>(nFft));
  std::vector<kiss_fft_cpx> out(bins);
  std::vector<float> spec(frames * bins * 2);
  RealFft fft(nFft);
  for (size_t t = 0; t < frames; ++t) {
    for (size_t i = 0; i < size_t(nFft); ++i) {
      // sample index in the unpadded signal; the centred frame starts half a window before t * hop
      long long j = (long long)(t * size_t(hop) + i) - (long long)half;
      frame[i] = (j >= 0 && size_t(j) < n) ? x[j] * win[i] : 0.0f;
    }
    fft.Forward(frame.data(), out.data());
    for (size_t b = 0; b < bins; ++b) {
      spec[(t * bins + b) * 2] = out[b].r;
      spec[(t * bins + b) * 2 + 1] = out[b].i;
    }
  }
  return spec;
}

std::vector<float> Istft(const std::vector<float>& spec, size_t frames, int nFft, int hop, size_t n) {
  const size_t bins = size_t(nFft / 2 + 1), half = size_t(nFft / 2), padded = size_t(nFft) + size_t(hop) * (frames - 1);
  std::vector<float> win = PeriodicHann(nFft);
  std::vector<float> frame(static_cast<size_t>(nFft));
  std::vector<double> y(padded, 0.0), wss(padded, 0.0);
  std::vector<kiss_fft_cpx> in(bins);
  InverseRealFft ifft(nFft);
  const float scale = 1.0f / float(nFft);
  for (size_t t = 0; t < frames; ++t) {
    for (size_t b = 0; b < bins; ++b) in[b] = {spec[(t * bins + b) * 2], spec[(t * bins + b) * 2 + 1]};
    in[0].i = 0;  // a real signal's DC and Nyquist bins are real
    in[bins - 1].i = 0;
    ifft.Inverse(in.data(), frame.data());
    for (size_t i = 0; i < size_t(nFft); ++i) {
      y[t * size_t(hop) + i] += double(frame[i]) * scale * win[i];
      wss[t * size_t(hop) + i] += double(win[i]) * win[i];
    }
  }
  std::vector<float> out(n, 0.0f);
  for (size_t i = 0; i < n && i + half < padded; ++i) {
    double w = wss[i + half];
    out[i] = float(w > 1e-8 ? y[i + half] / w : y[i + half]);
  }
  return out;
}

std::vector<float> CopySynthesis(const float* samples, size_t n, int sampleRate, const CopySynthesisOptions& o) {
  if (n == 0) throw Error(codes::kEmpty, "copy synthesis needs at least one sample");
  if (o.nFft < 16 || o.nFft % 2 != 0) throw Error(codes::kInvalidArg, "nFft must be an even number >= 16");
  if (o.hopLength < 1 || o.hopLength > o.nFft / 2) throw Error(codes::kInvalidArg, "hopLength must be in [1, nFft / 2]");
  if (o.nIter < 0 || o.nMels < 0) throw Error(codes::kInvalidArg, "nIter and nMels must be >= 0");
  const size_t bins = size_t(o.nFft / 2 + 1), frames = FrameCount(n, o.hopLength);
  // four complex spectrograms of this size are held at once (about 1 GiB at the bound)
  if (double(frames) * double(bins) > double(1u << 25)) throw Error(codes::kTooLarge, "signal too long for copy synthesis at this hopLength: split it or raise hopLength");

  std::vector<float> spec = Stft(samples, n, o.nFft, o.hopLength);
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
  std::vector<float> phase(frames * bins * 2), prev(frames * bins * 2, 0.0f), rebuilt;
  for (size_t i = 0; i < frames * bins; ++i) {
    double a = 2.0 * M_PI * rng.Uniform();
    phase[2 * i] = float(std::cos(a));
    phase[2 * i + 1] = float(std::sin(a));
  }
  const float beta = float(o.momentum / (1.0 + o.momentum));
  auto withMagnitude = [&](const std::vector<float>& ph) {
    std::vector<float> z(ph.size());
    for (size_t i = 0; i < frames * bins; ++i) {
      z[2 * i] = mag[i] * ph[2 * i];
      z[2 * i + 1] = mag[i] * ph[2 * i + 1];
    }
    return z;
  };
  for (int it = 0; it < o.nIter; ++it) {
    std::vector<float> y = Istft(withMagnitude(phase), frames, o.nFft, o.hopLength, n);
    rebuilt = Stft(y.data(), n, o.nFft, o.hopLength);
    for (size_t i = 0; i < frames * bins; ++i) {
      float re = rebuilt[2 * i] - beta * prev[2 * i], im = rebuilt[2 * i + 1] - beta * prev[2 * i + 1];
      float norm = std::hypot(re, im) + 1e-16f;
      phase[2 * i] = re / norm;
      phase[2 * i + 1] = im / norm;
    }
    prev.swap(rebuilt);
  }
  std::vector<float> y = Istft(withMagnitude(phase), frames, o.nFft, o.hopLength, n);

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
