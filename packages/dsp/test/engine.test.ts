// Options beyond the fixtures, checked against an independent float64 transcription of librosa (reference.ts):
// windows, winLength < nFft, reflect padding (including librosa's separate tail padding), odd nFft,
// center=false, power 1, the three scales, ref/topDb variants, and inputs shorter than one window.
import { frameCount, melFilterbank, resolveOptions, spectrogram, type SpectrogramInput } from '../src';
import { fixtures, optionsFor, readF32, readInput } from './fixtures';
import { referenceSpectrogram } from './reference';

function chirp(n: number, sr: number, seed = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    const t = i / sr;
    x[i] = 0.4 * Math.sin(2 * Math.PI * (200 * t + 1500 * t * t)) + 0.05 * (s / 2147483647 - 0.5);
  }
  return x;
}

/** max |engine - reference| over values, in the scale's units (dB, log, or relative to the max for power). */
function compare(samples: Float32Array, input: SpectrogramInput) {
  const o = resolveOptions(input);
  const melbank = o.nMels > 0 ? melFilterbank(o).data : undefined;
  const expected = referenceSpectrogram(samples, o, melbank);
  const actual = spectrogram(samples, o);
  expect(actual.shape).toEqual([o.nMels > 0 ? o.nMels : 1 + Math.floor(o.nFft / 2), frameCount(samples.length, o)]);
  expect(actual.data.length).toBe(expected.length);
  let max = 0;
  for (const v of expected) max = Math.max(max, Math.abs(v));
  let error = 0;
  for (let i = 0; i < expected.length; i++) error = Math.max(error, Math.abs(actual.data[i] - expected[i]));
  return o.scale === 'power' ? error / max : error;
}

describe('against the float64 reference', () => {
  test('the reference itself reproduces librosa (tiny16k fixtures)', () => {
    for (const o of fixtures.outputs.filter((out) => out.input === 'tiny16k')) {
      const opts = resolveOptions(optionsFor(o.preset));
      const expected = referenceSpectrogram(readInput('tiny16k'), opts, opts.nMels ? melFilterbank(opts).data : undefined);
      const ref = readF32(o.db, o.db_sha256);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(expected[i] - ref[i])).toBeLessThan(1e-4);
    }
  });

  const small = { sr: 8000, nFft: 64, hopLength: 16, nMels: 12, fMax: 4000 } as const;
  const x = chirp(700, 8000);
  // Lengths where librosa's tail slice is exactly nFft/2 long, so its last padded sample is a second reflection.
  test.each<[number, SpectrogramInput]>([
    [704, { ...small, padMode: 'reflect', hopLength: 44 }],
    [675, { ...small, padMode: 'reflect', hopLength: 45, nMels: 0 }],
  ])('reflect with hop > nFft/2 (%i samples): librosa pads the tail slice on its own', (n, input) => {
    expect(compare(chirp(n, 8000), input)).toBeLessThan(2e-3);
  });

  test.each<[string, SpectrogramInput]>([
    ['hann, linear', { ...small, nMels: 0 }],
    ['hamming', { ...small, window: 'hamming' }],
    ['blackman, winLength 40 < nFft', { ...small, window: 'blackman', winLength: 40 }],
    ['rectangular, winLength 33 (odd)', { ...small, window: 'rectangular', winLength: 33 }],
    ['reflect padding', { ...small, padMode: 'reflect' }],
    ['odd nFft 63', { ...small, nFft: 63, winLength: 63 }],
    ['odd nFft 63, reflect, linear', { ...small, nFft: 63, winLength: 50, padMode: 'reflect', nMels: 0 }],
    ['center=false', { ...small, center: false }],
    ['power 1, amplitude_to_db with ref 1, no topDb', { ...small, power: 1, ref: 1, amin: 1e-5, topDb: null }],
    ['htk, no norm, fMin 100', { ...small, htk: true, norm: null, fMin: 100, fMax: 3500 }],
    ['topDb 30', { ...small, topDb: 30 }],
    ['ref number', { ...small, ref: 0.01 }],
  ])('%s: within 2e-3 dB', (_, input) => {
    expect(compare(x, input)).toBeLessThan(2e-3);
  });

  test('scale power (relative) and log', () => {
    expect(compare(x, { ...small, scale: 'power' })).toBeLessThan(1e-5);
    expect(compare(x, { ...small, scale: 'log' })).toBeLessThan(1e-3);
    expect(compare(x, { ...small, scale: 'power', power: 1 })).toBeLessThan(1e-5);
  });
});

describe('short input (fewer samples than one window)', () => {
  test.each<[number, SpectrogramInput]>([
    [1, { preset: 'seed' }],
    [5, { preset: 'speech16k', padMode: 'reflect' }],
    [100, { preset: 'seed', padMode: 'reflect' }],
    [300, { preset: 'speech16k', nMels: 0 }],
  ])('%i samples: librosa framing (1 + n // hop frames), same values as the reference', (n, input) => {
    const o = resolveOptions(input);
    const samples = chirp(n, o.sr, 3);
    const out = spectrogram(samples, o);
    expect(out.shape[1]).toBe(1 + Math.floor(n / o.hopLength));
    expect(compare(samples, { ...o, scale: 'power' })).toBeLessThan(1e-5);
  });

  test('center=false with fewer samples than nFft is a RangeError naming the samples and nFft', () => {
    expect(() => spectrogram(new Float32Array(100), { preset: 'speech16k', center: false })).toThrow(
      /samples has 100 samples; with center=false it needs at least nFft=512/,
    );
  });

  test('silence gives 0 dB everywhere with ref max (librosa: log(amin) - log(amin))', () => {
    const out = spectrogram(new Float32Array(4000), { preset: 'speech16k' });
    for (const v of out.data) expect(Math.abs(v)).toBeLessThan(1e-4);
  });
});
