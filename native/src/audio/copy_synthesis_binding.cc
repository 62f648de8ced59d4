// copySynthesis(samples, sampleRate, options) -> Promise<Float32Array>, off the event loop. Options arrive
// validated and complete from packages/dsp/src/copy-synthesis.ts; this only converts them.
#include <napi.h>

#include <cmath>
#include <memory>

#include "audio/binding_util.h"
#include "audio/copy_synthesis.h"

namespace melguard {

namespace {

struct Request {
  std::vector<float> samples;
  int sampleRate = 0;
  audio::CopySynthesisOptions options;
  std::vector<float> output;
};

Napi::Value CopySynthesisJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto r = std::make_shared<Request>();
  r->samples = audio::Float32Arg(info, 0, "samples");
  r->sampleRate = static_cast<int>(audio::NumberArg(info, 1, "sampleRate"));
  Napi::Object o = audio::ObjectArg(info, 2);
  audio::CopySynthesisOptions& c = r->options;
  c.nFft = static_cast<int>(audio::GetNumber(env, o, "nFft", c.nFft));
  c.hopLength = static_cast<int>(audio::GetNumber(env, o, "hopLength", c.hopLength));
  c.nMels = static_cast<int>(audio::GetNumber(env, o, "nMels", c.nMels));
  c.fMin = audio::GetNumber(env, o, "fMin", c.fMin);
  c.fMax = audio::GetNumber(env, o, "fMax", c.fMax);
  c.nIter = static_cast<int>(audio::GetNumber(env, o, "nIter", c.nIter));
  c.momentum = audio::GetNumber(env, o, "momentum", c.momentum);
  double seed = audio::GetNumber(env, o, "seed", 0);
  if (!(seed >= 0) || seed > 9007199254740991.0 || std::floor(seed) != seed) {
    audio::ThrowInvalid(env, "seed must be an integer in [0, 2^53)");
  }
  c.seed = static_cast<uint64_t>(seed);
  return audio::PromiseTask::Start(
      env,
      [r] { r->output = audio::CopySynthesis(r->samples.data(), r->samples.size(), r->sampleRate, r->options); },
      [r](Napi::Env e) { return audio::ToFloat32Array(e, std::move(r->output)); });
}

}  // namespace

void InitCopySynthesis(Napi::Env env, Napi::Object exports) {
  exports.Set("copySynthesis", Napi::Function::New(env, CopySynthesisJs, "copySynthesis"));
}

}  // namespace melguard
