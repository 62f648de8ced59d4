// Public types of the DSP engine. Option names and defaults follow librosa (camelCase).

export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rectangular';
export type PadMode = 'constant' | 'reflect';
export type ScaleName = 'power' | 'db' | 'log';

/** Every spectrogram option, resolved (no undefined). Same meaning as librosa.feature.melspectrogram + power_to_db. */
export interface SpectrogramOptions {
  sr: number;
  nFft: number;
  hopLength: number;
  winLength: number;
  window: WindowName;
  center: boolean;
  padMode: PadMode;
  power: 1 | 2;
  /** 0 = linear-frequency spectrogram (1 + nFft/2 bins). */
  nMels: number;
  fMin: number;
  fMax: number;
  htk: boolean;
  norm: 'slaney' | null;
  scale: ScaleName;
  ref: 'max' | number;
  amin: number;
  /** null = no clipping. */
  topDb: number | null;
}

export type PresetName = 'seed' | 'speech16k' | 'stft16k';

/** What callers pass: a preset name and/or any subset of options (options override the preset). */
export type SpectrogramInput = Partial<SpectrogramOptions> & { preset?: PresetName };

export interface Spectrogram {
  /** Row-major [bins][frames]. */
  data: Float32Array;
  shape: [bins: number, frames: number];
}

/** Splitting a clip into fixed-length windows, each turned into its own spectrogram (its own dB reference). */
export interface WindowingOptions {
  /** Window length in seconds. */
  windowSeconds: number;
  /** Hop between window starts in seconds (default = windowSeconds). */
  hopSeconds?: number;
  /** Only the first window (the seed project's "first 3 s"). */
  firstOnly?: boolean;
  /** At most this many windows per clip (evenly from the start). */
  maxWindows?: number;
  /**
   * Clips shorter than one window: 'pad' (default) zero-pads to one full window,
   * 'skip' returns no windows (error code E_TOO_SHORT) for clips shorter than minSeconds.
   */
  minSeconds?: number;
}

export interface LoadOptions {
  /** Target sample rate; null/undefined keeps the file's own rate. */
  sr?: number | null;
  /** Mix down to mono (mean of channels). Default true. */
  mono?: boolean;
  /** Seconds to skip (seeks, does not decode them). */
  offset?: number;
  /** Seconds to read; null/undefined = to the end. */
  duration?: number | null;
}

export interface Audio {
  /** Interleaved when channels > 1. */
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  duration: number;
}

export interface AudioInfo {
  sampleRate: number;
  channels: number;
  frames: number;
  duration: number;
  format: string;
  subtype: string;
}

export interface WindowSpan {
  /** Seconds from the start of the clip. */
  start: number;
  end: number;
}

/** Features of one file: every window's spectrogram, contiguous [windows][bins][frames]. */
export interface FileFeatures {
  path: string;
  duration: number;
  sampleRate: number;
  windows: WindowSpan[];
  data: Float32Array;
  shape: [windows: number, bins: number, frames: number];
  /** Wall time of each stage in seconds (decode, resample, spectrogram). */
  timing: { decode: number; resample: number; spectrogram: number };
}

export interface FileFailure {
  path: string;
  error: { code: string; message: string };
}

export type FileResult = FileFeatures | FileFailure;
