#include "buffer_pool.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace melguard {

namespace {

struct Free {
  float* data;
  size_t capacity;
};

std::mutex gMutex;
std::vector<Free>* gFree = new std::vector<Free>();  // leaked on purpose: used until process exit
size_t gPooledBytes = 0;

}  // namespace

PooledFloats PooledFloats::Acquire(size_t n) {
  PooledFloats b;
  b.size_ = n;
  {
    // Smallest free buffer that fits without wasting more than half of it.
    std::lock_guard<std::mutex> lock(gMutex);
    size_t best = gFree->size();
    for (size_t i = 0; i < gFree->size(); ++i) {
      const size_t c = (*gFree)[i].capacity;
      if (c >= n && c <= 2 * n + 1024 && (best == gFree->size() || c < (*gFree)[best].capacity)) best = i;
    }
    if (best != gFree->size()) {
      b.data_ = (*gFree)[best].data;
      b.capacity_ = (*gFree)[best].capacity;
      gPooledBytes -= b.capacity_ * sizeof(float);
      (*gFree)[best] = gFree->back();
      gFree->pop_back();
      return b;
    }
  }
  b.capacity_ = n ? n : 1;
  b.data_ = static_cast<float*>(std::malloc(b.capacity_ * sizeof(float)));
  if (!b.data_) throw std::bad_alloc();
  return b;
}

void PooledFloats::Release() {
  if (!data_) return;
  const size_t bytes = capacity_ * sizeof(float);
  {
    std::lock_guard<std::mutex> lock(gMutex);
    if (gPooledBytes + bytes <= kMaxPooledBytes) {
      gFree->push_back({data_, capacity_});
      gPooledBytes += bytes;
      data_ = nullptr;
    }
  }
  std::free(data_);
  data_ = nullptr;
  size_ = capacity_ = 0;
}

PooledFloats::PooledFloats(PooledFloats&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

PooledFloats& PooledFloats::operator=(PooledFloats&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

PooledFloats::~PooledFloats() { Release(); }

}  // namespace melguard
