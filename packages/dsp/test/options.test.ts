// resolveOptions: presets, librosa defaults, derived defaults, and one typed error per bad option.
import { frameCount, presets, resolveOptions, spectrogram, type SpectrogramInput } from '../src';

describe('presets and defaults', () => {
  test('seed preset is the original project\'s librosa call', () => {
    expect(presets.seed).toEqual({
      sr: 22050, nFft: 2048, hopLength: 512, winLength: 2048, window: 'hann', center: true, padMode: 'constant',
      power: 2, nMels: 128, fMin: 0, fMax: 11025, htk: false, norm: 'slaney', scale: 'db', ref: 'max', amin: 1e-10, topDb: 80,
    });
  });

  test('speech16k preset: 25 ms / 10 ms frames, 80 mels from 20 Hz to 8 kHz', () => {
    expect(presets.speech16k).toEqual({
      sr: 16000, nFft: 512, hopLength: 160, winLength: 400, window: 'hann', center: true, padMode: 'constant',
      power: 2, nMels: 80, fMin: 20, fMax: 8000, htk: false, norm: 'slaney', scale: 'db', ref: 'max', amin: 1e-10, topDb: 80,
    });
  });

  test('no preset gives librosa defaults; winLength, hopLength and fMax derive from nFft and sr', () => {
    expect(resolveOptions()).toEqual(presets.seed);
    const o = resolveOptions({ sr: 16000, nFft: 1024 });
    expect([o.winLength, o.hopLength, o.fMax]).toEqual([1024, 256, 8000]);
    expect(resolveOptions({ nFft: 512, winLength: 300 }).hopLength).toBe(75);
  });

  test('a preset at another rate keeps its derived values consistent', () => {
    expect(resolveOptions({ preset: 'speech16k', sr: 8000 })).toMatchObject({ fMax: 4000, winLength: 400, hopLength: 160 });
    expect(resolveOptions({ preset: 'seed', nFft: 1024 })).toMatchObject({ winLength: 1024, hopLength: 256, fMax: 11025 });
  });

  test('explicit options override the preset', () => {
    const o = resolveOptions({ preset: 'speech16k', nMels: 40, topDb: null, ref: 1, scale: 'log' });
    expect(o).toMatchObject({ sr: 16000, nMels: 40, topDb: null, ref: 1, scale: 'log', winLength: 400 });
  });

  test('resolved options pass through unchanged', () => {
    expect(resolveOptions(presets.speech16k)).toEqual(presets.speech16k);
  });
});

