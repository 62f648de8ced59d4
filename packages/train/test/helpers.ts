// Deterministic helpers shared by the tests: a PRNG and a generator of small feature stores on disk
// (the documented store format of packages/corpus/src/store-types.ts, written directly).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `melguard-train-${prefix}-`));
}

const SPEECH16K = {
  sr: 16000, nFft: 512, hopLength: 160, winLength: 400, window: 'hann', center: true, padMode: 'constant', power: 2,
  nMels: 80, fMin: 20, fMax: 8000, htk: false, norm: 'slaney', scale: 'db', ref: 'max', amin: 1e-10, topDb: 80,
};
const STFT16K = { ...SPEECH16K, nMels: 0, fMin: 0 };
const SEED = {
  sr: 22050, nFft: 2048, hopLength: 512, winLength: 2048, window: 'hann', center: true, padMode: 'constant', power: 2,
  nMels: 128, fMin: 0, fMax: 11025, htk: false, norm: 'slaney', scale: 'db', ref: 'max', amin: 1e-10, topDb: 80,
};

export interface StoreSpec {
  preset?: 'speech16k' | 'stft16k' | 'seed' | null;
  bins?: number;
  frames?: number;
  /** Files per class. */
  perClass?: number;
  windowsPerFile?: number;
  seed?: number;
  /** Class signal strength: fakes get a bright band of this many dB in their upper bins. */
  contrast?: number;
  /** Omit every file (an empty store). */
  empty?: boolean;
  /** Windows' start times step by this many seconds (default 4). */
  hopSeconds?: number;
}

/**
 * Writes a feature store of synthetic dB spectrograms in [-80, 0]: noise for reals, noise plus a band in the
 * upper third of the bins for fakes (learnable in a few epochs). Groups pair one real and one fake file.
 */
export function makeStore(dir: string, spec: StoreSpec = {}): { dir: string; files: number; rows: number } {
  const bins = spec.bins ?? 16;
  const frames = spec.frames ?? 24;
  const perClass = spec.empty ? 0 : (spec.perClass ?? 24);
  const wpf = spec.windowsPerFile ?? 2;
  const contrast = spec.contrast ?? 25;
  const rand = mulberry32(spec.seed ?? 7);
  const preset = spec.preset === undefined ? 'speech16k' : spec.preset;
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  const rows = perClass * 2 * wpf;
  const data = new Float32Array(rows * bins * frames);
  let row = 0;
  for (let i = 0; i < perClass; i++) {
    for (const label of ['real', 'fake'] as const) {
      const windows = [];
      for (let w = 0; w < wpf; w++) {
        const base = (row + w) * bins * frames;
        for (let b = 0; b < bins; b++) {
          for (let f = 0; f < frames; f++) {
            let v = -60 + 30 * rand();
            if (label === 'fake' && b >= Math.floor((2 * bins) / 3)) v += contrast * (0.6 + 0.4 * rand());
            data[base + b * frames + f] = Math.max(-80, Math.min(0, v));
          }
        }
        windows.push({ start: (spec.hopSeconds ?? 4) * w, end: (spec.hopSeconds ?? 4) * w + 4 });
      }
      const id = `${label.toUpperCase()}/clip${String(i).padStart(3, '0')}.flac`;
      files.push({
        key: crypto.createHash('sha1').update(id).digest('hex'), path: id, id, label,
        source: i % 2 ? 'studioA' : 'studioB', method: label === 'fake' ? `gen${i % 3}` : undefined,
        group: `g${i}`, duration: 4 * wpf, shard: 0, row, windows,
      });
      row += wpf;
    }
  }
  const bytes = Buffer.from(data.buffer);
  fs.writeFileSync(path.join(dir, 'shard-0000.f32'), bytes);
  const index = {
    format: 'melguard-features/1',
    presetName: preset,
    features: preset === 'seed' ? SEED : preset === 'stft16k' ? STFT16K : SPEECH16K,
    windowing: { windowSeconds: preset === 'seed' ? 3 : 4, hopSeconds: preset === 'seed' ? 3 : 4, minSeconds: 1, firstOnly: preset === 'seed', maxWindows: null },
    shape: [bins, frames],
    files,
    shards: [{ file: 'shard-0000.f32', rows, sha256: crypto.createHash('sha256').update(bytes).digest('hex') }],
    failures: [],
    createdAt: new Date(0).toISOString(),
  };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
  return { dir, files: files.length, rows };
}
