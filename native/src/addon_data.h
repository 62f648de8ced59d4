// Per-environment (main thread or worker_thread) state of the addon. Node-API keeps exactly one instance-data
// slot per environment, so every feature module shares this struct instead of calling SetInstanceData itself.
// It is reference-counted: async work holds it, so it outlives an environment torn down mid-work.
#pragma once
#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace melguard {

struct AddonData {
  // Set by the environment's cleanup hook: completions arriving after it must not touch JS any more.
  std::atomic<bool> closing{false};
  // Per-environment counters, reported by engineInfo().
  std::atomic<uint64_t> syncCalls{0};
  std::atomic<uint64_t> asyncCalls{0};
  std::atomic<uint64_t> batchCalls{0};
  std::atomic<int64_t> pendingAsync{0};
};

// Creates the environment's AddonData and registers its cleanup hook. Called once from addon.cc's Init.
void InitAddonData(Napi::Env env);

// The environment's AddonData (never null after InitAddonData).
std::shared_ptr<AddonData> GetAddonData(Napi::Env env);

}  // namespace melguard
