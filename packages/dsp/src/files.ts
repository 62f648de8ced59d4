// Files -> spectrogram features, entirely in native code: decode (libsndfile) -> mono -> resample to the
// spectrogram's rate (soxr HQ) -> windows -> spectrograms. Samples never cross into JS. A batch spreads its
// files over the native thread pool; a file that fails yields {path, error} and the batch goes on.
import { MelguardError, invalidRange, invalidType, toMelguardError } from './errors';
import { native } from './native';

import { checkSampleRate, resolveLoadOptions } from './audio';
import { resolveOptions } from './options';
import type { FileFailure, FileFeatures, FileResult, LoadOptions, Spectrogram, SpectrogramInput, WindowingOptions } from './types';

/**
 * Clips shorter than one window are zero-padded to a full window when they last at least this long (seconds);
 * shorter clips fail with E_TOO_SHORT.
 */
export const DEFAULT_MIN_SECONDS = 0.5;

/** Windowing with every default filled in. `maxWindows` 0 = every window that fits. */
export interface ResolvedWindowing {
  windowSeconds: number;
  hopSeconds: number;
  maxWindows: number;
  minSeconds: number;
}

export interface BatchOptions {
  /** Native threads for the batch (default 0 = every core). */
  threads?: number;
  /** Decode every file at this rate (overrides the options' `sr`; the mel filterbank follows it). */
  sr?: number;
  /** Seconds skipped at the start of every file (seeks). */
  offset?: number;
  /** Seconds read from every file (null = to the end). */
  duration?: number | null;
}

/** One file's whole-clip spectrogram. */
export interface FileSpectrogram extends Spectrogram {
  path: string;
  /** Rate the spectrogram was computed at. */
  sampleRate: number;
  /** Seconds of audio the spectrogram covers. */
  duration: number;
  timing: FileFeatures['timing'];
}

export function isFileFailure(result: FileResult): result is FileFailure {
  return (result as FileFailure).error !== undefined;
}

/**
 * Validates windowing (TypeError / RangeError naming the option) and fills defaults. Policy:
 * windows of `windowSeconds` start every `hopSeconds` (default: windowSeconds) while they fit in the clip, so
 * the tail after the last full window is not covered; `firstOnly` / `maxWindows` stop decoding once enough
 * windows exist. A clip shorter than one window becomes one zero-padded window (span [0, duration]) if it
 * lasts at least `minSeconds` (default 0.5 s), else the file fails with E_TOO_SHORT.
 */
export function resolveWindowing(windowing: WindowingOptions): ResolvedWindowing {
  if (windowing === null || typeof windowing !== 'object') throw invalidType('windowing must be an object');
  const positive = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(`windowing.${name} must be a finite number`);
    if (value <= 0) throw invalidRange(`windowing.${name} must be > 0 (got ${value})`);
    if (value > 86400) throw invalidRange(`windowing.${name} must be at most 86400 seconds`);
    return value;
  };
  const windowSeconds = positive(windowing.windowSeconds, 'windowSeconds');
  const hopSeconds = windowing.hopSeconds === undefined ? windowSeconds : positive(windowing.hopSeconds, 'hopSeconds');
  if (windowing.firstOnly !== undefined && typeof windowing.firstOnly !== 'boolean') {
    throw invalidType('windowing.firstOnly must be a boolean');
  }
  let maxWindows = 0;
  if (windowing.maxWindows !== undefined) {
    if (!Number.isSafeInteger(windowing.maxWindows) || windowing.maxWindows < 1) {
      throw invalidRange('windowing.maxWindows must be an integer >= 1');
    }
    maxWindows = windowing.maxWindows;
  }
  if (windowing.firstOnly) {
    if (maxWindows > 1) throw invalidRange('windowing.firstOnly conflicts with maxWindows > 1');
    maxWindows = 1;
  }
  let minSeconds = DEFAULT_MIN_SECONDS;
  if (windowing.minSeconds !== undefined) {
    if (typeof windowing.minSeconds !== 'number' || !Number.isFinite(windowing.minSeconds)) {
      throw invalidType('windowing.minSeconds must be a finite number');
    }
    if (windowing.minSeconds < 0 || windowing.minSeconds > windowSeconds) {
      throw invalidRange('windowing.minSeconds must be in [0, windowSeconds]');
    }
    minSeconds = windowing.minSeconds;
  }
  // A very short window is allowed only if it holds at least one sample at the decode rate (checked natively).
  return { windowSeconds, hopSeconds, maxWindows, minSeconds: Math.min(minSeconds, windowSeconds) };
}

