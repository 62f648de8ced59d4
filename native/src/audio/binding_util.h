// Helpers shared by the audio module's N-API bindings: a promise-returning worker that runs off the event
// loop and rejects with a typed error, zero-copy Float32Array results, and option readers.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "addon_data.h"
#include "errors.h"
#include "js_errors.h"

namespace melguard {
namespace audio {

// Runs `work` on a libuv worker thread; resolves with `done(env)` or rejects with {code, message, path}.
// Worker-safe like the spectrogram bindings: completions that arrive while the environment is being torn down
// (worker.terminate()) are dropped, since no JS can observe them and touching JS then would abort the process.
class PromiseTask : public Napi::AsyncWorker {
 public:
  using Work = std::function<void()>;
  using Done = std::function<Napi::Value(Napi::Env)>;

  static Napi::Promise Start(Napi::Env env, Work work, Done done) {
    auto* task = new PromiseTask(env, std::move(work), std::move(done));
    Napi::Promise promise = task->deferred_.Promise();
    task->Queue();
    return promise;
  }

  ~PromiseTask() override { addon_->pendingAsync--; }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (const Error& e) {
      Fail(e.code(), e.what(), e.path());
    } catch (const std::bad_alloc&) {
      Fail(codes::kTooLarge, "out of memory", "");
    } catch (const std::exception& e) {
      Fail(codes::kInternal, e.what(), "");
    }
  }
  void OnOK() override {
    if (addon_->closing.load()) return;
    try {
      Napi::HandleScope scope(Env());
      deferred_.Resolve(done_(Env()));
    } catch (const Napi::Error& e) {
      try {
        deferred_.Reject(e.Value());
      } catch (const Napi::Error&) {
      }
    }
  }
  void OnError(const Napi::Error&) override {
    if (addon_->closing.load()) return;
    try {
      Napi::HandleScope scope(Env());
      deferred_.Reject(ToJsError(Env(), code_, message_, path_).Value());
    } catch (const Napi::Error&) {
    }
  }
  void OnWorkComplete(Napi::Env env, napi_status status) override {
    try {
      Napi::AsyncWorker::OnWorkComplete(env, status);
    } catch (...) {
      // Only reachable while the environment is going away (see OnOK).
    }
  }

 private:
  PromiseTask(Napi::Env env, Work work, Done done)
      : Napi::AsyncWorker(env, "melguard.audio"),
        deferred_(Napi::Promise::Deferred::New(env)),
        addon_(GetAddonData(env)),
        work_(std::move(work)),
        done_(std::move(done)) {
    addon_->pendingAsync++;
    addon_->asyncCalls++;
  }
  void Fail(const std::string& code, const std::string& message, const std::string& path) {
    code_ = code;
    message_ = message;
    path_ = path;
    SetError(message);
  }

  Napi::Promise::Deferred deferred_;
  std::shared_ptr<AddonData> addon_;
  Work work_;
  Done done_;
  std::string code_, message_, path_;
};

// Moves a vector into a Float32Array without copying (the ArrayBuffer owns the vector).
// Falls back to a copy where external buffers are not allowed (runtimes with the V8 sandbox).
template <typename T>
Napi::ArrayBuffer OwnedArrayBuffer(Napi::Env env, std::vector<T>&& values) {
  size_t bytes = values.size() * sizeof(T);
  auto* owned = new std::vector<T>(std::move(values));
  try {
    return Napi::ArrayBuffer::New(
        env, owned->data(), bytes, [](Napi::Env, void*, std::vector<T>* v) { delete v; }, owned);
  } catch (const Napi::Error&) {
    Napi::ArrayBuffer copy = Napi::ArrayBuffer::New(env, bytes);
    std::memcpy(copy.Data(), owned->data(), bytes);
    delete owned;
    return copy;
  }
}

inline Napi::Float32Array ToFloat32Array(Napi::Env env, std::vector<float>&& values) {
  size_t n = values.size();
  if (n == 0) return Napi::Float32Array::New(env, 0);
  return Napi::Float32Array::New(env, n, OwnedArrayBuffer(env, std::move(values)), 0);
}

inline Napi::Uint8Array ToUint8Array(Napi::Env env, std::vector<uint8_t>&& values) {
  size_t n = values.size();
  if (n == 0) return Napi::Uint8Array::New(env, 0);
  return Napi::Uint8Array::New(env, n, OwnedArrayBuffer(env, std::move(values)), 0);
}

// Argument errors reaching native code (the TS layer validates first) are typed E_INVALID_ARG.
[[noreturn]] inline void ThrowInvalid(Napi::Env env, const std::string& message) {
  throw ToJsError(env, codes::kInvalidArg, message);
}

inline std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsString()) ThrowInvalid(info.Env(), std::string(what) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

inline double NumberArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) ThrowInvalid(info.Env(), std::string(what) + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

inline Napi::Object ObjectArg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined() || info[i].IsNull()) return Napi::Object::New(info.Env());
  if (!info[i].IsObject()) ThrowInvalid(info.Env(), "options must be an object");
  return info[i].As<Napi::Object>();
}

// Copies a Float32Array argument (JS may reuse its buffer while the worker runs).
inline std::vector<float> Float32Arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    ThrowInvalid(info.Env(), std::string(what) + " must be a Float32Array");
  }
  auto array = info[i].As<Napi::Float32Array>();
  return std::vector<float>(array.Data(), array.Data() + array.ElementLength());
}

inline bool Has(const Napi::Object& o, const char* key) {
  return o.Has(key) && !o.Get(key).IsUndefined() && !o.Get(key).IsNull();
}

inline double GetNumber(Napi::Env env, const Napi::Object& o, const char* key, double fallback) {
  if (!Has(o, key)) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) ThrowInvalid(env, std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

inline bool GetBool(Napi::Env env, const Napi::Object& o, const char* key, bool fallback) {
  if (!Has(o, key)) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsBoolean()) ThrowInvalid(env, std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

inline std::string GetString(Napi::Env env, const Napi::Object& o, const char* key, const std::string& fallback) {
  if (!Has(o, key)) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsString()) ThrowInvalid(env, std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

}  // namespace audio
}  // namespace melguard
