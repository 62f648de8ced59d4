// N-API surface of the audio module: probe, decode (path / bytes), resample, encode; the file feature batch
// and augmentation register from their own files. Every call returns a Promise and works off the event loop.
#include <napi.h>

#include <memory>

#include "audio.h"
#include "audio/binding_util.h"
#include "audio/encode.h"

namespace melguard {

void InitFeatures(Napi::Env env, Napi::Object exports);  // audio/features_binding.cc
void InitAugment(Napi::Env env, Napi::Object exports);   // audio/augment_binding.cc
void InitCopySynthesis(Napi::Env env, Napi::Object exports);  // audio/copy_synthesis_binding.cc

namespace {

using audio::PromiseTask;

DecodeOptions ParseDecodeOptions(Napi::Env env, const Napi::Object& o) {
  DecodeOptions d;
  d.targetSr = static_cast<int>(audio::GetNumber(env, o, "sr", 0));
  d.mono = audio::GetBool(env, o, "mono", true);
  d.offset = audio::GetNumber(env, o, "offset", 0.0);
  d.duration = audio::GetNumber(env, o, "duration", -1.0);
  double maxFrames = audio::GetNumber(env, o, "maxFrames", double(d.maxFrames));
  if (maxFrames >= 1 && maxFrames < 9.0e15) d.maxFrames = static_cast<int64_t>(maxFrames);
  return d;
}

Napi::Object InfoToJs(Napi::Env env, const AudioInfo& info) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("sampleRate", info.sampleRate);
  o.Set("channels", info.channels);
  o.Set("frames", double(info.frames));
  o.Set("duration", info.duration);
  o.Set("format", info.format);
  o.Set("subtype", info.subtype);
  return o;
}

Napi::Value DecodedToJs(Napi::Env env, DecodedAudio& audio) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("sampleRate", audio.sampleRate);
  o.Set("channels", audio.channels);
  o.Set("duration", audio.duration);
  o.Set("samples", audio::ToFloat32Array(env, std::move(audio.samples)));
  return o;
}

// probeAudio(path) -> Promise<AudioInfo>
Napi::Value ProbeAudioJs(const Napi::CallbackInfo& info) {
  std::string path = audio::StringArg(info, 0, "path");
  auto result = std::make_shared<AudioInfo>();
  return PromiseTask::Start(
      info.Env(), [path, result] { *result = ProbeAudio(path); },
      [result](Napi::Env env) -> Napi::Value { return InfoToJs(env, *result); });
}

// loadAudio(path, {sr, mono, offset, duration}) -> Promise<Audio>
Napi::Value LoadAudioJs(const Napi::CallbackInfo& info) {
  std::string path = audio::StringArg(info, 0, "path");
  DecodeOptions options = ParseDecodeOptions(info.Env(), audio::ObjectArg(info, 1));
  auto result = std::make_shared<DecodedAudio>();
  return PromiseTask::Start(
      info.Env(), [path, options, result] { *result = DecodeAudio(path, options); },
      [result](Napi::Env env) { return DecodedToJs(env, *result); });
}

// decodeAudioBuffer(bytes: Uint8Array, {sr, mono, offset, duration, name}) -> Promise<Audio>
Napi::Value DecodeAudioBufferJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    audio::ThrowInvalid(env, "bytes must be a Uint8Array (or Buffer)");
  }
  auto array = info[0].As<Napi::Uint8Array>();
  Napi::Object opts = audio::ObjectArg(info, 1);
  DecodeOptions options = ParseDecodeOptions(env, opts);
  std::string name = audio::GetString(env, opts, "name", "<buffer>");
  // Copied: the caller may reuse or transfer the buffer while the worker runs.
  auto bytes = std::make_shared<std::vector<uint8_t>>(array.Data(), array.Data() + array.ElementLength());
  auto result = std::make_shared<DecodedAudio>();
  return PromiseTask::Start(
      env, [bytes, options, name, result] { *result = DecodeAudioBuffer(bytes->data(), bytes->size(), options, name); },
      [result](Napi::Env env) { return DecodedToJs(env, *result); });
}

// resample(samples: Float32Array, inRate, outRate) -> Promise<Float32Array>
Napi::Value ResampleJs(const Napi::CallbackInfo& info) {
  auto samples = std::make_shared<std::vector<float>>(audio::Float32Arg(info, 0, "samples"));
  double inRate = audio::NumberArg(info, 1, "inRate");
  double outRate = audio::NumberArg(info, 2, "outRate");
  auto result = std::make_shared<std::vector<float>>();
  return PromiseTask::Start(
      info.Env(), [=] { *result = Resample(samples->data(), samples->size(), inRate, outRate); },
      [result](Napi::Env env) -> Napi::Value { return audio::ToFloat32Array(env, std::move(*result)); });
}

// encodeAudio(samples: Float32Array (interleaved), sampleRate, format, {channels, subtype, bitrate, compression})
//   -> Promise<Uint8Array>
Napi::Value EncodeAudioJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto samples = std::make_shared<std::vector<float>>(audio::Float32Arg(info, 0, "samples"));
  int sampleRate = static_cast<int>(audio::NumberArg(info, 1, "sampleRate"));
  audio::EncodeOptions options;
  options.format = audio::StringArg(info, 2, "format");
  Napi::Object opts = audio::ObjectArg(info, 3);
  int channels = static_cast<int>(audio::GetNumber(env, opts, "channels", 1));
  options.subtype = audio::GetString(env, opts, "subtype", "");
  options.bitrateKbps = static_cast<int>(audio::GetNumber(env, opts, "bitrate", 0));
  options.compression = audio::GetNumber(env, opts, "compression", -1.0);
  if (channels < 1 || samples->size() % size_t(channels) != 0) {
    audio::ThrowInvalid(env, "samples.length must be a multiple of channels");
  }
  auto result = std::make_shared<std::vector<uint8_t>>();
  return PromiseTask::Start(
      env,
      [=] {
        *result = audio::EncodeAudio(samples->data(), samples->size() / size_t(channels), channels, sampleRate, options);
      },
      [result](Napi::Env env) -> Napi::Value { return audio::ToUint8Array(env, std::move(*result)); });
}

}  // namespace

void InitAudio(Napi::Env env, Napi::Object exports) {
  exports.Set("probeAudio", Napi::Function::New(env, ProbeAudioJs, "probeAudio"));
  exports.Set("loadAudio", Napi::Function::New(env, LoadAudioJs, "loadAudio"));
  exports.Set("decodeAudioBuffer", Napi::Function::New(env, DecodeAudioBufferJs, "decodeAudioBuffer"));
  exports.Set("resample", Napi::Function::New(env, ResampleJs, "resample"));
  exports.Set("encodeAudio", Napi::Function::New(env, EncodeAudioJs, "encodeAudio"));
  InitFeatures(env, exports);
  InitAugment(env, exports);
  InitCopySynthesis(env, exports);
}

}  // namespace melguard
