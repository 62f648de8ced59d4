// Module entry point: each feature module registers its functions on `exports`.
// Runs once per environment (main thread and every worker_thread that loads the addon).
#include <napi.h>

#include "addon_data.h"

namespace melguard {
void InitSpectrogram(Napi::Env env, Napi::Object exports);  // spectrogram_binding.cc
void InitAudio(Napi::Env env, Napi::Object exports);        // audio_binding.cc
}  // namespace melguard

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  melguard::InitAddonData(env);
  melguard::InitSpectrogram(env, exports);
  melguard::InitAudio(env, exports);
  return exports;
}

NODE_API_MODULE(melguard, Init)
