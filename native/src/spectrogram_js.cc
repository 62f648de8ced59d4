#include "spectrogram_js.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "errors.h"

namespace melguard {

namespace {

[[noreturn]] void Invalid(const std::string& message) { throw Error(codes::kInvalidArg, message); }

bool Has(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return !v.IsUndefined();
}

double Number(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) Invalid(std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

int Integer(const Napi::Object& o, const char* key, int fallback) {
  if (!Has(o, key)) return fallback;
  double d = Number(o, key);
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > std::numeric_limits<int>::max())
    Invalid(std::string(key) + " must be an integer");
  return static_cast<int>(d);
}

double Real(const Napi::Object& o, const char* key, double fallback) { return Has(o, key) ? Number(o, key) : fallback; }

bool Boolean(const Napi::Object& o, const char* key, bool fallback) {
  if (!Has(o, key)) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) Invalid(std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string String(const Napi::Object& o, const char* key, const char* fallback) {
  if (!Has(o, key)) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsString()) Invalid(std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

}  // namespace

SpectrogramConfig ConfigFromJs(const Napi::Value& value) {
  if (!value.IsObject()) Invalid("spectrogram options must be an object");
  Napi::Object o = value.As<Napi::Object>();
  SpectrogramConfig c;
  c.sr = Integer(o, "sr", 22050);
  c.nFft = Integer(o, "nFft", 2048);
  c.winLength = Integer(o, "winLength", c.nFft);
  c.hopLength = Integer(o, "hopLength", c.winLength / 4);

  const std::string window = String(o, "window", "hann");
  if (window == "hann") c.window = WindowType::kHann;
  else if (window == "hamming") c.window = WindowType::kHamming;
  else if (window == "blackman") c.window = WindowType::kBlackman;
  else if (window == "rectangular") c.window = WindowType::kRectangular;
  else Invalid("window must be 'hann', 'hamming', 'blackman' or 'rectangular'");

  c.center = Boolean(o, "center", true);
  const std::string pad = String(o, "padMode", "constant");
  if (pad == "constant") c.padMode = PadMode::kConstant;
  else if (pad == "reflect") c.padMode = PadMode::kReflect;
  else Invalid("padMode must be 'constant' or 'reflect'");

  c.power = Integer(o, "power", 2);
  c.nMels = Integer(o, "nMels", 128);
  c.fMin = Real(o, "fMin", 0.0);
  c.fMax = Real(o, "fMax", c.sr / 2.0);
  c.htk = Boolean(o, "htk", false);
  Napi::Value norm = o.Get("norm");
  if (norm.IsUndefined()) c.slaneyNorm = true;
  else if (norm.IsNull()) c.slaneyNorm = false;
  else if (norm.IsString() && norm.As<Napi::String>().Utf8Value() == "slaney") c.slaneyNorm = true;
  else Invalid("norm must be 'slaney' or null");

  const std::string scale = String(o, "scale", "db");
  if (scale == "db") c.scale = Scale::kDb;
  else if (scale == "power") c.scale = Scale::kPower;
  else if (scale == "log") c.scale = Scale::kLog;
  else Invalid("scale must be 'power', 'db' or 'log'");

  Napi::Value ref = o.Get("ref");
  if (ref.IsUndefined() || (ref.IsString() && ref.As<Napi::String>().Utf8Value() == "max")) {
    c.refMax = true;
  } else if (ref.IsNumber()) {
    c.refMax = false;
    c.ref = ref.As<Napi::Number>().DoubleValue();
  } else {
    Invalid("ref must be 'max' or a number");
  }
  c.amin = Real(o, "amin", 1e-10);
  Napi::Value topDb = o.Get("topDb");
  if (topDb.IsNull()) c.topDb = std::nan("");
  else c.topDb = Real(o, "topDb", 80.0);
  c.Validate();
  return c;
}

Napi::Object SpectrogramToJs(Napi::Env env, const float* data, size_t bins, size_t frames) {
  const size_t count = bins * frames;
  Napi::Float32Array array = Napi::Float32Array::New(env, count);
  if (count) std::memcpy(array.Data(), data, count * sizeof(float));
  Napi::Object result = Napi::Object::New(env);
  Napi::Array shape = Napi::Array::New(env, 2);
  shape.Set(uint32_t(0), Napi::Number::New(env, static_cast<double>(bins)));
  shape.Set(uint32_t(1), Napi::Number::New(env, static_cast<double>(frames)));
  result.Set("data", array);
  result.Set("shape", shape);
  return result;
}

Napi::Float32Array RequireFloat32Array(const Napi::Value& value, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    Invalid(std::string(what) + " must be a Float32Array");
  return value.As<Napi::Float32Array>();
}

int ThreadsFromJs(const Napi::Value& value, int fallback) {
  if (value.IsUndefined() || value.IsNull()) return fallback;
  if (!value.IsNumber()) Invalid("threads must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < 0 || d > 1024) Invalid("threads must be an integer in [0, 1024]");
  return static_cast<int>(d);
}

}  // namespace melguard
