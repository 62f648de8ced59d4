// A stand-in for dsp's spectrogramFiles: reads our test WAV headers, cuts windows with the documented
// policy and fills each window with values derived from the file's bytes, so tests know every number the
// store must hand back.
import { createHash } from 'crypto';
import * as fs from 'fs';
import type { FileResult, SpectrogramOptions } from '@melguard/dsp';
import { expectedShape, planWindows, type Extractor, type ResolvedWindowing } from '../../src';
import { readWavInfo } from './wav';

export const TEST_FEATURES: SpectrogramOptions = {
  sr: 16000,
  nFft: 512,
  hopLength: 256,
  winLength: 512,
  window: 'hann',
  center: true,
  padMode: 'constant',
  power: 2,
  nMels: 8,
  fMin: 0,
  fMax: 8000,
  htk: false,
  norm: 'slaney',
  scale: 'db',
  ref: 'max',
  amin: 1e-10,
  topDb: 80,
};

export const TEST_RESOLVED = { presetName: 'test', features: TEST_FEATURES };

/** Value of window w, bin b, frame t for a file whose bytes hash to `seed`. */
export function expectedValue(seed: number, w: number, b: number, t: number): number {
  return -(seed % 50) - w * 0.5 - b * 0.25 + t * 0.001;
}

export function contentSeed(bytes: Buffer): number {
  return createHash('sha256').update(bytes).digest().readUInt32LE(0);
}

export interface FakeExtractor {
  extract: Extractor;
  /** Every path passed in, in call order. */
  calls: string[][];
}

export interface FakeOptions {
  /** Throw (like a crash) on this call number (1-based) and later ones. */
  failOnCall?: number;
  /** Per-file value function override (e.g. to give fakes a spectral signature). */
  value?: (path: string, seed: number, w: number, b: number, t: number) => number;
}

export function fakeExtractor(opts: FakeOptions = {}): FakeExtractor {
  const calls: string[][] = [];
  const extract: Extractor = async (paths, features, windowing: ResolvedWindowing) => {
    calls.push([...paths]);
    if (opts.failOnCall !== undefined && calls.length >= opts.failOnCall) throw Object.assign(new Error('simulated crash'), { code: 'E_SIMULATED' });
    await new Promise((r) => setImmediate(r));
    const [bins, frames] = expectedShape(features, windowing);
    return paths.map((p): FileResult => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(p);
      } catch (err) {
        return { path: p, error: { code: 'ENOENT', message: String(err) } };
      }
      const info = readWavInfo(bytes);
      if (info === null) return { path: p, error: { code: 'E_CORRUPT', message: 'not a WAV file' } };
      const windows = planWindows(info.duration, windowing);
      const seed = contentSeed(bytes);
      const data = new Float32Array(windows.length * bins * frames);
      for (let w = 0; w < windows.length; w++)
        for (let b = 0; b < bins; b++)
          for (let t = 0; t < frames; t++) data[(w * bins + b) * frames + t] = opts.value ? opts.value(p, seed, w, b, t) : expectedValue(seed, w, b, t);
      return {
        path: p,
        duration: info.duration,
        sampleRate: info.sampleRate,
        windows,
        data,
        shape: [windows.length, bins, frames],
        timing: { decode: 0, resample: 0, spectrogram: 0 },
      };
    });
  };
  return { extract, calls };
}
