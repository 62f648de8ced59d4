// A fixed-size, zero-initialised, 64-byte-aligned float buffer (SIMD loads, KissFFT's __m128 data).
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace melguard {

class AlignedFloats {
 public:
  AlignedFloats() = default;
  explicit AlignedFloats(size_t n) : size_(n) {
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
    data_ = static_cast<float*>(std::aligned_alloc(64, bytes ? bytes : 64));
    if (!data_) throw std::bad_alloc();
    std::memset(data_, 0, bytes ? bytes : 64);
  }
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;
  AlignedFloats(AlignedFloats&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; o.size_ = 0; }
  AlignedFloats& operator=(AlignedFloats&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~AlignedFloats() { std::free(data_); }

  float* data() { return data_; }
  const float* data() const { return data_; }
  size_t size() const { return size_; }
  float& operator[](size_t i) { return data_[i]; }

 private:
  float* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace melguard
