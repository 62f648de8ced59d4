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
