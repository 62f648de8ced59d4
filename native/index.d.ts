// Types of melguard's native addon. Options are validated by @melguard/dsp (resolveOptions); the addon re-checks
// them only to stay safe and throws Error{code: 'E_INVALID_ARG'} for anything out of range.

/** Spectrogram options as @melguard/dsp resolves them (librosa's names, camelCase). Missing fields take librosa's defaults. */
export interface NativeSpectrogramOptions {
  sr?: number;
  nFft?: number;
  hopLength?: number;
  winLength?: number;
  window?: 'hann' | 'hamming' | 'blackman' | 'rectangular';
  center?: boolean;
  padMode?: 'constant' | 'reflect';
  power?: 1 | 2;
  /** 0 = linear-frequency (1 + nFft/2 bins). */
  nMels?: number;
  fMin?: number;
  fMax?: number;
  htk?: boolean;
  norm?: 'slaney' | null;
  scale?: 'power' | 'db' | 'log';
  ref?: 'max' | number;
  amin?: number;
  /** null = no clipping. */
  topDb?: number | null;
}

/** Row-major [bins][frames]. */
export interface NativeSpectrogram {
  data: Float32Array;
  shape: [bins: number, frames: number];
}

/** Dense librosa.filters.mel weights, row-major [nMels][1 + nFft/2]. */
export interface NativeFilterbank {
  data: Float32Array;
  shape: [nMels: number, nFreqs: number];
  nonzeros: number;
}

export interface EngineInfo {
  version: string;
  /** 'kissfft-simd4' (KissFFT's SIMD build compiled in: 4 frames per transform) or 'kissfft' (system kiss_fftr). */
  fft: 'kissfft-simd4' | 'kissfft';
  fftDescription: string;
  /** 'avx2-fma' or 'scalar' (MELGUARD_SIMD=0 forces scalar). */
  kernels: string;
  defaultThreads: number;
  poolThreads: number;
  cachedEngines: number;
  /** Calls made from this environment (main thread or this worker). */
  calls: { sync: number; async: number; batch: number; pending: number };
}

/** Best-of-N single-thread timings of one signal: the whole engine vs bare FFTs over the same frames. */
export interface EngineTiming {
  frames: number;
  totalSeconds: number;
  /** Bare FFTs with the transform the engine uses (`fft`). */
  fftSeconds: number;
  /** Bare system kiss_fftr, one frame at a time (reference). */
  systemFftSeconds: number;
  fft: 'kissfft-simd4' | 'kissfft';
  kernels: string;
}

export declare const version: string;
/** Absolute path of the loaded melguard.node. */
export declare const addonPath: string;
/** The raw addon exports, including functions typed elsewhere (e.g. the audio module). */
export declare const binding: Readonly<Record<string, unknown>>;

/** Synchronous; `threads` (default 1, 0 = all cores) spreads this signal's frames over the native pool. */
export declare function spectrogram(samples: Float32Array, options: NativeSpectrogramOptions, threads?: number): NativeSpectrogram;
/** Off the event loop; the samples are copied when called. */
export declare function spectrogramAsync(
  samples: Float32Array,
  options: NativeSpectrogramOptions,
  threads?: number,
): Promise<NativeSpectrogram>;
/** Many signals over the native pool (`threads` default 0 = all cores); rejects with the first failure. */
export declare function spectrogramBatch(
  signals: readonly Float32Array[],
  options: NativeSpectrogramOptions,
  threads?: number,
): Promise<NativeSpectrogram[]>;
export declare function melFilterbank(options: NativeSpectrogramOptions): NativeFilterbank;
export declare function frameCount(nSamples: number, options: NativeSpectrogramOptions): number;
/** Index of the first NaN/Infinity, or -1. */
export declare function firstNonFinite(samples: Float32Array): number;
export declare function benchSpectrogram(samples: Float32Array, options: NativeSpectrogramOptions, repeats?: number): EngineTiming;
export declare function engineInfo(): EngineInfo;

// ---- Audio module (native/src/audio_binding.cc, audio/*): decoding, resampling, encoding, file features,
// augmentation. Every function returns a Promise and runs off the event loop, except augmentSync.
// Failures reject with Error{code, message, path?} (ENOENT, EACCES, E_UNSUPPORTED, E_CORRUPT, E_EMPTY,
// E_TOO_LARGE, E_TOO_SHORT, E_INVALID_ARG, E_ENCODE, E_INTERNAL).

export interface NativeAudioInfo {
  sampleRate: number;
  channels: number;
  /** Frames per channel; -1 when the stream does not say. */
  frames: number;
  /** Seconds; -1 when unknown. */
  duration: number;
  format: string;
  subtype: string;
}

export interface NativeLoadOptions {
  /** Target rate; 0 keeps the file's. */
  sr?: number;
  mono?: boolean;
  offset?: number;
  /** Seconds; negative = to the end. */
  duration?: number;
  /** decodeAudioBuffer only: the name used in errors. */
  name?: string;
}

export interface NativeAudio {
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  duration: number;
}

export interface NativeEncodeOptions {
  channels?: number;
  subtype?: string;
  bitrate?: number;
  compression?: number;
}

export interface NativeWindowing {
  windowSeconds: number;
  hopSeconds?: number;
  /** 0 = every window that fits. */
  maxWindows?: number;
  firstOnly?: boolean;
  minSeconds?: number;
}

export interface NativeFileFeatures {
  path: string;
  duration: number;
  sampleRate: number;
  windows: { start: number; end: number }[];
  data: Float32Array;
  shape: [windows: number, bins: number, frames: number];
  timing: { decode: number; resample: number; spectrogram: number };
  /** Seconds actually decoded (less than duration when maxWindows stopped early). */
  audioSeconds: number;
}

export interface NativeFileFailure {
  path: string;
  error: { code: string; message: string };
}

export declare function probeAudio(path: string): Promise<NativeAudioInfo>;
export declare function loadAudio(path: string, options?: NativeLoadOptions): Promise<NativeAudio>;
export declare function decodeAudioBuffer(bytes: Uint8Array, options?: NativeLoadOptions): Promise<NativeAudio>;
export declare function resample(samples: Float32Array, inRate: number, outRate: number): Promise<Float32Array>;
export declare function encodeAudio(samples: Float32Array, sampleRate: number, format: string, options?: NativeEncodeOptions): Promise<Uint8Array>;
/** windowing null = one whole-clip spectrogram per file; threads 0 = every core. */
export declare function spectrogramFiles(
  paths: readonly string[],
  options: NativeSpectrogramOptions,
  windowing: NativeWindowing | null,
  batch?: { threads?: number; offset?: number; duration?: number },
): Promise<(NativeFileFeatures | NativeFileFailure)[]>;

export interface NativeAugmentResult {
  samples: Float32Array;
  applied: ({ type: string } & Record<string, string | number>)[];
}
/** Steps as packages/dsp/src/augment.ts resolves them (ranges as [min, max]). */
export declare function augment(samples: Float32Array, sampleRate: number, steps: readonly object[], seed: number): Promise<NativeAugmentResult>;
export declare function augmentSync(samples: Float32Array, sampleRate: number, steps: readonly object[], seed: number): NativeAugmentResult;

/** Options as packages/dsp/src/copy-synthesis.ts resolves them (all fields present). */
export interface NativeCopySynthesisOptions {
  nFft: number; hopLength: number; nMels: number; fMin: number; fMax: number; nIter: number; momentum: number; seed: number;
}
export declare function copySynthesis(samples: Float32Array, sampleRate: number, options: NativeCopySynthesisOptions): Promise<Float32Array>;
