#include "addon_data.h"

namespace melguard {

namespace {
struct Holder {
  std::shared_ptr<AddonData> data;
};
}  // namespace

void InitAddonData(Napi::Env env) {
  auto data = std::make_shared<AddonData>();
  // Node deletes the holder when the environment is destroyed; async work may keep `data` alive longer.
  env.SetInstanceData<Holder>(new Holder{data});
  env.AddCleanupHook([data]() { data->closing.store(true); });
}

std::shared_ptr<AddonData> GetAddonData(Napi::Env env) { return env.GetInstanceData<Holder>()->data; }

}  // namespace melguard
