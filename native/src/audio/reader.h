// Streaming reader over libsndfile: a file path or an in-memory buffer, read in bounded blocks.
// Opening validates everything a header can lie about (rate, channels, declared length vs real size)
// and maps every failure to a melguard::Error carrying the file's name.
#pragma once
#include <sndfile.h>

#include <cstdint>
#include <memory>
#include <string>

#include "audio.h"

namespace melguard {
namespace audio {

// Sanity bounds for header values; anything outside is a corrupt (or hostile) header.
inline constexpr int kMaxChannels = 1024;
inline constexpr int kMinSampleRate = 1000;
inline constexpr int kMaxSampleRate = 1536000;

class Reader {
 public:
  // Checks existence / permission / size, sniffs the container, then opens with libsndfile.
  static std::unique_ptr<Reader> OpenPath(const std::string& path);
  // Reads from `data` without copying: the buffer must outlive the reader. `name` is used in errors.
  static std::unique_ptr<Reader> OpenMemory(const uint8_t* data, size_t size, const std::string& name);

  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  const AudioInfo& info() const { return info_; }
  const std::string& name() const { return name_; }
  // Size in bytes of the underlying file / buffer.
  int64_t byteSize() const { return byteSize_; }

  // Positions the stream at `frame` (per channel): seeks when the format can, else decodes and discards.
  // Returns the frame actually reached (less than `frame` when the stream is shorter).
  int64_t SeekTo(int64_t frame);
  // Reads up to `frames` interleaved frames into `out` (room for frames * channels floats).
  // Returns frames read; 0 at the end. A decoding error throws E_CORRUPT.
  size_t Read(float* out, size_t frames);

 private:
  Reader() = default;
  // Opens the source (fd_ or memData_) through VirtualIo.
  void OpenVirtual(const uint8_t* head, size_t headSize);
  // Bytes [offset, offset + n) of the source, clamped to its size; fewer on a read error or a file that shrank.
  size_t ReadAt(int64_t offset, void* buf, size_t n) const;
  void FinishOpen();
  [[noreturn]] void ThrowOpenError(int sfError, const char* sfMessage);

  SNDFILE* file_ = nullptr;
  SF_INFO sfinfo_{};
  AudioInfo info_;
  std::string name_;
  int fd_ = -1;
  int64_t byteSize_ = 0;
  int64_t position_ = 0;
  // The source libsndfile reads through VirtualIo: fd_, or memData_ when isMemory_; pos_ is its read position.
  const uint8_t* memData_ = nullptr;
  int64_t pos_ = 0;
  bool isMemory_ = false;

  friend struct VirtualIo;
};

}  // namespace audio
}  // namespace melguard
