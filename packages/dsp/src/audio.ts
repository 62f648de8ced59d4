// Audio input/output over the native engine: probe, decode (file or bytes), resample, encode.
// Decoding is libsndfile (WAV, FLAC, Ogg/Vorbis, Opus, MP3), resampling is libsoxr at high quality (librosa's
// default 'soxr_hq'). All work runs on native threads; every failure is a MelguardError with a stable code.
import { types } from 'node:util';

import { invalidRange, invalidType, toMelguardError } from './errors';
import { native } from './native';

import type { Audio, AudioInfo, LoadOptions } from './types';

/** Sample rates accepted for decoding targets and resampling. */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 768000;

export type EncodeFormat = 'wav' | 'flac' | 'ogg' | 'opus' | 'mp3';
export const ENCODE_FORMATS: readonly EncodeFormat[] = ['wav', 'flac', 'ogg', 'opus', 'mp3'];

export interface EncodeOptions {
  /** Channels interleaved in `samples` (default 1). */
  channels?: number;
  /** PCM sample format: wav pcm8|pcm16|pcm24|pcm32|float, flac pcm8|pcm16|pcm24. Default pcm16. */
  subtype?: 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float';
  /** Target bitrate in kbit/s, mp3 and opus only (libsndfile maps it to its compression level). */
  bitrate?: number;
  /** libsndfile compression level, 0 (best quality) .. 1 (smallest), for flac/ogg/opus/mp3. */
  compression?: number;
}

export interface DecodeBufferOptions extends LoadOptions {
  /** Name used in error messages (e.g. the uploaded file's name). Default '<buffer>'. */
  name?: string;
}

/** Resolved load options as the native layer takes them. */
export interface NativeLoadOptions {
  sr: number;
  mono: boolean;
  offset: number;
  duration: number;
}

function checkPath(path: unknown, what = 'path'): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) throw invalidType(`${what} must be a non-empty string`);
}

/** Validates a sample rate option; returns 0 for "keep the file's rate". */
export function checkSampleRate(value: unknown, name: string, allowNull: boolean): number {
  if (value === undefined || value === null) {
    if (allowNull) return 0;
    throw invalidType(`${name} must be a number`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidType(`${name} must be a finite number`);
  if (!Number.isInteger(value) || value < MIN_SAMPLE_RATE || value > MAX_SAMPLE_RATE) {
    throw invalidRange(`${name} must be an integer in [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz (got ${value})`);
  }
  return value;
}

/** Validates LoadOptions (TypeError / RangeError naming the option) and fills defaults. */
export function resolveLoadOptions(options: LoadOptions | undefined): NativeLoadOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw invalidType('options must be an object');
  }
  const o = options ?? {};
  const sr = checkSampleRate(o.sr, 'sr', true);
  if (o.mono !== undefined && typeof o.mono !== 'boolean') throw invalidType('mono must be a boolean');
  const offset = o.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isFinite(offset)) throw invalidType('offset must be a finite number');
  if (offset < 0) throw invalidRange(`offset must be >= 0 seconds (got ${offset})`);
  let duration = -1;
  if (o.duration !== undefined && o.duration !== null) {
    if (typeof o.duration !== 'number' || !Number.isFinite(o.duration)) {
      throw invalidType('duration must be a finite number or null');
    }
    if (o.duration <= 0) throw invalidRange(`duration must be > 0 seconds (got ${o.duration})`);
    duration = o.duration;
  }
  return { sr, mono: o.mono ?? true, offset, duration };
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toMelguardError(error);
  }
}

/** Header information of an audio file (no decoding). `frames`/`duration` are -1 when the stream has no length. */
export async function audioInfo(path: string): Promise<AudioInfo> {
  checkPath(path);
  return call(() => native.probeAudio(path));
}

