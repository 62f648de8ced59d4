#include "audio/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "audio/header_check.h"
#include "audio/sniff.h"
#include "errors.h"

namespace melguard {
namespace audio {

namespace {

// libsndfile reports open failures through a process-wide variable (sf_error(NULL)), so concurrent
// opens can overwrite each other's code. Opens share this lock; the rare failure path re-opens
// exclusively to read an error code no other thread can touch.
std::shared_mutex& OpenLock() {
  static std::shared_mutex lock;
  return lock;
}

std::string MajorName(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: return "WAV";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_W64: return "W64";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "OGG";
    case SF_FORMAT_MPEG: return "MPEG";
    case SF_FORMAT_CAF: return "CAF";
    case SF_FORMAT_AU: return "AU";
    default: return "OTHER";
  }
}

std::string SubtypeName(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "PCM_S8";
    case SF_FORMAT_PCM_U8: return "PCM_U8";
    case SF_FORMAT_PCM_16: return "PCM_16";
    case SF_FORMAT_PCM_24: return "PCM_24";
    case SF_FORMAT_PCM_32: return "PCM_32";
    case SF_FORMAT_FLOAT: return "FLOAT";
    case SF_FORMAT_DOUBLE: return "DOUBLE";
    case SF_FORMAT_ULAW: return "ULAW";
    case SF_FORMAT_ALAW: return "ALAW";
    case SF_FORMAT_IMA_ADPCM: return "IMA_ADPCM";
    case SF_FORMAT_MS_ADPCM: return "MS_ADPCM";
    case SF_FORMAT_GSM610: return "GSM610";
    case SF_FORMAT_VORBIS: return "VORBIS";
    case SF_FORMAT_OPUS: return "OPUS";
    case SF_FORMAT_MPEG_LAYER_I: return "MPEG_LAYER_I";
    case SF_FORMAT_MPEG_LAYER_II: return "MPEG_LAYER_II";
    case SF_FORMAT_MPEG_LAYER_III: return "MPEG_LAYER_III";
    case SF_FORMAT_ALAC_16: return "ALAC_16";
    case SF_FORMAT_ALAC_20: return "ALAC_20";
    case SF_FORMAT_ALAC_24: return "ALAC_24";
    case SF_FORMAT_ALAC_32: return "ALAC_32";
    default: return "OTHER";
  }
}

// Bytes per sample of uncompressed subtypes (0 = compressed: size cannot be checked from the header).
int PcmBytes(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: case SF_FORMAT_ULAW: case SF_FORMAT_ALAW: return 1;
    case SF_FORMAT_PCM_16: return 2;
    case SF_FORMAT_PCM_24: return 3;
    case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: return 4;
    case SF_FORMAT_DOUBLE: return 8;
    default: return 0;
  }
}

// Containers whose data is stored uncompressed, so the declared length must fit in the file.
bool IsUncompressedContainer(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: case SF_FORMAT_RF64: case SF_FORMAT_W64:
    case SF_FORMAT_AIFF: case SF_FORMAT_CAF: case SF_FORMAT_AU: return true;
    default: return false;
  }
}

bool IsFloatSubtype(int format) {
  int sub = format & SF_FORMAT_SUBMASK;
  return sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
}

}  // namespace

// libsndfile reads every source through this virtual IO: a read-only memory buffer, or the file with pread().
// Files are not handed over with sf_open_fd(): libsndfile 1.2 closes that descriptor when the open fails even with
// close_desc = SF_FALSE, and with several threads opening files the number is soon reused by another file, which
// then gets read (or closed) in its place.
struct VirtualIo {
  static sf_count_t Length(void* user) { return static_cast<Reader*>(user)->byteSize_; }
  static sf_count_t Seek(sf_count_t offset, int whence, void* user) {
    auto* r = static_cast<Reader*>(user);
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? r->pos_ : r->byteSize_;
    int64_t target = base + offset;
    if (target < 0) return -1;
    r->pos_ = std::min<int64_t>(target, r->byteSize_);
    return r->pos_;
  }
  static sf_count_t Read(void* ptr, sf_count_t count, void* user) {
    auto* r = static_cast<Reader*>(user);
    if (count <= 0) return 0;
    size_t got = r->ReadAt(r->pos_, ptr, static_cast<size_t>(count));
    r->pos_ += static_cast<int64_t>(got);
    return static_cast<sf_count_t>(got);
  }
  static sf_count_t Write(const void*, sf_count_t, void*) { return 0; }
  static sf_count_t Tell(void* user) { return static_cast<Reader*>(user)->pos_; }
};

