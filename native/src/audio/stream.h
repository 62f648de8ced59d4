// The decode pipeline shared by every entry point: read blocks -> mono mixdown -> resample -> sink.
// loadAudio, decodeAudioBuffer and the windowed feature batch all run through StreamDecode, so the
// same file gives bit-identical samples whichever way it is requested.
#pragma once
#include <cstdint>
#include <functional>

#include "audio.h"
#include "audio/reader.h"

namespace melguard {
namespace audio {

struct StreamTiming {
  double decode = 0.0;    // seconds in libsndfile + mixdown
  double resample = 0.0;  // seconds in soxr
};

struct StreamResult {
  int sampleRate = 0;        // output rate
  int channels = 1;          // output channels (1 when mono)
  int64_t inFrames = 0;      // frames decoded from the file (after offset)
  int64_t outFrames = 0;     // frames handed to the sink
  bool reachedEnd = false;   // false when the sink stopped the stream early
};

// Receives output frames (interleaved when channels > 1). Return false to stop decoding.
using SampleSink = std::function<bool(const float* frames, size_t count)>;

// Validates offset/duration/targetSr (E_INVALID_ARG), then streams. Output longer than
// options.maxFrames -> E_TOO_LARGE. Nothing decoded -> E_EMPTY.
StreamResult StreamDecode(Reader& reader, const DecodeOptions& options, const SampleSink& sink,
                          StreamTiming* timing = nullptr);

// Frames of output the options would produce for this reader, from its header (-1 when unknown).
int64_t ExpectedOutputFrames(const Reader& reader, const DecodeOptions& options);

}  // namespace audio
}  // namespace melguard
