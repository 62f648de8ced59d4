// Waveform augmentation through the native engine, for training detectors that must survive real-world
// recordings. Every step is applied with its probability `p`; all randomness comes from `seed`, so the same
// (samples, steps, seed) always gives the same output, on every machine.
import { types } from 'node:util';

import { invalidRange, invalidType, toMelguardError } from './errors';
import { native } from './native';

import { checkSampleRate } from './audio';

/** A fixed value or a [min, max] range drawn uniformly. */
export type Range = number | readonly [min: number, max: number];

interface StepBase {
  /** Probability that the step is applied (default 1). */
  p?: number;
}

/** Scales the signal by a gain in dB. */
export interface GainStep extends StepBase {
  type: 'gain';
  db: Range;
}
/** Adds white, pink (-3 dB/oct) or brown (-6 dB/oct) noise at a signal-to-noise ratio measured on the clip. */
export interface NoiseStep extends StepBase {
  type: 'noise';
  /** Default 'white'. */
  color?: 'white' | 'pink' | 'brown';
  snrDb: Range;
}
/** 8th-order Butterworth high-pass at lowHz and/or low-pass at highHz (omit or 0 = that side open). */
export interface BandlimitStep extends StepBase {
  type: 'bandlimit';
  lowHz?: number;
  highHz?: number;
}
/** Phone line: 300-3400 Hz band, down to 8 kHz, 8-bit mu-law, and back. */
export interface TelephoneStep extends StepBase {
  type: 'telephone';
}
/** Down- (or up-) sampling to one of `viaHz` (picked at random) and back, with soxr HQ. */
export interface ResampleStep extends StepBase {
  type: 'resample';
  viaHz: readonly number[];
}
/** Hard clipping at `level` times the clip's peak (level in (0, 1]). */
export interface ClipStep extends StepBase {
  type: 'clip';
  level: Range;
}
/** `bands` peaking filters (default 3) at log-uniform 60 Hz..0.45*sr, Q 0.5-2, gains uniform in ±gainDb (default 6). */
export interface EqStep extends StepBase {
  type: 'eq';
  bands?: number;
  gainDb?: number;
}
/**
 * Convolution with a synthetic room response: a direct path plus exponentially decaying Gaussian noise that
 * falls by 60 dB over `rt60` seconds, at a direct-to-reverberant ratio `drrDb` (default [0, 10]). The output
 * keeps the input's RMS level.
 */
export interface ReverbStep extends StepBase {
  type: 'reverb';
  rt60: Range;
  drrDb?: Range;
}
/**
 * Encode + decode with a lossy codec (libsndfile): mp3 (LAME, CBR) and opus take `bitrate` in kbit/s (defaults
 * mp3 [24, 96], opus [12, 48]); ogg (Vorbis) takes libsndfile's `compression` level (default [0.3, 0.9]).
 * Rates the codec cannot store are resampled to the nearest one it can, and back.
 */
export interface CodecStep extends StepBase {
  type: 'codec';
  format: 'mp3' | 'opus' | 'ogg';
  bitrate?: Range;
  compression?: Range;
}

export type AugmentStep =
  | GainStep
  | NoiseStep
  | BandlimitStep
  | TelephoneStep
  | ResampleStep
  | ClipStep
  | EqStep
  | ReverbStep
  | CodecStep;

/** A step that was applied, with the values it drew. */
export interface AppliedStep {
  type: AugmentStep['type'];
  [value: string]: string | number;
}

export interface AugmentResult {
  samples: Float32Array;
  applied: AppliedStep[];
}

/**
 * melguard's default training augmentation: mostly mild, each step rare enough that clean audio still
 * dominates (2 steps per clip on average). Order: level, colour, room, noise, channel, codec, clipping.
 */
export const defaultAugmentation: readonly AugmentStep[] = Object.freeze([
  { type: 'gain', db: [-12, 6], p: 0.5 },
  { type: 'eq', bands: 3, gainDb: 6, p: 0.3 },
  { type: 'reverb', rt60: [0.2, 0.8], drrDb: [0, 12], p: 0.25 },
  { type: 'noise', color: 'white', snrDb: [10, 40], p: 0.2 },
  { type: 'noise', color: 'pink', snrDb: [10, 40], p: 0.2 },
  { type: 'telephone', p: 0.1 },
  { type: 'resample', viaHz: [8000, 11025, 12000], p: 0.15 },
  { type: 'codec', format: 'mp3', bitrate: [24, 96], p: 0.15 },
  { type: 'codec', format: 'opus', bitrate: [12, 48], p: 0.1 },
  { type: 'clip', level: [0.5, 0.95], p: 0.05 },
] as AugmentStep[]);

type Resolved = Record<string, unknown> & { type: string; p: number };

function range(value: unknown, name: string, lo: number, hi: number, fallback?: [number, number]): [number, number] {
  if (value === undefined) {
    if (fallback) return fallback;
    throw invalidType(`${name} is required`);
  }
  let pair: [number, number];
  if (typeof value === 'number') pair = [value, value];
  else if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) pair = [value[0], value[1]];
  else throw invalidType(`${name} must be a number or [min, max]`);
  if (!pair.every(Number.isFinite)) throw invalidType(`${name} must be finite`);
  if (pair[0] > pair[1]) throw invalidRange(`${name}: min must be <= max`);
  if (pair[0] < lo || pair[1] > hi) throw invalidRange(`${name} must lie within [${lo}, ${hi}]`);
  return pair;
}

