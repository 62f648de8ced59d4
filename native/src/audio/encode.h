// Encoding float samples to an in-memory file with libsndfile (virtual IO): WAV, FLAC, Ogg/Vorbis,
// Ogg/Opus and MP3. Used for codec round-trips (augmentation, tests), never for the feature path.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace melguard {
namespace audio {

struct EncodeOptions {
  std::string format = "wav";    // wav | flac | ogg | opus | mp3
  std::string subtype;           // wav: pcm8|pcm16|pcm24|pcm32|float (default pcm16); flac: pcm8|pcm16|pcm24
  int bitrateKbps = 0;           // mp3 / opus: target bitrate (0 = codec default)
  double compression = -1.0;     // ogg / opus / mp3 / flac: libsndfile compression level 0 (best) .. 1 (smallest)
};

// Sample rates each lossy codec accepts (others -> E_INVALID_ARG naming them).
bool EncoderAcceptsRate(const std::string& format, int sampleRate);

// `samples` interleaved, `frames` per channel. Throws E_INVALID_ARG for impossible requests, E_ENCODE on failure.
std::vector<uint8_t> EncodeAudio(const float* samples, size_t frames, int channels, int sampleRate,
                                 const EncodeOptions& options);

}  // namespace audio
}  // namespace melguard
