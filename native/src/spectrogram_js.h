// Conversions between JS values and the engine's types, shared by every binding that computes spectrograms
// (spectrogram_binding.cc, and file-based features in the audio module).
#pragma once
#include <napi.h>

#include <cstddef>

#include "engine.h"

namespace melguard {

// Reads a resolved options object ({sr, nFft, hopLength, winLength, window, center, padMode, power, nMels, fMin,
// fMax, htk, norm, scale, ref, amin, topDb}, as packages/dsp resolveOptions returns it) and validates it.
// Missing fields take librosa's defaults. Throws melguard::Error(E_INVALID_ARG).
SpectrogramConfig ConfigFromJs(const Napi::Value& value);

// {data: Float32Array (copy of bins*frames floats), shape: [bins, frames]}
Napi::Object SpectrogramToJs(Napi::Env env, const float* data, size_t bins, size_t frames);

// The Float32Array behind `value`, or throws melguard::Error(E_INVALID_ARG) naming `what`.
Napi::Float32Array RequireFloat32Array(const Napi::Value& value, const char* what);

// Optional thread count argument: undefined -> fallback, else an integer >= 0 (0 = all hardware threads).
int ThreadsFromJs(const Napi::Value& value, int fallback);

}  // namespace melguard
