import * as fs from 'fs';
import * as path from 'path';
import { binFrequencies, hzToMel, melEdges, melToHz, studentTQuantile, summarize, welch } from '../src';

describe('Student t quantiles', () => {
  it('match published table values', () => {
    // Two-sided 95 % critical values.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.5, 7)).toBeCloseTo(0, 6);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281, 3);
  });
});

describe('summaries and Welch intervals', () => {
  it('computes mean, sample std and a t interval', () => {
    const xs = [1, 2, 3, 4, 5];
    const s = summarize(xs.length, xs.reduce((a, b) => a + b), xs.reduce((a, b) => a + b * b, 0));
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 12);
    // 3 +- 2.7764 * sqrt(2.5)/sqrt(5)
    expect(s.ciHigh - s.mean).toBeCloseTo(2.7764 * Math.sqrt(0.5), 3);
    expect(summarize(1, 4, 16).ciLow).toBeNaN();
  });

  it('matches a hand-worked Welch test', () => {
    // a: n=10, mean 0, sd 1; b: n=20, mean 1, sd 2. se = sqrt(0.1 + 0.2); df = 0.09 / (0.01/9 + 0.04/19)
    const a = { n: 10, mean: 0, std: 1, ciLow: 0, ciHigh: 0 };
    const b = { n: 20, mean: 1, std: 2, ciLow: 0, ciHigh: 0 };
    const d = welch(a, b);
    const df = 0.09 / (0.01 / 9 + 0.04 / 19);
    expect(d.mean).toBe(1);
    expect(d.se).toBeCloseTo(Math.sqrt(0.3), 12);
    expect(d.df).toBeCloseTo(df, 10);
    expect(d.ciHigh - 1).toBeCloseTo(studentTQuantile(0.975, df) * Math.sqrt(0.3), 10);
    expect(df).toBeGreaterThan(27);
    expect(df).toBeLessThan(28);
  });
});

describe('mel scale', () => {
  it('slaney and htk scales invert and hit known points', () => {
    expect(hzToMel(1000, false)).toBeCloseTo(15, 10);
    expect(hzToMel(1000, true)).toBeCloseTo(999.9855, 3);
    for (const hz of [0, 100, 999, 1000, 4000, 11025]) {
      expect(melToHz(hzToMel(hz, false), false)).toBeCloseTo(hz, 6);
      expect(melToHz(hzToMel(hz, true), true)).toBeCloseTo(hz, 6);
    }
  });

  /** librosa.filters.mel rebuilt from our edges: triangles on the edges, Slaney area normalisation. */
  function melbank(edges: number[], sr: number, nFft: number, slaney: boolean): Float64Array[] {
    const nBins = 1 + nFft / 2;
    const fft = Array.from({ length: nBins }, (_, j) => (j * sr) / 2 / (nBins - 1));
    return Array.from({ length: edges.length - 2 }, (_, k) => {
      const w = new Float64Array(nBins);
      for (let j = 0; j < nBins; j++) {
        const lower = (fft[j]! - edges[k]!) / (edges[k + 1]! - edges[k]!);
        const upper = (edges[k + 2]! - fft[j]!) / (edges[k + 2]! - edges[k + 1]!);
        w[j] = Math.max(0, Math.min(lower, upper)) * (slaney ? 2 / (edges[k + 2]! - edges[k]!) : 1);
      }
      return w;
    });
  }

  it.each([
    ['melbank.speech16k.f32', false],
    ['melbank.htk16k.f32', true],
  ])('band edges reproduce librosa\'s filterbank %s', (file, htk) => {
    const ref = new Float32Array(fs.readFileSync(path.join(__dirname, 'fixtures', file as string)).buffer.slice(0));
    const f = { sr: 16000, nFft: 512, nMels: 80, fMin: 20, fMax: 8000, htk: htk as boolean };
    const ours = melbank(melEdges(f), 16000, 512, !htk);
    let maxErr = 0;
    let maxRef = 0;
    ours.forEach((row, k) => row.forEach((v, j) => {
      maxErr = Math.max(maxErr, Math.abs(v - ref[k * 257 + j]!));
      maxRef = Math.max(maxRef, Math.abs(ref[k * 257 + j]!));
    }));
    expect(maxErr / maxRef).toBeLessThan(1e-5);
    const centres = binFrequencies(f);
    expect(centres).toHaveLength(80);
    for (let i = 1; i < 80; i++) expect(centres[i]!).toBeGreaterThan(centres[i - 1]!);
    expect(centres[0]!).toBeGreaterThan(20);
    expect(centres[79]!).toBeLessThan(8000);
  });

  it('gives FFT bin frequencies for linear spectrograms', () => {
    const f = binFrequencies({ sr: 16000, nFft: 512, nMels: 0, fMin: 0, fMax: 8000, htk: false });
    expect(f).toHaveLength(257);
    expect(f[1]).toBe(31.25);
    expect(f[256]).toBe(8000);
  });
});