function resolveThreads(threads: unknown): number {
  if (threads === undefined) return 0;
  if (!Number.isSafeInteger(threads) || (threads as number) < 0 || (threads as number) > 1024) {
    throw invalidRange('threads must be an integer in [0, 1024] (0 = every core)');
  }
  return threads as number;
}

function checkPaths(paths: readonly string[]): void {
  if (!Array.isArray(paths)) throw invalidType('paths must be an array of strings');
  paths.forEach((p, i) => {
    if (typeof p !== 'string' || p.length === 0) throw invalidType(`paths[${i}] must be a non-empty string`);
  });
}

/**
 * Spectrogram features of many files. With `windowing`, every file gives [windows][bins][frames] (each window
 * its own spectrogram with its own dB reference) plus each window's {start, end} in seconds; without, one
 * whole-clip spectrogram per file ([1][bins][frames]). Results keep the order of `paths`.
 */
export async function spectrogramFiles(
  paths: readonly string[],
  options: SpectrogramInput = {},
  windowing: WindowingOptions | null = null,
  batch: BatchOptions = {},
): Promise<FileResult[]> {
  checkPaths(paths);
  if (batch === null || typeof batch !== 'object') throw invalidType('batch options must be an object');
  const threads = resolveThreads(batch.threads);
  const sr = batch.sr === undefined ? undefined : checkSampleRate(batch.sr, 'sr', false);
  const config = resolveOptions(sr === undefined ? options : { ...options, sr });
  const load = resolveLoadOptions({ offset: batch.offset, duration: batch.duration });
  // Files are decoded at the spectrogram's rate, so it must be a rate the decoder can produce.
  checkSampleRate(config.sr, 'sr', false);
  const win = windowing === null || windowing === undefined ? null : resolveWindowing(windowing);
  if (win && !config.center && Math.round(win.windowSeconds * config.sr) < config.nFft) {
    throw invalidRange(`windowing.windowSeconds (${win.windowSeconds} s) is shorter than nFft=${config.nFft} samples; with center=false no frame fits`);
  }
  try {
    return (await native.spectrogramFiles([...paths], config, win, { threads, offset: load.offset, duration: load.duration })) as FileResult[];
  } catch (error) {
    throw toMelguardError(error);
  }
}

/**
 * One file's spectrogram, computed natively from the file: like loadAudio(path, {sr, offset, duration}) followed
 * by spectrogram(samples, options), without the samples ever reaching JS. `sr` (default: the preset's) is both the
 * decode rate and the spectrogram's. Failures throw a MelguardError with the file's path.
 */
export async function spectrogramFile(path: string, options: SpectrogramInput & LoadOptions = {}): Promise<FileSpectrogram> {
  if (typeof path !== 'string' || path.length === 0) throw invalidType('path must be a non-empty string');
  const { mono, offset, duration, sr, ...spectrogramOptions } = options;
  if (mono === false) throw invalidRange('mono: false is not available: spectrograms are computed on the mono mixdown');
  const [result] = await spectrogramFiles([path], sr === null || sr === undefined ? spectrogramOptions : { ...spectrogramOptions, sr }, null, {
    threads: 1,
    offset,
    duration,
  });
  if (isFileFailure(result)) throw new MelguardError(result.error.code, result.error.message, { path: result.path });
  const [, bins, frames] = result.shape;
  return {
    path: result.path,
    data: result.data,
    shape: [bins, frames],
    sampleRate: result.sampleRate,
    duration: result.duration,
    timing: result.timing,
  };
}
