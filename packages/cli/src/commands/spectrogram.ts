// melguard spectrogram <input> --out FILE: log-mel / log-linear spectrogram of an audio file (or raw float32
// samples with --raw-sr) as raw float32, JSON or PNG. Options use librosa's names; the engine validates them.
import fs from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { choice, int, num, numOr } from '../lib/args';
import { writeFileAtomic } from '../lib/atomic';
import { CliError, EXIT } from '../lib/errors';
import { dsp, plot, type Spectrogram, type SpectrogramInput } from '../lib/ports';

export type SpectrogramFormat = 'f32' | 'json' | 'png';

export interface SpectrogramCliOptions {
  preset?: string;
  sr?: number;
  nFft?: number;
  hopLength?: number;
  winLength?: number;
  window?: string;
  center?: boolean;
  padMode?: string;
  power?: number;
  nMels?: number;
  fMin?: number;
  fMax?: number;
  htk?: boolean;
  norm?: string;
  scale?: string;
  ref?: number | 'max';
  amin?: number;
  topDb?: number | 'none';
  rawSr?: number;
  offset?: number;
  duration?: number;
  out: string;
  format?: SpectrogramFormat;
}

/** librosa option flags shared by commands that compute features. */
export function addFeatureOptions(cmd: Command): Command {
  return cmd
    .option('--preset <name>', 'feature preset: seed (22050 Hz, the original project), speech16k (80 mels) or stft16k (257 linear bins)')
    .option('--sr <hz>', 'sample rate the spectrogram is computed at (audio is resampled to it)', int())
    .option('--n-fft <n>', 'FFT size', int())
    .option('--hop-length <n>', 'hop between frames, samples', int())
    .option('--win-length <n>', 'window length, samples (<= n-fft)', int())
    .option('--window <name>', 'hann, hamming, blackman or rectangular')
    .option('--center', 'centre frames (pad n_fft/2 on each side)')
    .option('--no-center', 'do not centre frames')
    .option('--pad-mode <mode>', 'padding when centred: constant or reflect')
    .option('--power <p>', '1 = magnitude, 2 = power', int())
    .option('--n-mels <n>', 'mel bands (0 = linear-frequency spectrogram)', int())
    .option('--f-min <hz>', 'lowest mel frequency', num())
    .option('--f-max <hz>', 'highest mel frequency (<= sr/2)', num())
    .option('--htk', 'HTK mel scale')
    .option('--no-htk', 'Slaney mel scale')
    .option('--norm <norm>', 'mel filter normalisation: slaney or none')
    .option('--scale <scale>', 'output scale: power, db or log')
    .option('--ref <ref>', "dB reference: 'max' or a number", numOr(['max'] as const))
    .option('--amin <x>', 'floor before the log', num())
    .option('--top-db <db>', "clip below max - top_db dB, or 'none'", numOr(['none'] as const));
}

/** The flags the user gave, as the engine's input (unset flags leave the preset's values). */
export function featureInput(o: Partial<SpectrogramCliOptions>): SpectrogramInput {
  const input: Record<string, unknown> = {};
  const copy = ['preset', 'sr', 'nFft', 'hopLength', 'winLength', 'window', 'center', 'padMode', 'power', 'nMels', 'fMin', 'fMax', 'htk', 'scale', 'ref', 'amin'] as const;
  for (const k of copy) if (o[k] !== undefined) input[k] = o[k];
  if (o.norm !== undefined) input.norm = o.norm === 'none' ? null : o.norm;
  if (o.topDb !== undefined) input.topDb = o.topDb === 'none' ? null : o.topDb;
  return input as SpectrogramInput;
}

