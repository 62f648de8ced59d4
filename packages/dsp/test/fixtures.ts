// Loads the librosa 0.11 parity fixtures (copied into test/fixtures/librosa; see its README), checking sha256s.
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { SpectrogramInput } from '../src';

export const FIXTURE_DIR = join(__dirname, 'fixtures', 'librosa');

export interface FixturePreset {
  kind: 'mel' | 'stft';
  sr: number;
  n_fft: number;
  hop_length: number;
  win_length: number;
  window: string;
  center: boolean;
  pad_mode: string;
  power: number;
  n_mels?: number;
  fmin?: number;
  fmax?: number;
  htk?: boolean;
  norm?: string | null;
  to_db: 'power_to_db' | 'amplitude_to_db';
  ref: string | number;
  amin: number;
  top_db: number | null;
}

export interface FixtureOutput {
  input: string;
  preset: string;
  shape: [number, number];
  db: string;
  db_sha256: string;
  power: string | null;
  power_sha256?: string;
}

export interface Fixtures {
  presets: Record<string, FixturePreset>;
  inputs: Record<string, { file: string; sample_rate: number; n_samples: number; sha256: string }>;
  melbanks: Record<string, { file: string; shape: [number, number]; sha256: string; nonzeros: number }>;
  outputs: FixtureOutput[];
}

export const fixtures: Fixtures = JSON.parse(readFileSync(join(FIXTURE_DIR, 'fixtures.json'), 'utf8'));

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toFloat32(bytes: Buffer): Float32Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** A fixture file as float32, after checking its sha256. */
export function readF32(file: string, expectedSha256: string): Float32Array {
  const bytes = readFileSync(join(FIXTURE_DIR, file));
  const actual = sha256(bytes);
  if (actual !== expectedSha256) throw new Error(`fixture ${file}: sha256 ${actual} != ${expectedSha256}`);
  return toFloat32(bytes);
}

export function readInput(name: string): Float32Array {
  const input = fixtures.inputs[name];
  return readF32(input.file, input.sha256);
}

/** The dense melbank of a preset (melbank.seed.f32 is stored as nonzero spans; see the fixtures' README). */
export function readMelbank(preset: string): Float32Array {
  const m = fixtures.melbanks[preset];
  let spansFile: string | undefined;
  try {
    return readF32(m.file, m.sha256);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    spansFile = `melbank.${preset}.spans.json`;
  }
  const spans: { shape: [number, number]; rows: [number, string][]; negativeZeros: number[] } = JSON.parse(
    readFileSync(join(FIXTURE_DIR, spansFile), 'utf8'),
  );
  const [rows, cols] = spans.shape;
  const dense = new Float32Array(rows * cols);
  spans.rows.forEach(([start, b64], r) => dense.set(toFloat32(Buffer.from(b64, 'base64')), r * cols + start));
  for (const i of spans.negativeZeros) dense[i] = -0;
  const actual = sha256(new Uint8Array(dense.buffer));
  if (actual !== m.sha256) throw new Error(`rebuilt ${m.file}: sha256 ${actual} != ${m.sha256}`);
  return dense;
}

/** The engine options equivalent to a fixture preset's librosa call. */
export function optionsFor(presetName: string, scale: 'db' | 'power' = 'db'): SpectrogramInput {
  const p = fixtures.presets[presetName];
  const options: SpectrogramInput = {
    sr: p.sr,
    nFft: p.n_fft,
    hopLength: p.hop_length,
    winLength: p.win_length,
    window: p.window as SpectrogramInput['window'],
    center: p.center,
    padMode: p.pad_mode as SpectrogramInput['padMode'],
    power: p.power as 1 | 2,
    nMels: p.kind === 'stft' ? 0 : p.n_mels,
    scale,
    ref: p.ref === 'np.max' ? 'max' : Number(p.ref),
    amin: p.amin,
    topDb: p.top_db,
  };
  if (p.kind === 'mel') Object.assign(options, { fMin: p.fmin, fMax: p.fmax, htk: p.htk, norm: p.norm ?? null });
  return options;
}
