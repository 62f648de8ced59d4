// The call forms agree bit for bit; samples are checked; native failures arrive as MelguardError with a code.
import * as native from '@melguard/native';
import {
  engineInfo,
  MelguardError,
  presets,
  spectrogram,
  spectrogramAsync,
  spectrogramBatch,
  type Spectrogram,
} from '../src';
import { fixtures, optionsFor, readInput } from './fixtures';

function expectIdentical(a: Spectrogram, b: Spectrogram) {
  expect(a.shape).toEqual(b.shape);
  expect(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))).toBe(true);
}

describe('sync, async and batch give bit-identical results', () => {
  test.each(fixtures.outputs.map((o) => [`${o.input} x ${o.preset}`, o] as const))('%s', async (_, o) => {
    const samples = readInput(o.input);
    const options = optionsFor(o.preset);
    const sync = spectrogram(samples, options);
    expectIdentical(await spectrogramAsync(samples, options), sync);
    const [first, second] = await spectrogramBatch([samples, samples], options, { threads: 2 });
    expectIdentical(first, sync);
    expectIdentical(second, sync);
  });

  test('a long signal split over threads equals the one-thread result (async and batch of one)', async () => {
    const speech = readInput('speech16k');
    const x = new Float32Array(speech.length * 8);
    for (let k = 0; k < 8; k++) x.set(speech, k * speech.length); // 32 s: many frames per thread
    for (const options of [presets.speech16k, { ...presets.speech16k, nMels: 0 }, { ...presets.speech16k, scale: 'log' as const }]) {
      const one = spectrogram(x, options);
      expectIdentical(await spectrogramAsync(x, options, { threads: 2 }), one);
      expectIdentical((await spectrogramBatch([x], options, { threads: 2 }))[0], one);
      expectIdentical(native.spectrogram(x, options, 2), one);
    }
  });

  test('a batch of signals of different lengths, each equal to its own sync result', async () => {
    const speech = readInput('speech16k');
    const signals = [100, 16000, 3, 48000, 4000].map((n, i) => speech.slice(i * 1000, i * 1000 + n));
    const results = await spectrogramBatch(signals, { preset: 'speech16k' });
    expect(results).toHaveLength(signals.length);
    results.forEach((r, i) => expectIdentical(r, spectrogram(signals[i], { preset: 'speech16k' })));
    expect(await spectrogramBatch([], { preset: 'speech16k' })).toEqual([]);
  });

  test('async copies its input: changing the array after the call does not change the result', async () => {
    const x = readInput('speech16k');
    const expected = spectrogram(x, { preset: 'speech16k' });
    const pending = spectrogramAsync(x, { preset: 'speech16k' });
    x.fill(0);
    expectIdentical(await pending, expected);
  });
});

describe('samples are checked', () => {
  test.each<[string, unknown, typeof TypeError | typeof RangeError, RegExp]>([
    ['a plain array', [0, 0.1], TypeError, /samples must be a Float32Array of mono samples, got object/],
    ['a Float64Array', new Float64Array(10), TypeError, /samples must be a Float32Array.*Float64Array/],
    ['empty', new Float32Array(0), RangeError, /samples is empty/],
    ['NaN', Float32Array.from([0, 0.5, NaN, 1]), RangeError, /samples\[2\] is NaN: samples must be finite/],
    ['Infinity', Float32Array.from([0, -Infinity]), RangeError, /samples\[1\] is -Infinity/],
  ])('%s', async (_, samples, errorClass, message) => {
    expect(() => spectrogram(samples as Float32Array, { preset: 'speech16k' })).toThrow(errorClass);
    expect(() => spectrogram(samples as Float32Array, { preset: 'speech16k' })).toThrow(message);
    await expect(spectrogramAsync(samples as Float32Array, { preset: 'speech16k' })).rejects.toThrow(message);
  });

  test('batch names the offending signal', async () => {
    const good = new Float32Array(1000);
    await expect(spectrogramBatch([good, Float32Array.from([1, NaN])], { preset: 'speech16k' })).rejects.toThrow(/signals\[1\]\[1\] is NaN/);
    await expect(spectrogramBatch([good, new Float32Array(0)], { preset: 'speech16k' })).rejects.toThrow(RangeError);
    await expect(spectrogramBatch([good], { preset: 'speech16k' }, { threads: 0 })).rejects.toThrow(/threads must be an integer in \[1, 1024\]/);
    await expect(spectrogramBatch('x' as unknown as Float32Array[])).rejects.toThrow(TypeError);
  });

  test('NaN detection finds the first bad sample anywhere (vector and tail paths)', () => {
    for (const [n, at] of [[1000, 999], [1000, 0], [17, 16], [1024, 513]]) {
      const x = new Float32Array(n);
      x[at] = NaN;
      expect(native.firstNonFinite(x)).toBe(at);
    }
    expect(native.firstNonFinite(new Float32Array(1001))).toBe(-1);
  });
});

describe('native errors carry a stable code', () => {
  test('too large an output is MelguardError E_TOO_LARGE, not a crash', () => {
    const x = new Float32Array(2_000_000);
    let caught: unknown;
    try {
      spectrogram(x, { sr: 16000, nFft: 262144, hopLength: 1, nMels: 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MelguardError);
    expect((caught as MelguardError).code).toBe('E_TOO_LARGE');
    expect((caught as MelguardError).message).toMatch(/2\^28 values/);
  });

  test('the addon re-checks what reaches it directly: E_INVALID_ARG and E_EMPTY', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return 'no error';
    };
    expect(codeOf(() => native.spectrogram(new Float32Array(10), { nFft: -4 }))).toBe('E_INVALID_ARG');
    expect(codeOf(() => native.spectrogram(new Float32Array(10), { window: 'kaiser' as 'hann' }))).toBe('E_INVALID_ARG');
    expect(codeOf(() => native.spectrogram(new Float64Array(10) as unknown as Float32Array, {}))).toBe('E_INVALID_ARG');
    expect(codeOf(() => native.spectrogram(new Float32Array(0), {}))).toBe('E_EMPTY');
    expect(codeOf(() => native.spectrogram(new Float32Array(100), { center: false }))).toBe('E_INVALID_ARG');
    expect(codeOf(() => native.melFilterbank({ nMels: 0 }))).toBe('E_INVALID_ARG');
  });

  test('async rejections carry the code too', async () => {
    await expect(native.spectrogramAsync(new Float32Array(0), {})).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(native.spectrogramBatch([new Float32Array(5), new Float32Array(0)], {})).rejects.toMatchObject({
      code: 'E_EMPTY',
      message: expect.stringMatching(/signal 1/),
    });
  });
});

test('engineInfo reports the FFT, kernels, pool and this environment\'s calls', async () => {
  const before = engineInfo();
  spectrogram(new Float32Array(1000), { preset: 'speech16k' });
  await spectrogramAsync(new Float32Array(1000), { preset: 'speech16k' });
  const after = engineInfo();
  expect(after.fft).toMatch(/kissfft/);
  expect(['avx2-fma', 'scalar']).toContain(after.kernels);
  expect(after.defaultThreads).toBeGreaterThanOrEqual(1);
  expect(after.calls.sync).toBe(before.calls.sync + 1);
  expect(after.calls.async).toBe(before.calls.async + 1);
  expect(after.calls.pending).toBe(0);
  expect(after.cachedEngines).toBeGreaterThanOrEqual(1);
});
