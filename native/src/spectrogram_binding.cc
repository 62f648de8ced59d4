// JS bindings of the spectrogram engine: sync, async (one signal) and batch (many signals over the pool) calls,
// the mel filterbank, frame counts, a finiteness scan, engine info and a native timing helper for benchmarks.
#include <napi.h>

#include <atomic>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "addon_data.h"
#include "engine.h"
#include "errors.h"
#include "js_errors.h"
#include "kernels.h"
#include "spectrogram_js.h"
#include "threadpool.h"

namespace melguard {

namespace {

constexpr const char* kVersion = "0.1.0";

// Runs `body`, turning C++ failures into JS errors with a stable code.
template <typename Fn>
Napi::Value Guard(Napi::Env env, Fn body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const Error& e) {
    throw ToJsError(env, e);
  } catch (const std::bad_alloc&) {
    throw ToJsError(env, codes::kTooLarge, "out of memory while computing a spectrogram");
  } catch (const std::exception& e) {
    throw ToJsError(env, codes::kInternal, e.what());
  }
}

Napi::Value Spectrogram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    Napi::Float32Array samples = RequireFloat32Array(info[0], "samples");
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    const int threads = ThreadsFromJs(info[2], 1);
    const size_t n = samples.ElementLength();
    const size_t size = engine->OutputSize(n);  // throws E_EMPTY / E_INVALID_ARG / E_TOO_LARGE before allocating
    const size_t bins = engine->Bins();
    const size_t frames = size / bins;
    Napi::Float32Array out = Napi::Float32Array::New(env, size);
    engine->Compute(samples.Data(), n, out.Data(), threads);
    GetAddonData(env)->syncCalls++;
    Napi::Object result = Napi::Object::New(env);
    Napi::Array shape = Napi::Array::New(env, 2);
    shape.Set(uint32_t(0), Napi::Number::New(env, static_cast<double>(bins)));
    shape.Set(uint32_t(1), Napi::Number::New(env, static_cast<double>(frames)));
    result.Set("data", out);
    result.Set("shape", shape);
    return result;
  });
}

// Computes one or many spectrograms off the event loop. Inputs are copied when the call is made, so JS may
// reuse, modify or transfer its arrays while the work runs.
class SpectrogramWorker : public Napi::AsyncWorker {
 public:
  SpectrogramWorker(Napi::Env env, std::shared_ptr<const SpectrogramEngine> engine,
                    std::vector<std::vector<float>> inputs, int threads, bool batch)
      : Napi::AsyncWorker(env, batch ? "melguard.spectrogramBatch" : "melguard.spectrogramAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        addon_(GetAddonData(env)),
        engine_(std::move(engine)),
        inputs_(std::move(inputs)),
        outputs_(inputs_.size()),
        frames_(inputs_.size(), 0),
        threads_(threads),
        batch_(batch) {
    addon_->pendingAsync++;
  }
  ~SpectrogramWorker() override { addon_->pendingAsync--; }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    const size_t count = inputs_.size();
    std::vector<std::string> errorCode(count), errorMessage(count);
    auto one = [&](size_t i, int threads) {
      try {
        const std::vector<float>& x = inputs_[i];
        outputs_[i].resize(engine_->OutputSize(x.size()));
        frames_[i] = outputs_[i].size() / engine_->Bins();
        engine_->Compute(x.data(), x.size(), outputs_[i].data(), threads);
      } catch (const Error& e) {
        errorCode[i] = e.code();
        errorMessage[i] = e.what();
      } catch (const std::bad_alloc&) {
        errorCode[i] = codes::kTooLarge;
        errorMessage[i] = "out of memory while computing a spectrogram";
      } catch (const std::exception& e) {
        errorCode[i] = codes::kInternal;
        errorMessage[i] = e.what();
      }
      std::vector<float>().swap(inputs_[i]);  // release the copy as soon as it is used
    };
    const int width = threads_ <= 0 ? DefaultThreads() : threads_;
    if (count >= static_cast<size_t>(width)) {
      ParallelFor(count, width, [&](size_t i) { one(i, 1); });  // signals across threads
    } else {
      for (size_t i = 0; i < count; ++i) one(i, width);  // few long signals: frames across threads
    }
    for (size_t i = 0; i < count; ++i) {
      if (!errorCode[i].empty()) {
        code_ = errorCode[i];
        SetError(batch_ ? "signal " + std::to_string(i) + ": " + errorMessage[i] : errorMessage[i]);
        return;
      }
    }
  }

