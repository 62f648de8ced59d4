// Placeholder until the spectrogram module lands.
#include <napi.h>
namespace melguard {
void InitSpectrogram(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::String::New(env, "0.1.0"));
}
}  // namespace melguard
