#include "audio/header_check.h"

#include <cstring>

#include "errors.h"

namespace melguard {
namespace audio {

namespace {

uint32_t Le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
uint32_t Be32(const uint8_t* p) { return uint32_t(p[3]) | uint32_t(p[2]) << 8 | uint32_t(p[1]) << 16 | uint32_t(p[0]) << 24; }
uint64_t Le64(const uint8_t* p) { return uint64_t(Le32(p)) | uint64_t(Le32(p + 4)) << 32; }

[[noreturn]] void Oversized(uint64_t declared, int64_t available, const std::string& name) {
  throw Error(codes::kCorrupt,
              "corrupt or truncated header: declares " + std::to_string(declared) + " bytes of audio but only " +
                  std::to_string(available) + " follow in " + name,
              name);
}

}  // namespace

void CheckDeclaredLength(const ReadAt& readAt, int64_t fileSize, const std::string& name) {
  uint8_t head[12];
  if (readAt(0, head, 12) < 12) return;
  bool riff = std::memcmp(head, "RIFF", 4) == 0 || std::memcmp(head, "RIFX", 4) == 0;
  bool rf64 = std::memcmp(head, "RF64", 4) == 0 || std::memcmp(head, "BW64", 4) == 0;
  bool aiff = std::memcmp(head, "FORM", 4) == 0;
  if (!riff && !rf64 && !aiff) return;
  bool bigEndian = aiff || std::memcmp(head, "RIFX", 4) == 0;
  const char* dataId = aiff ? "SSND" : "data";

  uint64_t ds64Data = 0;
  bool haveDs64 = false;
  int64_t pos = 12;
  // A real header has a handful of chunks; the bound stops a loop over a hostile chain of empty chunks.
  for (int chunk = 0; chunk < 4096 && pos + 8 <= fileSize; ++chunk) {
    uint8_t hdr[8 + 16];
    size_t got = readAt(pos, hdr, sizeof hdr);
    if (got < 8) return;
    uint32_t size = bigEndian ? Be32(hdr + 4) : Le32(hdr + 4);
    if (rf64 && std::memcmp(hdr, "ds64", 4) == 0 && got >= 8 + 16) {
      ds64Data = Le64(hdr + 8 + 8);
      haveDs64 = true;
    }
    if (std::memcmp(hdr, dataId, 4) == 0) {
      int64_t available = fileSize - (pos + 8);
      uint64_t declared = size;
      if (rf64 && size == 0xFFFFFFFFu) {
        if (!haveDs64) return;
        declared = ds64Data;
      } else if (!aiff && (size == 0xFFFFFFFFu || size == 0)) {
        return;  // streaming placeholder: the length is whatever was written
      }
      if (declared > uint64_t(available)) Oversized(declared, available, name);
      return;
    }
    pos += 8 + int64_t(size) + (size & 1);
  }
}

}  // namespace audio
}  // namespace melguard