  // During environment teardown (worker.terminate()) completions can still arrive while JS can no longer run:
  // resolving then throws. Nobody can observe the promise any more, so those failures are dropped here rather
  // than escaping into Node-API (which would abort the process).
  void OnOK() override {
    if (addon_->closing.load()) return;
    try {
      Napi::Env env = Env();
      if (!batch_) {
        deferred_.Resolve(SpectrogramToJs(env, outputs_[0].data(), engine_->Bins(), frames_[0]));
        return;
      }
      Napi::Array results = Napi::Array::New(env, outputs_.size());
      for (size_t i = 0; i < outputs_.size(); ++i) {
        results.Set(static_cast<uint32_t>(i), SpectrogramToJs(env, outputs_[i].data(), engine_->Bins(), frames_[i]));
        std::vector<float>().swap(outputs_[i]);
      }
      deferred_.Resolve(results);
    } catch (const Napi::Error&) {
    }
  }

  void OnError(const Napi::Error& error) override {
    if (addon_->closing.load()) return;
    try {
      deferred_.Reject(ToJsError(Env(), code_.empty() ? codes::kInternal : code_, error.Message()).Value());
    } catch (const Napi::Error&) {
    }
  }

  void OnWorkComplete(Napi::Env env, napi_status status) override {
    try {
      Napi::AsyncWorker::OnWorkComplete(env, status);
    } catch (...) {
      // Only reachable when the environment is going away (see OnOK).
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<AddonData> addon_;
  std::shared_ptr<const SpectrogramEngine> engine_;
  std::vector<std::vector<float>> inputs_;
  std::vector<std::vector<float>> outputs_;
  std::vector<size_t> frames_;
  int threads_;
  bool batch_;
  std::string code_;
};

std::vector<float> CopySamples(const Napi::Float32Array& a) {
  return std::vector<float>(a.Data(), a.Data() + a.ElementLength());
}

Napi::Value SpectrogramAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    Napi::Float32Array samples = RequireFloat32Array(info[0], "samples");
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    const int threads = ThreadsFromJs(info[2], 1);
    std::vector<std::vector<float>> inputs;
    inputs.push_back(CopySamples(samples));
    auto* worker = new SpectrogramWorker(env, std::move(engine), std::move(inputs), threads, false);
    Napi::Promise promise = worker->Promise();
    worker->Queue();  // the worker deletes itself after OnOK/OnError
    GetAddonData(env)->asyncCalls++;
    return promise;
  });
}

Napi::Value SpectrogramBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    if (!info[0].IsArray()) throw Error(codes::kInvalidArg, "signals must be an array of Float32Array");
    Napi::Array signals = info[0].As<Napi::Array>();
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    const int threads = ThreadsFromJs(info[2], 0);
    std::vector<std::vector<float>> inputs(signals.Length());
    for (uint32_t i = 0; i < signals.Length(); ++i) {
      std::string what = "signals[" + std::to_string(i) + "]";
      inputs[i] = CopySamples(RequireFloat32Array(signals.Get(i), what.c_str()));
    }
    auto* worker = new SpectrogramWorker(env, std::move(engine), std::move(inputs), threads, true);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    GetAddonData(env)->batchCalls++;
    return promise;
  });
}

Napi::Value MelFilterbank(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    SpectrogramConfig config = ConfigFromJs(info[0]);
    if (config.nMels <= 0) throw Error(codes::kInvalidArg, "melFilterbank needs nMels >= 1");
    auto engine = SpectrogramEngine::Get(config);
    std::vector<float> dense = engine->Filterbank();
    const size_t nFreqs = static_cast<size_t>(1 + config.nFft / 2);
    Napi::Object result = SpectrogramToJs(env, dense.data(), static_cast<size_t>(config.nMels), nFreqs);
    result.Set("nonzeros", Napi::Number::New(env, static_cast<double>(engine->FilterbankNonzeros())));
    return result;
  });
}

