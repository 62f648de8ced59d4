// JS bindings of the spectrogram engine: sync, async (one signal) and batch (many signals over the pool) calls,
// the mel filterbank, frame counts, a finiteness scan, engine info and a native timing helper for benchmarks.
#include <napi.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "addon_data.h"
#include "buffer_pool.h"
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

// Computes one or many spectrograms off the event loop. Inputs are copied when the call is made (into recycled
// buffers), so JS may reuse, modify or transfer its arrays while the work runs. Outputs are Float32Arrays created
// on the JS thread before the work starts and filled in place: JS cannot see them until the promise resolves.
class SpectrogramWorker : public Napi::AsyncWorker {
 public:
  SpectrogramWorker(Napi::Env env, std::shared_ptr<const SpectrogramEngine> engine, int threads, bool batch)
      : Napi::AsyncWorker(env, batch ? "melguard.spectrogramBatch" : "melguard.spectrogramAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        addon_(GetAddonData(env)),
        engine_(std::move(engine)),
        threads_(threads),
        batch_(batch) {
    addon_->pendingAsync++;
  }
  ~SpectrogramWorker() override { addon_->pendingAsync--; }

  // Registers a signal: takes an input buffer for it and creates its output array. CopyInputs() fills the inputs.
  void Add(const Napi::Float32Array& samples, size_t outputSize) {
    Signal signal;
    signal.input = PooledFloats::Acquire(samples.ElementLength());
    signal.source = samples.Data();
    Napi::Float32Array output = Napi::Float32Array::New(Env(), outputSize);
    signal.out = output.Data();
    signal.frames = outputSize / engine_->Bins();
    signal.output = Napi::Reference<Napi::Float32Array>::New(output, 1);
    signals_.push_back(std::move(signal));
  }

  // Copies every registered signal's samples before the call returns to JS (JS may then reuse or transfer its
  // arrays). A large batch's copy is spread over the pool while the JS thread waits: done serially it was ~10 % of
  // a 2-thread batch's wall time and the main limit on its scaling.
  void CopyInputs(int threads) {
    auto copy = [this](size_t i) {
      Signal& s = signals_[i];
      if (s.input.size()) std::memcpy(s.input.data(), s.source, s.input.size() * sizeof(float));
      s.source = nullptr;
    };
    size_t bytes = 0;
    for (const Signal& s : signals_) bytes += s.input.size() * sizeof(float);
    const int width = threads <= 0 ? DefaultThreads() : threads;
    if (width > 1 && signals_.size() > 1 && bytes >= kParallelCopyBytes) {
      ParallelFor(signals_.size(), width, copy);
    } else {
      for (size_t i = 0; i < signals_.size(); ++i) copy(i);
    }
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    const size_t count = signals_.size();
    std::vector<std::string> errorCode(count), errorMessage(count);
    auto one = [&](size_t i, int threads) {
      Signal& s = signals_[i];
      try {
        engine_->Compute(s.input.data(), s.input.size(), s.out, threads);
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
      s.input.Release();  // back to the pool as soon as it is used
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
        deferred_.Resolve(Result(env, signals_[0]));
        return;
      }
      Napi::Array results = Napi::Array::New(env, signals_.size());
      for (size_t i = 0; i < signals_.size(); ++i) results.Set(static_cast<uint32_t>(i), Result(env, signals_[i]));
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
  static constexpr size_t kParallelCopyBytes = size_t(1) << 20;  // below this, waking the pool costs more

  struct Signal {
    PooledFloats input;
    const float* source = nullptr;  // the JS array's samples, valid only until CopyInputs() returns
    Napi::Reference<Napi::Float32Array> output;
    float* out = nullptr;
    size_t frames = 0;
  };

  Napi::Object Result(Napi::Env env, Signal& s) {
    Napi::Object result = Napi::Object::New(env);
    Napi::Array shape = Napi::Array::New(env, 2);
    shape.Set(uint32_t(0), Napi::Number::New(env, static_cast<double>(engine_->Bins())));
    shape.Set(uint32_t(1), Napi::Number::New(env, static_cast<double>(s.frames)));
    result.Set("data", s.output.Value());
    result.Set("shape", shape);
    s.output.Reset();
    return result;
  }

  Napi::Promise::Deferred deferred_;
  std::shared_ptr<AddonData> addon_;
  std::shared_ptr<const SpectrogramEngine> engine_;
  std::vector<Signal> signals_;
  int threads_;
  bool batch_;
  std::string code_;
};

// A promise already rejected with a coded error: async calls report bad input through their promise.
Napi::Value Rejected(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(ToJsError(env, code, message).Value());
  return deferred.Promise();
}

Napi::Value SpectrogramAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    Napi::Float32Array samples = RequireFloat32Array(info[0], "samples");
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    const int threads = ThreadsFromJs(info[2], 1);
    size_t size;
    try {
      size = engine->OutputSize(samples.ElementLength());
    } catch (const Error& e) {
      return Rejected(env, e.code(), e.what());
    }
    auto* worker = new SpectrogramWorker(env, engine, threads, false);
    try {
      worker->Add(samples, size);
      worker->CopyInputs(1);
    } catch (...) {
      delete worker;
      throw;
    }
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
    Napi::Array list = info[0].As<Napi::Array>();
    auto engine = SpectrogramEngine::Get(ConfigFromJs(info[1]));
    const int threads = ThreadsFromJs(info[2], 0);
    std::vector<Napi::Float32Array> signals;
    std::vector<size_t> sizes;
    size_t total = 0;
    for (uint32_t i = 0; i < list.Length(); ++i) {
      std::string what = "signals[" + std::to_string(i) + "]";
      signals.push_back(RequireFloat32Array(list.Get(i), what.c_str()));
      try {
        sizes.push_back(engine->OutputSize(signals.back().ElementLength()));
      } catch (const Error& e) {
        return Rejected(env, e.code(), "signal " + std::to_string(i) + ": " + e.what());
      }
      total += sizes.back();
      if (total > SpectrogramEngine::kMaxOutputValues) {
        return Rejected(env, codes::kTooLarge,
                        "the batch's spectrograms would hold more than 2^28 values (1 GiB); split the batch");
      }
    }
    auto* worker = new SpectrogramWorker(env, engine, threads, true);
    try {
      for (size_t i = 0; i < signals.size(); ++i) worker->Add(signals[i], sizes[i]);
      worker->CopyInputs(threads);
    } catch (...) {
      delete worker;
      throw;
    }
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
