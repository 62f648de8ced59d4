#include "audio/sniff.h"

#include <cstring>

namespace melguard {
namespace audio {
namespace {

bool Starts(const uint8_t* head, size_t n, const char* magic, size_t at = 0) {
  size_t len = std::strlen(magic);
  return n >= at + len && std::memcmp(head + at, magic, len) == 0;
}

// A plausible MPEG audio frame header (layer I-III): 11 sync bits, no reserved version/layer/rate fields.
bool IsMpegFrameHeader(const uint8_t* p, size_t n) {
  if (n < 4) return false;
  if (p[0] != 0xFF || (p[1] & 0xE0) != 0xE0) return false;
  int version = (p[1] >> 3) & 3;
  int layer = (p[1] >> 1) & 3;
  int bitrateIndex = (p[2] >> 4) & 15;
  int rateIndex = (p[2] >> 2) & 3;
  return version != 1 && layer != 0 && bitrateIndex != 15 && bitrateIndex != 0 && rateIndex != 3;
}

}  // namespace

Container SniffContainer(const uint8_t* head, size_t n) {
  if ((Starts(head, n, "RIFF") || Starts(head, n, "RIFX")) && Starts(head, n, "WAVE", 8)) return Container::kRiff;
  if ((Starts(head, n, "RF64") || Starts(head, n, "BW64")) && Starts(head, n, "WAVE", 8)) return Container::kRf64;
  // Sony Wave64: the RIFF GUID 66666972-912E-11CF-A5D6-28DB04C10000.
  static const uint8_t kW64[16] = {0x72, 0x69, 0x66, 0x66, 0x2E, 0x91, 0xCF, 0x11,
                                   0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00};
  if (n >= 16 && std::memcmp(head, kW64, 16) == 0) return Container::kW64;
  if (Starts(head, n, "FORM") && (Starts(head, n, "AIFF", 8) || Starts(head, n, "AIFC", 8))) return Container::kAiff;
  if (Starts(head, n, "fLaC")) return Container::kFlac;
  if (Starts(head, n, "OggS")) return Container::kOgg;
  if (Starts(head, n, "caff")) return Container::kCaf;
  if (Starts(head, n, ".snd")) return Container::kAu;
  if (Starts(head, n, "ID3") || IsMpegFrameHeader(head, n)) return Container::kMpeg;
  return Container::kUnknown;
}

const char* ContainerName(Container c) {
  switch (c) {
    case Container::kRiff: return "WAV";
    case Container::kRf64: return "RF64";
    case Container::kW64: return "W64";
    case Container::kAiff: return "AIFF";
    case Container::kFlac: return "FLAC";
    case Container::kOgg: return "OGG";
    case Container::kMpeg: return "MPEG";
    case Container::kCaf: return "CAF";
    case Container::kAu: return "AU";
    default: return "unknown";
  }
}

}  // namespace audio
}  // namespace melguard
