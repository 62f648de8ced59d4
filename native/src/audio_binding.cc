// Placeholder until the audio module lands: registers nothing.
#include <napi.h>
namespace melguard {
void InitAudio(Napi::Env, Napi::Object) {}
}  // namespace melguard