type Bad = [label: string, input: unknown, error: typeof TypeError | typeof RangeError, names: RegExp];
const bad: Bad[] = [
  ['options not an object', 5, TypeError, /options must be an object/],
  ['unknown option', { n_fft: 512 }, TypeError, /'n_fft' is not a spectrogram option/],
  ['unknown preset', { preset: 'speech8k' }, RangeError, /preset must be one of 'seed', 'speech16k'/],
  ['sr zero', { sr: 0 }, RangeError, /sr must be an integer in \[1, 1000000\], got 0/],
  ['sr fractional', { sr: 22050.5 }, RangeError, /sr must be an integer/],
  ['sr string', { sr: '16000' }, TypeError, /sr must be an integer/],
  ['nFft negative', { nFft: -512 }, RangeError, /nFft must be an integer in \[2, 262144\]/],
  ['nFft fractional', { nFft: 511.5 }, RangeError, /nFft must be an integer/],
  ['nFft NaN', { nFft: NaN }, RangeError, /nFft must be an integer/],
  ['hopLength zero', { hopLength: 0 }, RangeError, /hopLength must be an integer in \[1, /],
  ['hopLength fractional', { hopLength: 10.5 }, RangeError, /hopLength must be an integer/],
  ['winLength > nFft', { nFft: 512, winLength: 600 }, RangeError, /winLength must be an integer in \[1, 512\] \(at most nFft\), got 600/],
  ['winLength zero', { winLength: 0 }, RangeError, /winLength must be an integer/],
  ['unknown window', { window: 'kaiser' }, RangeError, /window must be one of 'hann', 'hamming', 'blackman', 'rectangular'/],
  ['window not a string', { window: 3 }, TypeError, /window must be one of/],
  ['center not boolean', { center: 1 }, TypeError, /center must be a boolean/],
  ['unknown padMode', { padMode: 'edge' }, RangeError, /padMode must be one of 'constant', 'reflect'/],
  ['power 3', { power: 3 }, RangeError, /power must be 1 \(magnitude\) or 2 \(power\), got 3/],
  ['power 2.0 as string', { power: '2' }, TypeError, /power must be 1/],
  ['nMels negative', { nMels: -1 }, RangeError, /nMels must be an integer in \[0, 16384\]/],
  ['fMax above Nyquist', { sr: 16000, fMax: 9000 }, RangeError, /fMax must be a number in \(fMin, sr\/2 = 8000\], got 9000/],
  ['fMax zero', { fMax: 0 }, RangeError, /fMax must be/],
  ['fMin >= fMax', { sr: 16000, fMin: 8000 }, RangeError, /fMin must be a number in \[0, fMax = 8000\), got 8000/],
  ['fMin negative', { fMin: -1 }, RangeError, /fMin must be/],
  ['fMin Infinity', { fMin: Infinity }, RangeError, /fMin must be/],
  ['htk not boolean', { htk: 'yes' }, TypeError, /htk must be a boolean/],
  ['unknown norm', { norm: 'l2' }, RangeError, /norm must be 'slaney' or null/],
  ['unknown scale', { scale: 'decibel' }, RangeError, /scale must be one of 'power', 'db', 'log'/],
  ['ref zero', { ref: 0 }, RangeError, /ref must be 'max' or a finite number > 0/],
  ['ref unknown string', { ref: 'mean' }, RangeError, /ref must be 'max'/],
  ['amin zero', { amin: 0 }, RangeError, /amin must be a finite number > 0/],
  ['topDb negative', { topDb: -10 }, RangeError, /topDb must be null \(no clipping\) or a finite number >= 0/],
  ['topDb string', { topDb: '80' }, TypeError, /topDb must be null/],
];

describe('validation', () => {
  test.each(bad)('%s -> %p naming the option', (_, input, errorClass, message) => {
    let caught: unknown;
    try {
      resolveOptions(input as SpectrogramInput);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(errorClass);
    expect((caught as Error).message).toMatch(message);
    expect((caught as { code?: string }).code).toBe('E_INVALID_ARG');
  });

  test('spectrogram validates options before touching native code', () => {
    expect(() => spectrogram(new Float32Array(100), { hopLength: 0 })).toThrow(RangeError);
  });
});

describe('frameCount', () => {
  test.each([
    [66150, 'seed', 130],
    [64000, 'speech16k', 401],
    [100, 'speech16k', 1],
    [1, 'seed', 1],
    [0, 'seed', 0],
  ] as const)('%i samples with %s -> %i frames (1 + n // hop)', (n, preset, expected) => {
    expect(frameCount(n, { preset })).toBe(expected);
  });

  test('center=false: 1 + (n - nFft) // hop, 0 without a full frame; odd nFft', () => {
    expect(frameCount(2048, { center: false })).toBe(1);
    expect(frameCount(2047, { center: false })).toBe(0);
    expect(frameCount(4000, { center: false })).toBe(1 + Math.floor((4000 - 2048) / 512));
    expect(frameCount(1000, { nFft: 511, hopLength: 100 })).toBe(1 + Math.floor((1000 + 2 * 255 - 511) / 100));
  });

  test('bad nSamples', () => {
    expect(() => frameCount(-1)).toThrow(RangeError);
    expect(() => frameCount(1.5)).toThrow(/nSamples/);
  });
});
