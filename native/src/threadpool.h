// A process-wide pool of native threads shared by every addon instance (main thread and workers).
#pragma once
#include <cstddef>
#include <functional>

namespace melguard {

// Default pool width: the number of hardware threads this process may run on (CPU affinity respected).
int DefaultThreads();

// Runs fn(i) for every i in [0, n) on at most `threads` threads (<= 0 means DefaultThreads()).
// Blocks until all are done. fn must not throw (catch and record per index).
// The calling thread takes part, so nested or concurrent calls always make progress.
void ParallelFor(size_t n, int threads, const std::function<void(size_t index)>& fn);

// Number of pool threads started so far (they live for the rest of the process).
int PoolThreads();

}  // namespace melguard