/**
 * Decodes an audio file like librosa.load: mono mixdown (mean of channels) by default, `offset`/`duration` in
 * seconds (seeking, not decoding what is skipped), resampling to `sr` with soxr HQ (null keeps the file's rate).
 * Samples are float32 in [-1, 1]; interleaved when `mono: false` and the file has several channels.
 */
export async function loadAudio(path: string, options?: LoadOptions): Promise<Audio> {
  checkPath(path);
  const resolved = resolveLoadOptions(options);
  return call(() => native.loadAudio(path, resolved));
}

/** Same as loadAudio over encoded bytes in memory (e.g. an HTTP upload). The bytes are copied. */
export async function decodeAudioBuffer(bytes: Uint8Array, options?: DecodeBufferOptions): Promise<Audio> {
  if (!types.isUint8Array(bytes)) throw invalidType('bytes must be a Uint8Array or Buffer');
  const resolved = resolveLoadOptions(options);
  const name = options?.name ?? '<buffer>';
  if (typeof name !== 'string') throw invalidType('name must be a string');
  return call(() => native.decodeAudioBuffer(bytes, { ...resolved, name }));
}

/**
 * Resamples mono float32 samples with soxr HQ. Output length is ceil(n * outRate / inRate), as librosa.resample
 * gives; equal rates return a copy.
 */
export async function resample(samples: Float32Array, inRate: number, outRate: number): Promise<Float32Array> {
  if (!types.isFloat32Array(samples)) throw invalidType('samples must be a Float32Array');
  checkSampleRate(inRate, 'inRate', false);
  checkSampleRate(outRate, 'outRate', false);
  const ratio = outRate / inRate;
  if (ratio > 256 || ratio < 1 / 256) throw invalidRange('outRate / inRate must be within [1/256, 256]');
  return call(() => native.resample(samples, inRate, outRate));
}

/**
 * Encodes float32 samples (interleaved when channels > 1) to a complete file in memory: WAV, FLAC, Ogg/Vorbis,
 * Ogg/Opus (8/12/16/24/48 kHz only) or MP3 (MPEG rates 8-48 kHz, 1-2 channels). Values beyond [-1, 1] are clipped.
 */
export async function encodeAudio(
  samples: Float32Array,
  sampleRate: number,
  format: EncodeFormat,
  options: EncodeOptions = {},
): Promise<Uint8Array> {
  if (!types.isFloat32Array(samples)) throw invalidType('samples must be a Float32Array');
  checkSampleRate(sampleRate, 'sampleRate', false);
  if (!ENCODE_FORMATS.includes(format)) {
    throw invalidRange(`format must be one of ${ENCODE_FORMATS.join(', ')} (got ${String(format)})`);
  }
  if (options === null || typeof options !== 'object') throw invalidType('options must be an object');
  const channels = options.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1 || channels > 255) {
    throw invalidRange('channels must be an integer in [1, 255]');
  }
  if (samples.length % channels !== 0) throw invalidRange('samples.length must be a multiple of channels');
  if (options.bitrate !== undefined) {
    if (format !== 'mp3' && format !== 'opus') throw invalidRange('bitrate applies to mp3 and opus only');
    if (!Number.isFinite(options.bitrate) || options.bitrate < 6 || options.bitrate > 512) {
      throw invalidRange('bitrate must be in [6, 512] kbit/s');
    }
  }
  if (options.compression !== undefined) {
    if (!Number.isFinite(options.compression) || options.compression < 0 || options.compression > 1) {
      throw invalidRange('compression must be in [0, 1]');
    }
  }
  if (options.subtype !== undefined) {
    const allowed = format === 'wav' ? ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'float'] : format === 'flac' ? ['pcm8', 'pcm16', 'pcm24'] : [];
    if (!allowed.includes(options.subtype)) {
      throw invalidRange(`subtype ${options.subtype} is not available for ${format}`);
    }
  }
  return call(() =>
    native.encodeAudio(samples, sampleRate, format, {
      channels,
      subtype: options.subtype,
      bitrate: options.bitrate,
      compression: options.compression,
    }),
  );
}
