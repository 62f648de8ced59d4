// Container detection from the first bytes of a file, before libsndfile sees it.
// Only containers melguard decodes get through: random or foreign data never reaches a parser.
#pragma once
#include <cstddef>
#include <cstdint>

namespace melguard {
namespace audio {

enum class Container { kUnknown, kRiff, kRf64, kW64, kAiff, kFlac, kOgg, kMpeg, kCaf, kAu };

// Number of leading bytes SniffContainer wants to look at (fewer is fine for short files).
inline constexpr size_t kSniffBytes = 64;

Container SniffContainer(const uint8_t* head, size_t n);
const char* ContainerName(Container c);

}  // namespace audio
}  // namespace melguard