function numberIn(value: unknown, name: string, lo: number, hi: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(`${name} must be a finite number`);
  if (value < lo || value > hi) throw invalidRange(`${name} must be in [${lo}, ${hi}]`);
  return value;
}

/** Validates a chain (TypeError / RangeError naming `steps[i].field`) and fills every documented default. */
export function resolveAugmentation(steps: readonly AugmentStep[], sampleRate: number): Resolved[] {
  if (!Array.isArray(steps)) throw invalidType('steps must be an array');
  return steps.map((step, i) => {
    const at = `steps[${i}]`;
    if (step === null || typeof step !== 'object') throw invalidType(`${at} must be an object`);
    const p = numberIn(step.p, `${at}.p`, 0, 1, 1);
    switch (step.type) {
      case 'gain':
        return { type: 'gain', p, db: range(step.db, `${at}.db`, -60, 40) };
      case 'noise': {
        const color = step.color ?? 'white';
        if (!['white', 'pink', 'brown'].includes(color)) throw invalidRange(`${at}.color must be white, pink or brown`);
        return { type: 'noise', p, color, snrDb: range(step.snrDb, `${at}.snrDb`, -20, 100) };
      }
      case 'bandlimit': {
        const nyquist = sampleRate / 2;
        const lowHz = numberIn(step.lowHz, `${at}.lowHz`, 0, nyquist, 0);
        const highHz = numberIn(step.highHz, `${at}.highHz`, 0, nyquist, 0);
        if (lowHz === 0 && highHz === 0) throw invalidRange(`${at} needs lowHz and/or highHz`);
        if (highHz > 0 && lowHz >= highHz) throw invalidRange(`${at}.lowHz must be below highHz`);
        return { type: 'bandlimit', p, lowHz, highHz };
      }
      case 'telephone':
        return { type: 'telephone', p };
      case 'resample': {
        if (!Array.isArray(step.viaHz) || step.viaHz.length === 0) throw invalidType(`${at}.viaHz must be a non-empty array`);
        step.viaHz.forEach((r: number, k: number) => checkSampleRate(r, `${at}.viaHz[${k}]`, false));
        return { type: 'resample', p, viaHz: [...step.viaHz] };
      }
      case 'clip':
        return { type: 'clip', p, level: range(step.level, `${at}.level`, 1e-3, 1) };
      case 'eq': {
        const bands = numberIn(step.bands, `${at}.bands`, 1, 32, 3);
        if (!Number.isInteger(bands)) throw invalidRange(`${at}.bands must be an integer`);
        return { type: 'eq', p, bands, gainDb: numberIn(step.gainDb, `${at}.gainDb`, 0, 40, 6) };
      }
      case 'reverb':
        return { type: 'reverb', p, rt60: range(step.rt60, `${at}.rt60`, 0.01, 10), drrDb: range(step.drrDb, `${at}.drrDb`, -30, 40, [0, 10]) };
      case 'codec': {
        const format = step.format;
        if (format === 'ogg') {
          if (step.bitrate !== undefined) throw invalidRange(`${at}.bitrate applies to mp3 and opus; use compression for ogg`);
          return { type: 'codec', p, format, compression: range(step.compression, `${at}.compression`, 0, 1, [0.3, 0.9]) };
        }
        if (format !== 'mp3' && format !== 'opus') throw invalidRange(`${at}.format must be mp3, opus or ogg`);
        if (step.compression !== undefined) throw invalidRange(`${at}.compression applies to ogg; use bitrate`);
        const fallback: [number, number] = format === 'mp3' ? [24, 96] : [12, 48];
        return { type: 'codec', p, format, bitrate: range(step.bitrate, `${at}.bitrate`, 6, 320, fallback) };
      }
      default:
        throw invalidRange(`${at}.type must be one of gain, noise, bandlimit, telephone, resample, clip, eq, reverb, codec`);
    }
  });
}

function checkArgs(samples: Float32Array, sampleRate: number, seed: number): void {
  if (!types.isFloat32Array(samples)) throw invalidType('samples must be a Float32Array');
  checkSampleRate(sampleRate, 'sampleRate', false);
  if (!Number.isSafeInteger(seed) || seed < 0) throw invalidType('seed must be an integer >= 0');
}

/** Augments mono float32 samples off the event loop. The output has the input's length. */
export async function augment(
  samples: Float32Array,
  sampleRate: number,
  steps: readonly AugmentStep[] = defaultAugmentation,
  seed = 0,
): Promise<AugmentResult> {
  checkArgs(samples, sampleRate, seed);
  const resolved = resolveAugmentation(steps, sampleRate);
  try {
    return (await native.augment(samples, sampleRate, resolved, seed)) as AugmentResult;
  } catch (error) {
    throw toMelguardError(error);
  }
}

/** Blocking form of augment, for data pipelines that already run off the main thread. */
export function augmentSync(
  samples: Float32Array,
  sampleRate: number,
  steps: readonly AugmentStep[] = defaultAugmentation,
  seed = 0,
): AugmentResult {
  checkArgs(samples, sampleRate, seed);
  const resolved = resolveAugmentation(steps, sampleRate);
  try {
    return native.augmentSync(samples, sampleRate, resolved, seed) as AugmentResult;
  } catch (error) {
    throw toMelguardError(error);
  }
}