Napi::Value FrameCount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    if (!info[0].IsNumber()) throw Error(codes::kInvalidArg, "nSamples must be a number");
    double n = info[0].As<Napi::Number>().DoubleValue();
    if (!(n >= 0) || n != std::floor(n) || n > 9007199254740991.0)
      throw Error(codes::kInvalidArg, "nSamples must be a non-negative integer");
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    return Napi::Number::New(env, n == 0 ? 0.0 : static_cast<double>(engine->Frames(static_cast<size_t>(n))));
  });
}

Napi::Value FirstNonFinite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    Napi::Float32Array samples = RequireFloat32Array(info[0], "samples");
    const size_t n = samples.ElementLength();
    const size_t i = GetKernels().firstNonFinite(samples.Data(), n);
    return Napi::Number::New(env, i == n ? -1.0 : static_cast<double>(i));
  });
}

Napi::Value BenchSpectrogram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    Napi::Float32Array samples = RequireFloat32Array(info[0], "samples");
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    int repeats = ThreadsFromJs(info[2], 5);  // same integer rules
    auto timing = engine->Measure(samples.Data(), samples.ElementLength(), repeats < 1 ? 1 : repeats);
    Napi::Object result = Napi::Object::New(env);
    result.Set("frames", Napi::Number::New(env, static_cast<double>(timing.frames)));
    result.Set("totalSeconds", Napi::Number::New(env, timing.totalSeconds));
    result.Set("fftSeconds", Napi::Number::New(env, timing.fftSeconds));
    result.Set("systemFftSeconds", Napi::Number::New(env, timing.systemFftSeconds));
    result.Set("fft", Napi::String::New(env, timing.fft));
    result.Set("kernels", Napi::String::New(env, GetKernels().name));
    return result;
  });
}

Napi::Value EngineInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto data = GetAddonData(env);
  Napi::Object result = Napi::Object::New(env);
  result.Set("version", Napi::String::New(env, kVersion));
  result.Set("fft", Napi::String::New(env, FftName()));
  result.Set("fftDescription",
             Napi::String::New(env, std::string(FftName()) == "kissfft-simd4"
                                        ? "KissFFT SIMD build, 4 real transforms at once (odd nFft: system kiss_fft)"
                                        : "system libkissfft-float, kiss_fftr one frame at a time (odd nFft: kiss_fft)"));
  result.Set("kernels", Napi::String::New(env, GetKernels().name));
  result.Set("defaultThreads", Napi::Number::New(env, DefaultThreads()));
  result.Set("poolThreads", Napi::Number::New(env, PoolThreads()));
  result.Set("cachedEngines", Napi::Number::New(env, static_cast<double>(CachedEngines())));
  Napi::Object calls = Napi::Object::New(env);
  calls.Set("sync", Napi::Number::New(env, static_cast<double>(data->syncCalls.load())));
  calls.Set("async", Napi::Number::New(env, static_cast<double>(data->asyncCalls.load())));
  calls.Set("batch", Napi::Number::New(env, static_cast<double>(data->batchCalls.load())));
  calls.Set("pending", Napi::Number::New(env, static_cast<double>(data->pendingAsync.load())));
  result.Set("calls", calls);
  return result;
}

}  // namespace

void InitSpectrogram(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::String::New(env, kVersion));
  exports.Set("spectrogram", Napi::Function::New(env, Spectrogram, "spectrogram"));
  exports.Set("spectrogramAsync", Napi::Function::New(env, SpectrogramAsync, "spectrogramAsync"));
  exports.Set("spectrogramBatch", Napi::Function::New(env, SpectrogramBatch, "spectrogramBatch"));
  exports.Set("melFilterbank", Napi::Function::New(env, MelFilterbank, "melFilterbank"));
  exports.Set("frameCount", Napi::Function::New(env, FrameCount, "frameCount"));
  exports.Set("firstNonFinite", Napi::Function::New(env, FirstNonFinite, "firstNonFinite"));
  exports.Set("benchSpectrogram", Napi::Function::New(env, BenchSpectrogram, "benchSpectrogram"));
  exports.Set("engineInfo", Napi::Function::New(env, EngineInfo, "engineInfo"));
}

}  // namespace melguard
