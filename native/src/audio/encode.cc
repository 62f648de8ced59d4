#include "audio/encode.h"

#include <sndfile.h>

#include <algorithm>
#include <cstring>

#include "errors.h"

namespace melguard {
namespace audio {

namespace {

struct GrowableBuffer {
  std::vector<uint8_t> bytes;
  int64_t pos = 0;
};

sf_count_t BufLength(void* user) { return sf_count_t(static_cast<GrowableBuffer*>(user)->bytes.size()); }
sf_count_t BufSeek(sf_count_t offset, int whence, void* user) {
  auto* b = static_cast<GrowableBuffer*>(user);
  int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? b->pos : int64_t(b->bytes.size());
  if (base + offset < 0) return -1;
  b->pos = base + offset;
  return b->pos;
}
sf_count_t BufRead(void* ptr, sf_count_t count, void* user) {
  auto* b = static_cast<GrowableBuffer*>(user);
  int64_t n = std::min<int64_t>(count, int64_t(b->bytes.size()) - b->pos);
  if (n <= 0) return 0;
  std::memcpy(ptr, b->bytes.data() + b->pos, size_t(n));
  b->pos += n;
  return n;
}
sf_count_t BufWrite(const void* ptr, sf_count_t count, void* user) {
  auto* b = static_cast<GrowableBuffer*>(user);
  if (count <= 0) return 0;
  size_t end = size_t(b->pos + count);
  if (end > b->bytes.size()) b->bytes.resize(end);
  std::memcpy(b->bytes.data() + b->pos, ptr, size_t(count));
  b->pos += count;
  return count;
}
sf_count_t BufTell(void* user) { return static_cast<GrowableBuffer*>(user)->pos; }

int PcmSubtype(const std::string& subtype, const std::string& format) {
  if (subtype.empty() || subtype == "pcm16") return SF_FORMAT_PCM_16;
  if (subtype == "pcm8") return format == "wav" ? SF_FORMAT_PCM_U8 : SF_FORMAT_PCM_S8;
  if (subtype == "pcm24") return SF_FORMAT_PCM_24;
  if (subtype == "pcm32" && format == "wav") return SF_FORMAT_PCM_32;
  if (subtype == "float" && format == "wav") return SF_FORMAT_FLOAT;
  throw Error(codes::kInvalidArg, "encodeAudio: subtype '" + subtype + "' is not available for " + format);
}

int SfFormat(const EncodeOptions& o) {
  if (o.format == "wav") return SF_FORMAT_WAV | PcmSubtype(o.subtype, o.format);
  if (o.format == "flac") return SF_FORMAT_FLAC | PcmSubtype(o.subtype, o.format);
  if (o.format == "ogg") return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  if (o.format == "opus") return SF_FORMAT_OGG | SF_FORMAT_OPUS;
  if (o.format == "mp3") return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  throw Error(codes::kInvalidArg, "encodeAudio: unknown format '" + o.format + "' (wav, flac, ogg, opus, mp3)");
}

// libsndfile has no bitrate setting: it maps a compression level in [0, 1] linearly onto each codec's
// bitrate range (see mpeg_l3_encode.c and ogg_opus.c). Invert those maps.
double CompressionForBitrate(const std::string& format, int kbps, int sampleRate, int channels) {
  double lo, hi;
  if (format == "mp3") {
    if (sampleRate >= 32000) lo = 32, hi = 320;
    else if (sampleRate >= 16000) lo = 8, hi = 160;
    else lo = 8, hi = 64;
  } else {  // opus: bitrate = ((1 - level) * 250 + 6) kbps per channel
    lo = 6.0 * channels, hi = 256.0 * channels;
  }
  double level = (hi - kbps) / (hi - lo);
  return std::clamp(level, 0.0, 1.0);
}

}  // namespace

bool EncoderAcceptsRate(const std::string& format, int sr) {
  if (format == "opus") return sr == 8000 || sr == 12000 || sr == 16000 || sr == 24000 || sr == 48000;
  if (format == "mp3") {
    static const int kRates[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
    return std::find(std::begin(kRates), std::end(kRates), sr) != std::end(kRates);
  }
  if (format == "flac") return sr >= 1 && sr <= 655350;
  return sr >= 1 && sr <= 1536000;
}

std::vector<uint8_t> EncodeAudio(const float* samples, size_t frames, int channels, int sampleRate,
                                 const EncodeOptions& options) {
  int format = SfFormat(options);
  if (channels < 1 || channels > 255) throw Error(codes::kInvalidArg, "encodeAudio: channels must be 1..255");
  if (options.format == "mp3" && channels > 2) throw Error(codes::kInvalidArg, "encodeAudio: mp3 holds 1 or 2 channels");
  if (!EncoderAcceptsRate(options.format, sampleRate)) {
    throw Error(codes::kInvalidArg, "encodeAudio: " + options.format + " cannot store " + std::to_string(sampleRate) +
                                        " Hz" +
                                        (options.format == "opus" ? " (opus: 8000, 12000, 16000, 24000, 48000)"
                                         : options.format == "mp3"
                                             ? " (mp3: 8000-48000 in MPEG's steps)"
                                             : ""));
  }
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = channels;
  info.format = format;
  if (!sf_format_check(&info)) {
    throw Error(codes::kInvalidArg, "encodeAudio: libsndfile cannot write " + options.format + " with these settings");
  }
  GrowableBuffer buffer;
  SF_VIRTUAL_IO io = {BufLength, BufSeek, BufRead, BufWrite, BufTell};
  SNDFILE* file = sf_open_virtual(&io, SFM_WRITE, &info, &buffer);
  if (!file) throw Error(codes::kEncode, std::string("encodeAudio: cannot start encoder (") + sf_strerror(nullptr) + ")");

  bool ok = true;
  std::string why;
  sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  double level = options.compression;
  if (options.bitrateKbps > 0) {
    if (options.format != "mp3" && options.format != "opus") {
      sf_close(file);
      throw Error(codes::kInvalidArg, "encodeAudio: bitrate applies to mp3 and opus only");
    }
    if (options.format == "mp3") {
      int mode = SF_BITRATE_MODE_CONSTANT;
      sf_command(file, SFC_SET_BITRATE_MODE, &mode, sizeof mode);
    }
    level = CompressionForBitrate(options.format, options.bitrateKbps, sampleRate, channels);
  }
  if (level >= 0) {
    level = std::min(level, 1.0);
    if (options.format != "wav" && !sf_command(file, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level)) {
      ok = false;
      why = "compression level rejected";
    }
  }
  // Write in blocks so the encoder's buffers stay small.
  const size_t block = 8192;
  for (size_t i = 0; ok && i < frames; i += block) {
    sf_count_t n = sf_count_t(std::min(block, frames - i));
    if (sf_writef_float(file, samples + i * channels, n) != n) {
      ok = false;
      why = sf_strerror(file);
    }
  }
  int closeError = sf_close(file);
  if (!ok || closeError != 0) {
    throw Error(codes::kEncode, "encodeAudio: " + options.format + " encoding failed (" +
                                    (why.empty() ? std::string(sf_error_number(closeError)) : why) + ")");
  }
  return std::move(buffer.bytes);
}

}  // namespace audio
}  // namespace melguard
