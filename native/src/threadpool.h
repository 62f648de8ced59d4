// A process-wide pool of native threads shared by every addon instance (main thread and workers).
#pragma once
#include <cstddef>
#include <functional>

namespace melguard {

// Default pool width: the number of hardware threads.
int DefaultThreads();

// Runs fn(i) for every i in [0, n) on at most `threads` threads (<= 0 means DefaultThreads()).
// Blocks until all are done. fn must not throw (catch and record per index).
void ParallelFor(size_t n, int threads, const std::function<void(size_t index)>& fn);

}  // namespace melguard