export function registerSpectrogram(program: Command): void {
  const cmd = program
    .command('spectrogram')
    .description('compute a log-mel (or log-linear) spectrogram and write it as f32, JSON or PNG')
    .argument('<input>', 'audio file, or raw float32 LE mono samples with --raw-sr');
  addFeatureOptions(cmd)
    .option('--raw-sr <hz>', 'the input is raw float32 little-endian mono samples at this rate', int(1, 10_000_000))
    .option('--offset <s>', 'start reading at this time (seconds)', num(0))
    .option('--duration <s>', 'read at most this many seconds', num(0, Infinity, { exclusiveMin: true }))
    .requiredOption('--out <file>', 'output file (written atomically)')
    .option('--format <format>', 'f32 (raw float32 LE [bins][frames]), json ({shape, data}) or png; default from --out extension', choice(['f32', 'json', 'png'] as const))
    .action(async (input: string, opts: SpectrogramCliOptions) => {
      const format = opts.format ?? formatFromName(opts.out);
      const spec = await computeSpectrogram(input, opts);
      writeFileAtomic(opts.out, encodeSpectrogram(spec, format));
      process.stderr.write(`${opts.out}: ${spec.shape[0]} bins x ${spec.shape[1]} frames (${format})\n`);
    });
}

export function formatFromName(file: string): SpectrogramFormat {
  if (/\.png$/i.test(file)) return 'png';
  if (/\.json$/i.test(file)) return 'json';
  return 'f32';
}

export async function computeSpectrogram(input: string, opts: SpectrogramCliOptions): Promise<Spectrogram> {
  // raw input is checked before the engine is even loaded
  const raw = opts.rawSr !== undefined ? readRawSamples(input, opts.rawSr, opts.offset, opts.duration) : null;
  const api = dsp();
  const features = featureInput(opts);
  // Raw samples are taken at their own rate unless a preset or --sr says otherwise (then resampled).
  if (opts.rawSr !== undefined && features.sr === undefined && features.preset === undefined) features.sr = opts.rawSr;
  const resolved = api.resolveOptions(features);
  let samples: Float32Array;
  if (raw && opts.rawSr !== undefined) {
    samples = opts.rawSr === resolved.sr ? raw : await api.resample(raw, opts.rawSr, resolved.sr);
  } else {
    const audio = await api.loadAudio(input, { sr: resolved.sr, mono: true, offset: opts.offset ?? 0, duration: opts.duration ?? null });
    samples = audio.samples;
  }
  return api.spectrogramAsync ? api.spectrogramAsync(samples, resolved) : api.spectrogram(samples, resolved);
}

export function readRawSamples(file: string, sampleRate: number, offset = 0, duration?: number): Float32Array {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'EIO';
    throw new CliError(code, `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (bytes.length % 4 !== 0) throw new CliError('E_BAD_INPUT', `${file} is ${bytes.length} bytes, not a whole number of float32 samples (--raw-sr expects raw float32 LE)`, EXIT.failed);
  const all = new Float32Array(bytes.length / 4);
  if (os.endianness() === 'LE') new Uint8Array(all.buffer).set(bytes);
  else for (let i = 0; i < all.length; i++) all[i] = bytes.readFloatLE(i * 4);
  const start = Math.min(all.length, Math.round(offset * sampleRate));
  const end = duration === undefined ? all.length : Math.min(all.length, start + Math.round(duration * sampleRate));
  const samples = all.subarray(start, end);
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) throw new CliError('E_BAD_INPUT', `${file}: sample ${start + i} is ${samples[i]} (NaN/Infinity): is this really float32 LE audio?`);
  }
  return samples;
}

export function encodeSpectrogram(spec: Spectrogram, format: SpectrogramFormat): Buffer | string {
  const [bins, frames] = spec.shape;
  if (format === 'json') return `${JSON.stringify({ shape: [bins, frames], data: Array.from(spec.data) })}\n`;
  if (format === 'png') return plot().spectrogramPng(spec.data, bins, frames);
  const out = Buffer.alloc(spec.data.length * 4);
  for (let i = 0; i < spec.data.length; i++) out.writeFloatLE(spec.data[i], i * 4);
  return out;
}
