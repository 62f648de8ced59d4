// The engine's public calls: one signal (sync or async), many signals over the native thread pool, the mel
// filterbank. Options go through resolveOptions; samples are checked here (type, emptiness, NaN/Infinity, length).
import { awaitNative, callNative, invalidRange, invalidType } from './errors';
import { native } from './native';
import { resolveOptions } from './options';
import type { SpectrogramInput, SpectrogramOptions, Spectrogram } from './types';

export interface Filterbank {
  /** Row-major [nMels][1 + nFft/2], float32 — librosa.filters.mel. */
  data: Float32Array;
  shape: [nMels: number, nFreqs: number];
  /** Number of nonzero weights (the engine only multiplies these). */
  nonzeros: number;
}

export interface ParallelOptions {
  /** Native threads to use: a positive integer; default all hardware threads for batches, 1 for one signal. */
  threads?: number;
}

function threadsOption(options: ParallelOptions | undefined, fallback: number): number {
  if (options === undefined || options === null) return fallback;
  if (typeof options !== 'object') throw invalidType(`parallel options must be an object like {threads: 2}`);
  const { threads } = options;
  if (threads === undefined) return fallback;
  if (typeof threads !== 'number') throw invalidType(`threads must be an integer in [1, 1024], got ${typeof threads}`);
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw invalidRange(`threads must be an integer in [1, 1024], got ${threads}`);
  }
  return threads;
}

/** Throws TypeError/RangeError unless `samples` is a non-empty, finite Float32Array long enough for one frame. */
export function checkSamples(samples: unknown, options: SpectrogramOptions, name = 'samples'): Float32Array {
  if (!(samples instanceof Float32Array)) {
    const kind = samples === null ? 'null' : ArrayBuffer.isView(samples) ? samples.constructor.name : typeof samples;
    throw invalidType(`${name} must be a Float32Array of mono samples, got ${kind}`);
  }
  if (samples.length === 0) throw invalidRange(`${name} is empty: a spectrogram needs at least 1 sample`);
  if (!options.center && samples.length < options.nFft) {
    throw invalidRange(
      `${name} has ${samples.length} samples; with center=false it needs at least nFft=${options.nFft} (or use center=true)`,
    );
  }
  const bad = native.firstNonFinite(samples);
  if (bad >= 0) throw invalidRange(`${name}[${bad}] is ${samples[bad]}: samples must be finite numbers`);
  return samples;
}

/** Spectrogram of one signal, computed synchronously on the calling thread. */
export function spectrogram(samples: Float32Array, options: SpectrogramInput = {}): Spectrogram {
  const resolved = resolveOptions(options);
  checkSamples(samples, resolved);
  return callNative(() => native.spectrogram(samples, resolved));
}

/** Spectrogram of one signal, computed off the event loop (samples are copied when called). */
export async function spectrogramAsync(
  samples: Float32Array,
  options: SpectrogramInput = {},
  parallel?: ParallelOptions,
): Promise<Spectrogram> {
  const resolved = resolveOptions(options);
  checkSamples(samples, resolved);
  const threads = threadsOption(parallel, 1);
  return awaitNative(native.spectrogramAsync(samples, resolved, threads));
}

/** Spectrograms of many signals with the same options, spread over the native thread pool. */
export async function spectrogramBatch(
  signals: readonly Float32Array[],
  options: SpectrogramInput = {},
  parallel?: ParallelOptions,
): Promise<Spectrogram[]> {
  if (!Array.isArray(signals)) throw invalidType(`signals must be an array of Float32Array, got ${typeof signals}`);
  const resolved = resolveOptions(options);
  signals.forEach((s, i) => checkSamples(s, resolved, `signals[${i}]`));
  const threads = threadsOption(parallel, 0);
  if (signals.length === 0) return [];
  return awaitNative(native.spectrogramBatch(signals, resolved, threads));
}

/** librosa.filters.mel for these options (nMels must be >= 1). */
export function melFilterbank(options: SpectrogramInput = {}): Filterbank {
  const resolved = resolveOptions(options);
  if (resolved.nMels < 1) throw invalidRange(`nMels must be an integer in [1, 16384] for a mel filterbank, got ${resolved.nMels}`);
  return callNative(() => native.melFilterbank(resolved));
}

/** What the loaded engine is: version, SIMD kernels, thread pool, cached configurations, this environment's calls. */
export function engineInfo() {
  return native.engineInfo();
}
