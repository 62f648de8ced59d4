// Checks the declared audio length of RIFF/RF64/AIFF headers against the bytes really present.
// libsndfile silently clamps an oversized 'data' chunk (a WAV claiming terabytes decodes as whatever
// is there); melguard reports such files as corrupt instead of guessing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace melguard {
namespace audio {

// Reads up to n bytes at offset into buf; returns the bytes read.
using ReadAt = std::function<size_t(int64_t offset, void* buf, size_t n)>;

// Throws E_CORRUPT when the header declares more audio bytes than follow it. Streaming placeholders
// (a data size of 0 or 0xFFFFFFFF in plain RIFF) are accepted. Other containers are not checked here.
void CheckDeclaredLength(const ReadAt& readAt, int64_t fileSize, const std::string& name);

}  // namespace audio
}  // namespace melguard