size_t Reader::ReadAt(int64_t offset, void* buf, size_t n) const {
  if (offset < 0 || offset >= byteSize_) return 0;
  n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), byteSize_ - offset));
  if (isMemory_) {
    std::memcpy(buf, memData_ + offset, n);
    return n;
  }
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd_, static_cast<char*>(buf) + done, n - done, offset + static_cast<int64_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // error or the file shrank: a short read, which libsndfile reports as truncation
    done += static_cast<size_t>(got);
  }
  return done;
}

std::unique_ptr<Reader> Reader::OpenPath(const std::string& path) {
  std::unique_ptr<Reader> r(new Reader());
  r->name_ = path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) throw Error(codes::kNotFound, "no such file: " + path, path);
    if (err == EACCES || err == EPERM) throw Error(codes::kAccess, "permission denied: " + path, path);
    throw Error(codes::kAccess, "cannot open " + path + ": " + std::strerror(err), path);
  }
  r->fd_ = fd;
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw Error(codes::kAccess, "cannot stat " + path + ": " + std::strerror(errno), path);
  if (S_ISDIR(st.st_mode)) throw Error(codes::kUnsupported, "is a directory, not an audio file: " + path, path);
  if (!S_ISREG(st.st_mode)) throw Error(codes::kUnsupported, "not a regular file: " + path, path);
  r->byteSize_ = st.st_size;
  if (st.st_size == 0) throw Error(codes::kEmpty, "file is empty (0 bytes): " + path, path);

  uint8_t head[kSniffBytes];
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  if (got < 0) {
    int err = errno;
    if (err == EISDIR) throw Error(codes::kUnsupported, "is a directory, not an audio file: " + path, path);
    throw Error(codes::kAccess, "cannot read " + path + ": " + std::strerror(err), path);
  }
  r->OpenVirtual(head, static_cast<size_t>(got));
  return r;
}

std::unique_ptr<Reader> Reader::OpenMemory(const uint8_t* data, size_t size, const std::string& name) {
  std::unique_ptr<Reader> r(new Reader());
  r->name_ = name;
  r->isMemory_ = true;
  r->memData_ = data;
  r->byteSize_ = static_cast<int64_t>(size);
  if (size == 0) throw Error(codes::kEmpty, "audio buffer is empty (0 bytes): " + name, name);
  r->OpenVirtual(data, std::min(size, kSniffBytes));
  return r;
}

void Reader::OpenVirtual(const uint8_t* head, size_t headSize) {
  Container c = SniffContainer(head, headSize);
  if (c == Container::kUnknown) {
    throw Error(codes::kUnsupported, "not a supported audio format (unrecognised header): " + name_, name_);
  }
  CheckDeclaredLength([this](int64_t offset, void* buf, size_t n) { return ReadAt(offset, buf, n); }, byteSize_, name_);
  static SF_VIRTUAL_IO io = {VirtualIo::Length, VirtualIo::Seek, VirtualIo::Read, VirtualIo::Write, VirtualIo::Tell};
  auto openOnce = [&]() -> SNDFILE* {
    pos_ = 0;
    std::memset(&sfinfo_, 0, sizeof sfinfo_);
    return sf_open_virtual(&io, SFM_READ, &sfinfo_, this);
  };
  {
    std::shared_lock<std::shared_mutex> lock(OpenLock());
    file_ = openOnce();
  }
  if (!file_) {
    std::unique_lock<std::shared_mutex> lock(OpenLock());
    file_ = openOnce();
    if (!file_) ThrowOpenError(sf_error(nullptr), sf_strerror(nullptr));
  }
  FinishOpen();
}

void Reader::ThrowOpenError(int sfError, const char* sfMessage) {
  std::string detail = sfMessage ? sfMessage : "unknown error";
  if (sfError == SF_ERR_UNRECOGNISED_FORMAT || sfError == SF_ERR_UNSUPPORTED_ENCODING) {
    throw Error(codes::kUnsupported, "unsupported audio format: " + name_ + " (" + detail + ")", name_);
  }
  throw Error(codes::kCorrupt, "corrupt audio file: " + name_ + " (" + detail + ")", name_);
}

