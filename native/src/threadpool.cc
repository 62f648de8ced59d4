// Work-sharing pool: each ParallelFor call is a job with an atomic index counter. The caller works on its own
// job; idle pool threads join jobs that still want helpers. Threads are started on demand and never stopped:
// the pool outlives every environment (workers come and go; Node never unloads the addon).
#include "threadpool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#ifdef __linux__
#include <sched.h>
#endif

namespace melguard {
namespace {

constexpr int kMaxPoolThreads = 256;

struct Job {
  size_t n = 0;
  const std::function<void(size_t)>* fn = nullptr;
  int maxHelpers = 0;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  int helpers = 0;  // guarded by Pool::mutex
  std::mutex doneMutex;
  std::condition_variable doneCv;

  // Claims and runs indices until none are left.
  void Work() {
    for (;;) {
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) return;
      (*fn)(i);
      if (done.fetch_add(1, std::memory_order_acq_rel) + 1 == n) {
        std::lock_guard<std::mutex> lock(doneMutex);
        doneCv.notify_all();
      }
    }
  }
  bool Exhausted() const { return next.load(std::memory_order_relaxed) >= n; }
};

class Pool {
 public:
  static Pool& Instance() {
    static Pool* pool = new Pool();  // intentionally leaked: threads may still wait on it at exit
    return *pool;
  }

  void Run(size_t n, int threads, const std::function<void(size_t)>& fn) {
    auto job = std::make_shared<Job>();
    job->n = n;
    job->fn = &fn;
    job->maxHelpers = threads - 1;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      EnsureThreadsLocked(std::min(threads - 1, kMaxPoolThreads));
      queue_.push_back(job);
    }
    cv_.notify_all();
    job->Work();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      Remove(job);
    }
    std::unique_lock<std::mutex> lock(job->doneMutex);
    job->doneCv.wait(lock, [&] { return job->done.load(std::memory_order_acquire) == job->n; });
  }

  int Threads() {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_;
  }

 private:
  void EnsureThreadsLocked(int wanted) {
    while (started_ < wanted) {
      std::thread([this] { Loop(); }).detach();
      ++started_;
    }
  }

  void Remove(const std::shared_ptr<Job>& job) {
    auto it = std::find(queue_.begin(), queue_.end(), job);
    if (it != queue_.end()) queue_.erase(it);
  }

  // A job a helper may join: work left and fewer helpers than the caller allowed. Exhausted jobs are dropped.
  std::shared_ptr<Job> TakeLocked() {
    for (auto it = queue_.begin(); it != queue_.end();) {
      if ((*it)->Exhausted()) {
        it = queue_.erase(it);
        continue;
      }
      if ((*it)->helpers < (*it)->maxHelpers) {
        ++(*it)->helpers;
        return *it;
      }
      ++it;
    }
    return nullptr;
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      std::shared_ptr<Job> job;
      cv_.wait(lock, [&] { return (job = TakeLocked()) != nullptr; });
      lock.unlock();
      job->Work();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  int started_ = 0;
};

}  // namespace

int DefaultThreads() {
  static const int value = [] {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
      int count = CPU_COUNT(&set);
      if (count > 0) return count;
    }
#endif
    unsigned hw = std::thread::hardware_concurrency();
    return hw > 0 ? static_cast<int>(hw) : 1;
  }();
  return value;
}

void ParallelFor(size_t n, int threads, const std::function<void(size_t index)>& fn) {
  if (n == 0) return;
  if (threads <= 0) threads = DefaultThreads();
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), n));
  if (threads == 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  Pool::Instance().Run(n, threads, fn);
}

int PoolThreads() { return Pool::Instance().Threads(); }

}  // namespace melguard
