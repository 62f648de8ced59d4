// spectrogramFiles(paths, config, windowing | null, {threads, offset, duration})
//   -> Promise<Array<FileFeatures | {path, error: {code, message}}>>
// Files are spread over the native thread pool; each one is decoded, resampled and turned into window
// spectrograms entirely in native code. A failing file yields its error and the batch goes on.
#include <napi.h>

#include <cmath>
#include <limits>
#include <memory>
#include <new>

#include "audio.h"
#include "audio/binding_util.h"
#include "audio/features.h"
#include "audio/reader.h"
#include "engine.h"
#include "spectrogram_js.h"
#include "threadpool.h"

namespace melguard {

namespace {

using audio::GetBool;
using audio::GetNumber;
using audio::ThrowInvalid;

audio::WindowingSpec ParseWindowing(Napi::Env env, const Napi::Value& v) {
  audio::WindowingSpec w;
  if (v.IsUndefined() || v.IsNull()) return w;  // whole clip
  if (!v.IsObject()) ThrowInvalid(env, "windowing must be an object or null");
  Napi::Object o = v.As<Napi::Object>();
  w.whole = false;
  w.windowSeconds = GetNumber(env, o, "windowSeconds", 0);
  w.hopSeconds = GetNumber(env, o, "hopSeconds", w.windowSeconds);
  w.minSeconds = GetNumber(env, o, "minSeconds", w.minSeconds);
  double maxWindows = GetNumber(env, o, "maxWindows", 0);
  if (GetBool(env, o, "firstOnly", false)) maxWindows = 1;
  if (!(maxWindows >= 0) || maxWindows > 9.0e15) ThrowInvalid(env, "maxWindows must be >= 0");
  w.maxWindows = static_cast<int64_t>(maxWindows);
  return w;
}

struct FileOutcome {
  std::string path;
  bool ok = false;
  audio::FileFeatures features;
  std::string code, message;
};

Napi::Value OutcomeToJs(Napi::Env env, FileOutcome& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("path", r.path);
  if (!r.ok) {
    Napi::Object error = Napi::Object::New(env);
    error.Set("code", r.code);
    error.Set("message", r.message);
    o.Set("error", error);
    return o;
  }
  audio::FileFeatures& f = r.features;
  o.Set("duration", f.duration);
  o.Set("sampleRate", f.sampleRate);
  Napi::Array windows = Napi::Array::New(env, f.spans.size());
  for (size_t i = 0; i < f.spans.size(); ++i) {
    Napi::Object span = Napi::Object::New(env);
    span.Set("start", f.spans[i].first);
    span.Set("end", f.spans[i].second);
    windows.Set(uint32_t(i), span);
  }
  o.Set("windows", windows);
  o.Set("data", audio::ToFloat32Array(env, std::move(f.data)));
  Napi::Array shape = Napi::Array::New(env, 3);
  shape.Set(0u, double(f.windows));
  shape.Set(1u, double(f.bins));
  shape.Set(2u, double(f.frames));
  o.Set("shape", shape);
  Napi::Object timing = Napi::Object::New(env);
  timing.Set("decode", f.decodeSeconds);
  timing.Set("resample", f.resampleSeconds);
  timing.Set("spectrogram", f.spectrogramSeconds);
  o.Set("timing", timing);
  o.Set("audioSeconds", f.audioSeconds);
  return o;
}

Napi::Value SpectrogramFilesJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArray()) ThrowInvalid(env, "paths must be an array of strings");
  Napi::Array list = info[0].As<Napi::Array>();
  auto outcomes = std::make_shared<std::vector<FileOutcome>>(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value p = list.Get(i);
    if (!p.IsString()) ThrowInvalid(env, "paths must be an array of strings");
    (*outcomes)[i].path = p.As<Napi::String>().Utf8Value();
  }
  if (info.Length() < 2 || !info[1].IsObject()) ThrowInvalid(env, "config must be an object");
  audio::WindowingSpec windowing = ParseWindowing(env, info.Length() > 2 ? info[2] : env.Undefined());
  Napi::Object opts = audio::ObjectArg(info, 3);
  DecodeOptions decode;
  decode.offset = GetNumber(env, opts, "offset", 0.0);
  decode.duration = GetNumber(env, opts, "duration", -1.0);
  SpectrogramConfig config;
  int threads = 0;
  try {
    config = ConfigFromJs(info[1]);  // the same reading and checks as the spectrogram bindings
    threads = ThreadsFromJs(opts.Get("threads"), 0);
    if (config.sr < 1000 || config.sr > audio::kMaxSampleRate) {
      throw Error(codes::kInvalidArg, "sr must be in [1000, " + std::to_string(audio::kMaxSampleRate) + "] to decode files");
    }
    if (!windowing.whole) audio::WindowSamples(windowing, config.sr);  // reject bad windowing before any work
  } catch (const Error& e) {
    throw ToJsError(env, e);
  }

  return audio::PromiseTask::Start(
      env,
      [outcomes, config, windowing, decode, threads] {
        auto engine = SpectrogramEngine::Get(config);
        ParallelFor(outcomes->size(), threads, [&](size_t i) {
          FileOutcome& r = (*outcomes)[i];
          try {
            auto reader = audio::Reader::OpenPath(r.path);
            r.features = audio::ComputeFileFeatures(*reader, decode, *engine, windowing);
            r.ok = true;
          } catch (const Error& e) {
            r.code = e.code();
            r.message = e.what();
            // Engine errors do not know the file: every message names it.
            if (r.message.find(r.path) == std::string::npos) r.message += ": " + r.path;
          } catch (const std::bad_alloc&) {
            r.code = codes::kTooLarge;
            r.message = "out of memory while processing " + r.path;
          } catch (const std::exception& e) {
            r.code = codes::kInternal;
            r.message = std::string(e.what()) + " (" + r.path + ")";
          }
        });
      },
      [outcomes](Napi::Env env) -> Napi::Value {
        Napi::Array out = Napi::Array::New(env, outcomes->size());
        for (size_t i = 0; i < outcomes->size(); ++i) out.Set(uint32_t(i), OutcomeToJs(env, (*outcomes)[i]));
        return out;
      });
}

}  // namespace

void InitFeatures(Napi::Env env, Napi::Object exports) {
  exports.Set("spectrogramFiles", Napi::Function::New(env, SpectrogramFilesJs, "spectrogramFiles"));
}

}  // namespace melguard