void Reader::FinishOpen() {
  const std::string& n = name_;
  if (sfinfo_.channels < 1 || sfinfo_.channels > kMaxChannels) {
    throw Error(codes::kCorrupt, "corrupt header: " + std::to_string(sfinfo_.channels) + " channels in " + n, n);
  }
  if (sfinfo_.samplerate < kMinSampleRate || sfinfo_.samplerate > kMaxSampleRate) {
    throw Error(codes::kCorrupt, "corrupt header: sample rate " + std::to_string(sfinfo_.samplerate) + " Hz in " + n, n);
  }
  if (sfinfo_.frames < 0) {
    throw Error(codes::kCorrupt, "corrupt header: negative length in " + n, n);
  }
  bool lengthKnown = sfinfo_.frames != SF_COUNT_MAX;
  int bytes = IsUncompressedContainer(sfinfo_.format) ? PcmBytes(sfinfo_.format) : 0;
  if (bytes > 0 && lengthKnown) {
    // Uncompressed data cannot be longer than the file that holds it.
    double declared = double(sfinfo_.frames) * sfinfo_.channels * bytes;
    if (declared > double(byteSize_)) {
      throw Error(codes::kCorrupt,
                  "corrupt header: declares " + std::to_string(sfinfo_.frames) + " frames (" +
                      std::to_string(int64_t(declared)) + " bytes) but " + n + " holds only " +
                      std::to_string(byteSize_) + " bytes",
                  n);
    }
  }
  info_.sampleRate = sfinfo_.samplerate;
  info_.channels = sfinfo_.channels;
  // Unknown length (a stream without an index) is reported as -1.
  info_.frames = lengthKnown ? sfinfo_.frames : -1;
  info_.duration = lengthKnown ? double(sfinfo_.frames) / sfinfo_.samplerate : -1.0;
  info_.format = MajorName(sfinfo_.format);
  info_.subtype = SubtypeName(sfinfo_.format);
  position_ = 0;
}

Reader::~Reader() {
  if (file_) sf_close(file_);
  if (fd_ >= 0) ::close(fd_);
}

int64_t Reader::SeekTo(int64_t frame) {
  if (frame <= position_) {
    if (frame == position_) return position_;
    if (sf_seek(file_, frame, SEEK_SET) == frame) return position_ = frame;
    throw Error(codes::kCorrupt, "cannot seek backwards in " + name_, name_);
  }
  // libsndfile's MPEG seek lands near, not on, the target frame: decode and discard instead.
  bool exactSeek = (sfinfo_.format & SF_FORMAT_TYPEMASK) != SF_FORMAT_MPEG;
  if (exactSeek && sfinfo_.seekable && info_.frames >= 0 && frame < info_.frames) {
    sf_count_t got = sf_seek(file_, frame, SEEK_SET);
    if (got == frame) return position_ = frame;
    // Fall through: a failed seek leaves the position undefined; restart from a known point.
    if (sf_seek(file_, position_, SEEK_SET) != position_) {
      throw Error(codes::kCorrupt, "seek failed in " + name_ + " (" + sf_strerror(file_) + ")", name_);
    }
  }
  // Not seekable (or the target is past the declared end): decode and discard.
  std::vector<float> scratch(size_t(4096) * sfinfo_.channels);
  while (position_ < frame) {
    size_t want = static_cast<size_t>(std::min<int64_t>(4096, frame - position_));
    size_t got = Read(scratch.data(), want);
    if (got == 0) break;
  }
  return position_;
}

size_t Reader::Read(float* out, size_t frames) {
  sf_count_t got = sf_readf_float(file_, out, static_cast<sf_count_t>(frames));
  if (got < 0) got = 0;
  int err = sf_error(file_);
  if (err != SF_ERR_NO_ERROR) {
    throw Error(codes::kCorrupt,
                "corrupt audio stream in " + name_ + " at frame " + std::to_string(position_ + got) + " (" +
                    sf_strerror(file_) + ")",
                name_);
  }
  if (IsFloatSubtype(sfinfo_.format)) {
    // Float files can hold NaN, infinities or absurd magnitudes; none is audio.
    size_t count = static_cast<size_t>(got) * sfinfo_.channels;
    for (size_t i = 0; i < count; ++i) {
      float v = out[i];
      if (!(std::fabs(v) <= 1e6f)) {
        throw Error(codes::kCorrupt,
                    "corrupt float sample (" + std::to_string(v) + ") in " + name_ + " at frame " +
                        std::to_string(position_ + int64_t(i / sfinfo_.channels)),
                    name_);
      }
    }
  }
  position_ += got;
  return static_cast<size_t>(got);
}

}  // namespace audio
}  // namespace melguard
