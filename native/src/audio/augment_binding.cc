// augment(samples, sampleRate, steps, seed) -> Promise<{samples, applied}>, and augmentSync (same, blocking).
// Steps arrive validated and with defaults filled by packages/dsp/src/augment.ts; this only converts them.
#include <napi.h>

#include <cmath>
#include <memory>
#include <new>

#include "audio/augment.h"
#include "audio/binding_util.h"

namespace melguard {

namespace {

using audio::AugmentStep;
using audio::AugmentType;
using audio::ThrowInvalid;

audio::Range RangeField(Napi::Env env, const Napi::Object& o, const char* key, audio::Range fallback) {
  if (!audio::Has(o, key)) return fallback;
  Napi::Value v = o.Get(key);
  if (v.IsNumber()) {
    double x = v.As<Napi::Number>().DoubleValue();
    return {x, x};
  }
  if (!v.IsArray() || v.As<Napi::Array>().Length() != 2) ThrowInvalid(env, std::string(key) + " must be [min, max]");
  Napi::Array a = v.As<Napi::Array>();
  Napi::Value lo = a.Get(0u), hi = a.Get(1u);
  if (!lo.IsNumber() || !hi.IsNumber()) ThrowInvalid(env, std::string(key) + " must be [min, max]");
  return {lo.As<Napi::Number>().DoubleValue(), hi.As<Napi::Number>().DoubleValue()};
}

AugmentStep ParseStep(Napi::Env env, const Napi::Value& value) {
  if (!value.IsObject()) ThrowInvalid(env, "each augmentation step must be an object");
  Napi::Object o = value.As<Napi::Object>();
  AugmentStep s;
  std::string type = audio::GetString(env, o, "type", "");
  s.p = audio::GetNumber(env, o, "p", 1.0);
  if (type == "gain") {
    s.type = AugmentType::kGain;
    s.range = RangeField(env, o, "db", {0, 0});
  } else if (type == "noise") {
    s.type = AugmentType::kNoise;
    s.range = RangeField(env, o, "snrDb", {20, 20});
    std::string color = audio::GetString(env, o, "color", "white");
    if (color == "white") s.color = audio::NoiseColor::kWhite;
    else if (color == "pink") s.color = audio::NoiseColor::kPink;
    else if (color == "brown") s.color = audio::NoiseColor::kBrown;
    else ThrowInvalid(env, "noise color must be white, pink or brown");
  } else if (type == "bandlimit") {
    s.type = AugmentType::kBandlimit;
    s.lowHz = audio::GetNumber(env, o, "lowHz", 0);
    s.highHz = audio::GetNumber(env, o, "highHz", 0);
  } else if (type == "telephone") {
    s.type = AugmentType::kTelephone;
  } else if (type == "resample") {
    s.type = AugmentType::kResample;
    if (!audio::Has(o, "viaHz") || !o.Get("viaHz").IsArray()) ThrowInvalid(env, "resample viaHz must be an array");
    Napi::Array via = o.Get("viaHz").As<Napi::Array>();
    for (uint32_t i = 0; i < via.Length(); ++i) {
      Napi::Value r = via.Get(i);
      if (!r.IsNumber()) ThrowInvalid(env, "resample viaHz must hold numbers");
      s.viaHz.push_back(static_cast<int>(r.As<Napi::Number>().DoubleValue()));
    }
  } else if (type == "clip") {
    s.type = AugmentType::kClip;
    s.range = RangeField(env, o, "level", {1, 1});
  } else if (type == "eq") {
    s.type = AugmentType::kEq;
    s.bands = static_cast<int>(audio::GetNumber(env, o, "bands", s.bands));
    s.gainDb = audio::GetNumber(env, o, "gainDb", s.gainDb);
  } else if (type == "reverb") {
    s.type = AugmentType::kReverb;
    s.range = RangeField(env, o, "rt60", {0.3, 0.3});
    s.drrDb = RangeField(env, o, "drrDb", s.drrDb);
  } else if (type == "codec") {
    s.type = AugmentType::kCodec;
    s.codec = audio::GetString(env, o, "format", "");
    s.bitrate = RangeField(env, o, "bitrate", s.bitrate);
    s.compression = RangeField(env, o, "compression", s.compression);
  } else {
    ThrowInvalid(env, "unknown augmentation type '" + type + "'");
  }
  return s;
}

struct Request {
  std::vector<float> samples;
  int sampleRate = 0;
  std::vector<AugmentStep> steps;
  uint64_t seed = 0;
  std::vector<float> output;
  std::vector<audio::AppliedStep> applied;
};

std::shared_ptr<Request> ParseRequest(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto r = std::make_shared<Request>();
  r->samples = audio::Float32Arg(info, 0, "samples");
  r->sampleRate = static_cast<int>(audio::NumberArg(info, 1, "sampleRate"));
  if (info.Length() < 3 || !info[2].IsArray()) ThrowInvalid(env, "steps must be an array");
  Napi::Array steps = info[2].As<Napi::Array>();
  for (uint32_t i = 0; i < steps.Length(); ++i) r->steps.push_back(ParseStep(env, steps.Get(i)));
  double seed = audio::NumberArg(info, 3, "seed");
  if (!(seed >= 0) || seed > 9007199254740991.0 || std::floor(seed) != seed) {
    ThrowInvalid(env, "seed must be an integer in [0, 2^53)");
  }
  r->seed = static_cast<uint64_t>(seed);
  return r;
}

Napi::Value ResultToJs(Napi::Env env, Request& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("samples", audio::ToFloat32Array(env, std::move(r.output)));
  Napi::Array applied = Napi::Array::New(env, r.applied.size());
  for (size_t i = 0; i < r.applied.size(); ++i) {
    Napi::Object step = Napi::Object::New(env);
    step.Set("type", r.applied[i].type);
    if (!r.applied[i].detail.empty()) step.Set(r.applied[i].type == "codec" ? "format" : "color", r.applied[i].detail);
    for (const auto& [key, value] : r.applied[i].values) step.Set(key, value);
    applied.Set(uint32_t(i), step);
  }
  out.Set("applied", applied);
  return out;
}

void Run(Request& r) {
  r.output = audio::Augment(r.samples.data(), r.samples.size(), r.sampleRate, r.steps, r.seed, &r.applied);
}

Napi::Value AugmentJs(const Napi::CallbackInfo& info) {
  auto r = ParseRequest(info);
  return audio::PromiseTask::Start(
      info.Env(), [r] { Run(*r); }, [r](Napi::Env env) { return ResultToJs(env, *r); });
}

Napi::Value AugmentSyncJs(const Napi::CallbackInfo& info) {
  auto r = ParseRequest(info);
  try {
    Run(*r);
  } catch (const Error& e) {
    throw ToJsError(info.Env(), e);
  } catch (const std::bad_alloc&) {
    throw ToJsError(info.Env(), codes::kTooLarge, "out of memory while augmenting");
  } catch (const std::exception& e) {
    throw ToJsError(info.Env(), codes::kInternal, e.what());
  }
  return ResultToJs(info.Env(), *r);
}

}  // namespace

void InitAugment(Napi::Env env, Napi::Object exports) {
  exports.Set("augment", Napi::Function::New(env, AugmentJs, "augment"));
  exports.Set("augmentSync", Napi::Function::New(env, AugmentSyncJs, "augmentSync"));
}

}  // namespace melguard
