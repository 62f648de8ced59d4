#include "audio/augment.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "audio.h"
#include "audio/biquad.h"
#include "audio/encode.h"
#include "audio/random.h"
#include "errors.h"

namespace melguard {
namespace audio {

namespace {

double Draw(Random& rng, const Range& r) { return r.first == r.second ? r.first : rng.Uniform(r.first, r.second); }

double MeanSquare(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += double(v) * v;
  return x.empty() ? 0 : s / double(x.size());
}

void FixLength(std::vector<float>& x, size_t n) { x.resize(n, 0.0f); }

std::vector<float> ResampleTo(const std::vector<float>& x, int from, int to) {
  if (from == to) return x;
  return Resample(x.data(), x.size(), from, to);
}

void BandLimit(std::vector<float>& x, int sr, double lowHz, double highHz) {
  std::vector<Biquad> sections;
  if (lowHz > 0) {
    auto hp = ButterworthHighPass(sr, lowHz, 8);
    sections.insert(sections.end(), hp.begin(), hp.end());
  }
  if (highHz > 0 && highHz < 0.499 * sr) {
    auto lp = ButterworthLowPass(sr, highHz, 8);
    sections.insert(sections.end(), lp.begin(), lp.end());
  }
  FilterInPlace(sections, x.data(), x.size());
}

// G.711-style mu-law (mu = 255) with 8-bit codes: the companding and quantisation of a phone line.
void MuLaw8(std::vector<float>& x) {
  const double mu = 255.0, norm = std::log1p(mu);
  for (float& v : x) {
    double s = std::clamp(double(v), -1.0, 1.0);
    double f = std::copysign(std::log1p(mu * std::fabs(s)) / norm, s);
    double q = std::round(f * 127.0) / 127.0;
    v = static_cast<float>(std::copysign((std::pow(1.0 + mu, std::fabs(q)) - 1.0) / mu, q));
  }
}

int CodecRate(const std::string& format, int sr) {
  if (EncoderAcceptsRate(format, sr)) return sr;
  static const int kOpus[] = {8000, 12000, 16000, 24000, 48000};
  static const int kMp3[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  if (format == "opus") {
    for (int r : kOpus) if (r >= sr) return r;
    return 48000;
  }
  int best = 48000;
  for (int r : kMp3) if (std::abs(r - sr) < std::abs(best - sr)) best = r;
  return best;
}

const char* TypeName(AugmentType t) {
  switch (t) {
    case AugmentType::kGain: return "gain";
    case AugmentType::kNoise: return "noise";
    case AugmentType::kBandlimit: return "bandlimit";
    case AugmentType::kTelephone: return "telephone";
    case AugmentType::kResample: return "resample";
    case AugmentType::kClip: return "clip";
    case AugmentType::kEq: return "eq";
    case AugmentType::kReverb: return "reverb";
    case AugmentType::kCodec: return "codec";
  }
  return "?";
}

const char* ColorName(NoiseColor c) {
  return c == NoiseColor::kWhite ? "white" : c == NoiseColor::kPink ? "pink" : "brown";
}

void Validate(const AugmentStep& s, int sr) {
  auto bad = [&](const std::string& why) {
    throw Error(codes::kInvalidArg, std::string("augment ") + TypeName(s.type) + ": " + why);
  };
  if (!(s.p >= 0 && s.p <= 1)) bad("p must be in [0, 1]");
  if (!std::isfinite(s.range.first) || !std::isfinite(s.range.second) || s.range.first > s.range.second) {
    bad("range must be finite with min <= max");
  }
  switch (s.type) {
    case AugmentType::kClip:
      if (!(s.range.first > 0 && s.range.second <= 1)) bad("level must be in (0, 1]");
      break;
    case AugmentType::kReverb:
      if (!(s.range.first > 0 && s.range.second <= 10)) bad("rt60 must be in (0, 10] seconds");
      break;
    case AugmentType::kBandlimit:
      if (!(s.lowHz >= 0) || !(s.highHz >= 0) || (s.highHz > 0 && s.lowHz >= s.highHz)) bad("need 0 <= lowHz < highHz");
      break;
    case AugmentType::kResample:
      if (s.viaHz.empty()) bad("viaHz must list at least one rate");
      for (int r : s.viaHz) if (r < 1000 || r > 768000 || double(r) / sr > 256 || double(sr) / r > 256) bad("viaHz rate out of range");
      break;
    case AugmentType::kEq:
      if (s.bands < 1 || s.bands > 32) bad("bands must be in [1, 32]");
      if (!(s.gainDb >= 0 && s.gainDb <= 40)) bad("gainDb must be in [0, 40]");
      break;
    case AugmentType::kCodec:
      if (s.codec != "mp3" && s.codec != "opus" && s.codec != "ogg") bad("format must be mp3, opus or ogg");
      break;
    default:
      break;
  }
}

}  // namespace

std::vector<float> ColouredNoise(size_t n, NoiseColor color, uint64_t seed) {
  Random rng(seed);
  std::vector<float> out(n);
  if (color == NoiseColor::kWhite) {
    for (float& v : out) v = static_cast<float>(rng.Normal());
  } else if (color == NoiseColor::kPink) {
    // Paul Kellett's refined pink filter: -3 dB/octave within about 0.05 dB over the audio band.
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    for (float& v : out) {
      double w = rng.Normal();
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.96900 * b2 + w * 0.1538520;
      b3 = 0.86650 * b3 + w * 0.3104856;
      b4 = 0.55000 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.0168980;
      v = static_cast<float>(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
      b6 = w * 0.115926;
    }
  } else {
    // Brown (red) noise: leaky integration of white noise, -6 dB/octave above a few Hz.
    double y = 0;
    for (float& v : out) {
      y = 0.998 * y + rng.Normal();
      v = static_cast<float>(y);
    }
  }
  // No DC offset: only the noise's spectrum above 0 Hz matters.
  double mean = n ? std::accumulate(out.begin(), out.end(), 0.0) / double(n) : 0;
  for (float& v : out) v = static_cast<float>(v - mean);
  return out;
}

std::vector<float> SyntheticImpulseResponse(int sr, double rt60, double drrDb, uint64_t seed) {
  Random rng(seed);
  size_t length = std::max<size_t>(2, size_t(std::ceil(rt60 * sr)));
  std::vector<float> h(length);
  h[0] = 1.0f;
  // Amplitude decays by 60 dB (x1000) over rt60 seconds.
  const double decay = std::log(1000.0) / (rt60 * sr);
  double tailEnergy = 0;
  std::vector<double> tail(length, 0.0);
  for (size_t i = 1; i < length; ++i) {
    tail[i] = rng.Normal() * std::exp(-decay * double(i));
    tailEnergy += tail[i] * tail[i];
  }
  double scale = tailEnergy > 0 ? std::sqrt(std::pow(10.0, -drrDb / 10.0) / tailEnergy) : 0;
  for (size_t i = 1; i < length; ++i) h[i] = static_cast<float>(tail[i] * scale);
  return h;
}


std::vector<float> Augment(const float* samples, size_t n, int sr, const std::vector<AugmentStep>& steps, uint64_t seed,
                           std::vector<AppliedStep>* applied) {
  if (sr < 1000 || sr > 768000) throw Error(codes::kInvalidArg, "augment: sample rate out of range");
  for (const AugmentStep& s : steps) Validate(s, sr);
  std::vector<float> x(samples, samples + n);
  if (n == 0) return x;

  for (size_t k = 0; k < steps.size(); ++k) {
    const AugmentStep& s = steps[k];
    // Each step draws from its own stream: its decisions never depend on what earlier steps drew.
    Random rng = Random::Derive(seed, k);
    if (rng.Uniform() >= s.p) continue;
    AppliedStep record;
    record.type = TypeName(s.type);
    switch (s.type) {
      case AugmentType::kGain: {
        double db = Draw(rng, s.range);
        float g = static_cast<float>(std::pow(10.0, db / 20.0));
        for (float& v : x) v *= g;
        record.values = {{"db", db}};
        break;
      }
      case AugmentType::kNoise: {
        double snr = Draw(rng, s.range);
        double signal = MeanSquare(x);
        if (signal <= 0) continue;  // SNR is undefined on silence
        std::vector<float> noise = ColouredNoise(n, s.color, rng.Next());
        double power = MeanSquare(noise);
        if (power <= 0) continue;
        double scale = std::sqrt(signal / (power * std::pow(10.0, snr / 10.0)));
        for (size_t i = 0; i < n; ++i) x[i] += static_cast<float>(scale * noise[i]);
        record.values = {{"snrDb", snr}};
        record.detail = ColorName(s.color);
        break;
      }
      case AugmentType::kBandlimit:
        BandLimit(x, sr, s.lowHz, s.highHz);
        record.values = {{"lowHz", s.lowHz}, {"highHz", s.highHz}};
        break;
      case AugmentType::kTelephone: {
        BandLimit(x, sr, 300.0, 3400.0);
        if (sr > 8000) {
          std::vector<float> narrow = ResampleTo(x, sr, 8000);
          MuLaw8(narrow);
          x = ResampleTo(narrow, 8000, sr);
          FixLength(x, n);
        } else {
          MuLaw8(x);
        }
        break;
      }
      case AugmentType::kResample: {
        int via = s.viaHz[rng.Below(s.viaHz.size())];
        if (via != sr) {
          x = ResampleTo(ResampleTo(x, sr, via), via, sr);
          FixLength(x, n);
        }
        record.values = {{"viaHz", double(via)}};
        break;
      }
      case AugmentType::kClip: {
        double level = Draw(rng, s.range);
        float peak = 0;
        for (float v : x) peak = std::max(peak, std::fabs(v));
        float limit = static_cast<float>(level * peak);
        for (float& v : x) v = std::clamp(v, -limit, limit);
        record.values = {{"level", level}};
        break;
      }
      case AugmentType::kEq: {
        std::vector<Biquad> sections;
        double lo = std::log(60.0), hi = std::log(0.45 * sr);
        for (int b = 0; b < s.bands; ++b) {
          double f = std::exp(rng.Uniform(lo, hi));
          double q = rng.Uniform(0.5, 2.0);
          double g = rng.Uniform(-s.gainDb, s.gainDb);
          sections.push_back(Biquad::Peaking(sr, f, q, g));
          record.values.push_back({"hz" + std::to_string(b), f});
          record.values.push_back({"db" + std::to_string(b), g});
        }
        FilterInPlace(sections, x.data(), n);
        break;
      }
      case AugmentType::kReverb: {
        double rt60 = Draw(rng, s.range);
        double drr = Draw(rng, s.drrDb);
        std::vector<float> h = SyntheticImpulseResponse(sr, rt60, drr, rng.Next());
        double before = MeanSquare(x);
        x = Convolve(x.data(), n, h);
        double after = MeanSquare(x);
        // Keep the level: reverb should change the room, not the loudness.
        if (before > 0 && after > 0) {
          float g = static_cast<float>(std::sqrt(before / after));
          for (float& v : x) v *= g;
        }
        record.values = {{"rt60", rt60}, {"drrDb", drr}};
        break;
      }
      case AugmentType::kCodec: {
        int rate = CodecRate(s.codec, sr);
        EncodeOptions options;
        options.format = s.codec;
        if (s.codec == "ogg") {
          options.compression = Draw(rng, s.compression);
          record.values = {{"compression", options.compression}};
        } else {
          double kbps = Draw(rng, s.bitrate);
          options.bitrateKbps = int(std::lround(kbps));
          record.values = {{"bitrate", double(options.bitrateKbps)}};
        }
        std::vector<float> input = ResampleTo(x, sr, rate);
        std::vector<uint8_t> bytes = EncodeAudio(input.data(), input.size(), 1, rate, options);
        std::vector<float> decoded = DecodeAudioBuffer(bytes.data(), bytes.size(), DecodeOptions(), "<codec round trip>").samples;
        // LAME writes no gapless (LAME/Xing) header when the tag does not fit in a frame (low bitrates):
        // the decoder then returns the encoder + decoder delay of 576 + 529 samples up front.
        constexpr size_t kMp3Delay = 1105;
        if (s.codec == "mp3" && decoded.size() >= input.size() + kMp3Delay) {
          decoded.erase(decoded.begin(), decoded.begin() + kMp3Delay);
        }
        FixLength(decoded, input.size());
        x = ResampleTo(decoded, rate, sr);
        FixLength(x, n);
        record.detail = s.codec;
        break;
      }
    }
    if (applied) applied->push_back(std::move(record));
  }
  for (float v : x) {
    if (!std::isfinite(v)) throw Error(codes::kInternal, "augment produced a non-finite sample");
  }
  return x;
}

}  // namespace audio
}  // namespace melguard
