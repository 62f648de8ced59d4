// Copy-synthesis (mel bottleneck + fast Griffin-Lim): Griffin-Lim converges to the given magnitudes, the
// output keeps the input's mel spectrogram, length and level but not its waveform, seeds are reproducible,
// and bad arguments fail with typed errors on both sides of the binding.
import * as addon from '@melguard/native';
import { copySynthesis } from '../src/copy-synthesis';
import { spectrogram } from '../src/spectrogram';
import { harmonicTone, maxAbsDiff, rms } from './audio-helpers';

const SR = 16000;

/** A gliding harmonic tone with an amplitude envelope and a little noise: voiced-speech-like structure. */
const voiced = (seconds: number) => harmonicTone(seconds, SR, 1, 20);

const magnitudes = (x: Float32Array) => spectrogram(x, { sr: SR, nFft: 1024, hopLength: 256, nMels: 0, scale: 'power', power: 1 }).data;
const melDb = (x: Float32Array) => spectrogram(x, { sr: SR, nFft: 1024, hopLength: 256, nMels: 80, scale: 'db', ref: 1 }).data;

/** ||A - B|| / ||A||: Griffin-Lim's spectral convergence. */
function spectralConvergence(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += a[i] ** 2;
  }
  return Math.sqrt(num / den);
}
const meanAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('copySynthesis', () => {
  const x = voiced(1.5);

  it('Griffin-Lim on the full magnitude spectrogram converges towards it as iterations grow', async () => {
    const target = magnitudes(x);
    const errors: number[] = [];
    for (const nIter of [0, 8, 32, 100]) {
      errors.push(spectralConvergence(target, magnitudes(await copySynthesis(x, SR, { nMels: 0, nIter, seed: 3 }))));
    }
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]);
    expect(errors[0]).toBeGreaterThan(0.4); // random phase: far from consistent
    expect(errors[3]).toBeLessThan(0.05);
  });

  it('through the 80-band mel bottleneck it keeps the mel spectrogram, length and level but not the waveform', async () => {
    const y = await copySynthesis(x, SR, { seed: 5 });
    expect(y.length).toBe(x.length);
    expect(rms(y) / rms(x)).toBeCloseTo(1, 4);
    const randomPhase = await copySynthesis(x, SR, { seed: 5, nIter: 0 });
    const kept = meanAbsDiff(melDb(x), melDb(y));
    expect(kept).toBeLessThan(2.5); // dB, mean over the mel spectrogram
    expect(kept).toBeLessThan(meanAbsDiff(melDb(x), melDb(randomPhase)));
    expect(Math.abs(correlation(x, y))).toBeLessThan(0.9);
  });

  it('a seed gives the same output every time, another seed another', async () => {
    const a = await copySynthesis(x, SR, { seed: 11, nIter: 4 });
    const b = await copySynthesis(x, SR, { seed: 11, nIter: 4 });
    const c = await copySynthesis(x, SR, { seed: 12, nIter: 4 });
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
  });

  it('defaults hopLength to floor(nFft / 4), also when nFft / 4 is not an integer', async () => {
    const y = await copySynthesis(x.subarray(0, 4000), SR, { nFft: 1022, nIter: 2 });
    expect(y.length).toBe(4000);
  });

  it('handles a clip shorter than one FFT frame', async () => {
    const y = await copySynthesis(x.subarray(0, 300), SR, { nIter: 4 });
    expect(y.length).toBe(300);
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it.each([
    [{ nFft: 1023 }, /nFft must be even/],
    [{ nFft: 8 }, /nFft must be an integer in \[16/],
    [{ hopLength: 600 }, /hopLength must be an integer in \[1, 512\]/],
    [{ fMax: 9000 }, /fMax <= sampleRate \/ 2/],
    [{ momentum: 1 }, /momentum must be in \[0, 1\)/],
    [{ nIter: -1 }, /nIter must be an integer/],
    [{ seed: 1.5 }, /seed must be an integer/],
  ])('rejects %j with a typed error', async (options, message) => {
    await expect(copySynthesis(x, SR, options)).rejects.toMatchObject({ code: 'E_INVALID_ARG', message: expect.stringMatching(message) });
  });

  it('rejects empty input, non-float input and a bad rate before reaching native code', async () => {
    await expect(copySynthesis(new Float32Array(0), SR)).rejects.toMatchObject({ code: 'E_INVALID_ARG', message: /empty/ });
    await expect(copySynthesis(new Float64Array(10) as unknown as Float32Array, SR)).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(copySynthesis(x, 0)).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
  });

  it('the native side throws typed errors itself when called without the TypeScript checks', async () => {
    const options = { nFft: 1024, hopLength: 256, nMels: 80, fMin: 0, fMax: 8000, nIter: 1, momentum: 0.99, seed: 0 };
    await expect(addon.copySynthesis(x, SR, { ...options, nFft: 1023 })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(addon.copySynthesis(x, SR, { ...options, hopLength: 1000 })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(addon.copySynthesis(new Float32Array(0), SR, options)).rejects.toMatchObject({ code: 'E_EMPTY' });
    // 10 minutes at hop 1: refused before any spectrogram is allocated
    await expect(addon.copySynthesis(new Float32Array(SR * 600), SR, { ...options, nFft: 16, hopLength: 1, nMels: 0 })).rejects.toMatchObject({ code: 'E_TOO_LARGE' });
    expect(() => addon.copySynthesis(x, SR, { ...options, seed: -1 })).toThrow(expect.objectContaining({ code: 'E_INVALID_ARG' }));
  });
});
