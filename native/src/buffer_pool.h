// Recycled float buffers for copies of JS inputs. Fresh large allocations are page-faulted on first touch, which
// made copying a batch's inputs on the JS thread cost several times the memcpy itself; reusing warm buffers
// keeps that serial part short. The pool is process-wide, thread-safe and bounded (kMaxPooledBytes).
#pragma once
#include <cstddef>
#include <memory>

namespace melguard {

class PooledFloats {
 public:
  PooledFloats() = default;
  PooledFloats(PooledFloats&& other) noexcept;
  PooledFloats& operator=(PooledFloats&& other) noexcept;
  PooledFloats(const PooledFloats&) = delete;
  PooledFloats& operator=(const PooledFloats&) = delete;
  ~PooledFloats();

  // An uninitialised buffer of n floats (from the pool when one fits).
  static PooledFloats Acquire(size_t n);
  // Returns the memory to the pool now.
  void Release();

  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

constexpr size_t kMaxPooledBytes = size_t(64) << 20;

}  // namespace melguard
