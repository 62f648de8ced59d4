// File -> features: the native pipeline gives exactly what loadAudio + spectrogram give, windows follow the
// documented policy, failures stay per file.
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { encodeAudio, loadAudio } from '../src/audio';
import { MelguardError } from '../src/errors';
import { isFileFailure, resolveWindowing, spectrogramFile, spectrogramFiles } from '../src/files';
import { spectrogram } from '../src/spectrogram';
import type { FileFeatures, FileResult, SpectrogramInput } from '../src/types';
import { FIXTURES, makeWav, maxAbsDiff, rng, sine, tempDir } from './audio-helpers';

const LIBRISPEECH = join(FIXTURES, 'librispeech-1089-134686-0000.flac');
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

function write(name: string, bytes: Uint8Array): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, bytes);
  return path;
}

function ok(result: FileResult): FileFeatures {
  if (isFileFailure(result)) throw new Error(`${result.path}: ${result.error.code} ${result.error.message}`);
  return result;
}

// Samples made by the addon belong to the main realm; jest runs tests in a vm realm where `instanceof
// Float32Array` fails on them, so copy into this realm's Float32Array before calling spectrogram().
const here = (x: Float32Array) => new Float32Array(x);

/** The reference: decode in JS-visible samples, then one spectrogram per window. */
async function reference(path: string, options: SpectrogramInput, sr: number, windowSeconds: number, hopSeconds: number) {
  const audio = await loadAudio(path, { sr });
  const w = Math.round(windowSeconds * sr);
  const h = Math.round(hopSeconds * sr);
  const out: Float32Array[] = [];
  for (let start = 0; start + w <= audio.samples.length; start += h) {
    out.push(spectrogram(here(audio.samples.subarray(start, start + w)), options).data);
  }
  return { audio, windows: out };
}

describe('spectrogramFiles equals loadAudio + spectrogram, bit for bit', () => {
  it.each([
    ['speech16k, 4 s windows every 2 s (no resampling)', { preset: 'speech16k' } as SpectrogramInput, 4, 2],
    ['speech16k, 3 s windows every 1.3 s (hops off the frame grid)', { preset: 'speech16k' } as SpectrogramInput, 3, 1.3],
    ['seed preset at 22.05 kHz (resampled), 3 s windows every 1.5 s', { preset: 'seed' } as SpectrogramInput, 3, 1.5],
  ])('%s', async (_name, options, windowSeconds, hopSeconds) => {
    const sr = options.preset === 'seed' ? 22050 : 16000;
    const [result] = await spectrogramFiles([LIBRISPEECH], options, { windowSeconds, hopSeconds }, { threads: 1 });
    const features = ok(result);
    const ref = await reference(LIBRISPEECH, options, sr, windowSeconds, hopSeconds);
    expect(features.shape[0]).toBe(ref.windows.length);
    expect(features.sampleRate).toBe(sr);
    expect(features.duration).toBeCloseTo(166960 / 16000, 9);
    const per = features.shape[1] * features.shape[2];
    ref.windows.forEach((w, k) => {
      expect(w.length).toBe(per);
      expect(maxAbsDiff(features.data.subarray(k * per, (k + 1) * per), w)).toBe(0);
    });
    features.windows.forEach((span, k) => {
      expect(span.start).toBeCloseTo((k * Math.round(hopSeconds * sr)) / sr, 9);
      expect(span.end - span.start).toBeCloseTo(Math.round(windowSeconds * sr) / sr, 9);
    });
  });

  it('a 44.1 kHz stereo MP3 goes through mixdown and resampling the same way', async () => {
    const sr = 44100;
    const next = rng(5);
    const n = sr * 5;
    const stereo = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      stereo[2 * i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / sr) + 0.05 * (next() - 0.5);
      stereo[2 * i + 1] = 0.3 * Math.sin((2 * Math.PI * 1320 * i) / sr);
    }
    const path = write('stereo44k.mp3', await encodeAudio(stereo, sr, 'mp3', { channels: 2, bitrate: 128 }));
    const [result] = await spectrogramFiles([path], { preset: 'speech16k' }, { windowSeconds: 2, hopSeconds: 1 }, { threads: 2 });
    const features = ok(result);
    const ref = await reference(path, { preset: 'speech16k' }, 16000, 2, 1);
    expect(features.shape[0]).toBe(ref.windows.length);
    const per = features.shape[1] * features.shape[2];
    ref.windows.forEach((w, k) => expect(maxAbsDiff(features.data.subarray(k * per, (k + 1) * per), w)).toBe(0));
    expect(features.timing.resample).toBeGreaterThan(0);
  });

  it('without windowing: one whole-clip spectrogram; spectrogramFile gives the same, with offset/duration', async () => {
    const audio = await loadAudio(LIBRISPEECH, { sr: 22050, offset: 1.5, duration: 3 });
    const expected = spectrogram(here(audio.samples), { preset: 'seed' });
    const [result] = await spectrogramFiles([LIBRISPEECH], { preset: 'seed' }, null, { offset: 1.5, duration: 3 });
    const features = ok(result);
    expect(features.shape).toEqual([1, ...expected.shape]);
    expect(maxAbsDiff(features.data, expected.data)).toBe(0);
    const single = await spectrogramFile(LIBRISPEECH, { preset: 'seed', offset: 1.5, duration: 3 });
    expect(single.shape).toEqual(expected.shape);
    expect(maxAbsDiff(single.data, expected.data)).toBe(0);
    expect(single).toMatchObject({ path: LIBRISPEECH, sampleRate: 22050 });
    expect(single.duration).toBeCloseTo(3, 9);
  });

  it('sr in the batch options overrides the preset rate', async () => {
    const [result] = await spectrogramFiles([LIBRISPEECH], { preset: 'speech16k', fMax: 4000 }, { windowSeconds: 2, firstOnly: true }, { sr: 8000 });
    const features = ok(result);
    expect(features.sampleRate).toBe(8000);
    // Windows are cut from the continuous stream: the first window is the first 2 s of the whole file decoded
    // at 8 kHz (not a 2 s decode, whose resampler would flush at its end).
    const audio = await loadAudio(LIBRISPEECH, { sr: 8000 });
    const first = here(audio.samples.subarray(0, 16000));
    expect(maxAbsDiff(features.data, spectrogram(first, { preset: 'speech16k', fMax: 4000, sr: 8000 }).data)).toBe(0);
  });

  it('threads do not change results', async () => {
    const paths = [LIBRISPEECH, LIBRISPEECH, LIBRISPEECH];
    const one = await spectrogramFiles(paths, { preset: 'speech16k' }, { windowSeconds: 4, hopSeconds: 1 }, { threads: 1 });
    const two = await spectrogramFiles(paths, { preset: 'speech16k' }, { windowSeconds: 4, hopSeconds: 1 }, { threads: 2 });
    one.forEach((r, i) => expect(maxAbsDiff(ok(r).data, ok(two[i]).data)).toBe(0));
  });
});

describe('windowing policy', () => {
  const sr = 16000;

  it('short clips are zero-padded to one window when >= minSeconds, else E_TOO_SHORT', async () => {
    const clip = sine(500, sr, 1.2, 0.4);
    const path = write('short.wav', makeWav('s16', sr, 1, Array.from(clip, (v) => Math.round(v * 32767))).bytes);
    const [padded] = await spectrogramFiles([path], { preset: 'speech16k' }, { windowSeconds: 4 });
    const features = ok(padded);
    expect(features.shape[0]).toBe(1);
    expect(features.windows).toEqual([{ start: 0, end: 1.2 }]);
    const audio = await loadAudio(path);
    const zeroPadded = new Float32Array(4 * sr);
    zeroPadded.set(audio.samples);
    expect(maxAbsDiff(features.data, spectrogram(zeroPadded, { preset: 'speech16k' }).data)).toBe(0);

    const [tooShort] = await spectrogramFiles([path], { preset: 'speech16k' }, { windowSeconds: 4, minSeconds: 1.5 });
    expect(tooShort).toMatchObject({ path, error: { code: 'E_TOO_SHORT', message: expect.stringContaining(path) } });
    const tiny = write('tiny.wav', makeWav('s16', sr, 1, Array.from({ length: 0.3 * sr }, (_, i) => (i % 50) * 100)).bytes);
    const [defaultMin] = await spectrogramFiles([tiny], { preset: 'speech16k' }, { windowSeconds: 4 });
    expect(defaultMin).toMatchObject({ error: { code: 'E_TOO_SHORT' } });
    const [lowered] = await spectrogramFiles([tiny], { preset: 'speech16k' }, { windowSeconds: 4, minSeconds: 0.25 });
    expect(ok(lowered).shape[0]).toBe(1);
  });

  it('windows start every hop while they fit; the tail is not covered', async () => {
    const [result] = await spectrogramFiles([LIBRISPEECH], { preset: 'speech16k' }, { windowSeconds: 4, hopSeconds: 2 });
    // 10.435 s: windows at 0, 2, 4, 6 (the next, 8..12, does not fit).
    expect(ok(result).windows).toEqual([0, 2, 4, 6].map((s) => ({ start: s, end: s + 4 })));
  });

  it('firstOnly / maxWindows stop decoding early: a file damaged after its first windows still works', async () => {
    const clip = new Float32Array(12 * sr).map((_, i) => 0.3 * Math.sin(i / 7) * Math.sin(i / 3000));
    const flac = Buffer.from(await encodeAudio(clip, sr, 'flac'));
    // Smash the last third of the stream: decoding to the end fails.
    for (let i = Math.floor(flac.length * 0.7); i < flac.length; i += 13) flac[i] ^= 0x5a;
    const path = write('damaged-tail.flac', flac);
    const [full] = await spectrogramFiles([path], { preset: 'speech16k' }, { windowSeconds: 2 });
    expect(full).toMatchObject({ error: { code: 'E_CORRUPT' } });
    const [first] = await spectrogramFiles([path], { preset: 'speech16k' }, { windowSeconds: 2, firstOnly: true });
    const [three] = await spectrogramFiles([path], { preset: 'speech16k' }, { windowSeconds: 2, maxWindows: 3 });
    expect(ok(first).shape[0]).toBe(1);
    expect(ok(three).shape[0]).toBe(3);
    expect(ok(three).duration).toBeCloseTo(12, 6);
    // Decoding stopped after the third window (plus one decode block), long before the damage.
    expect((three as FileFeatures & { audioSeconds: number }).audioSeconds).toBeLessThan(8);
    const per = ok(first).data.length;
    expect(maxAbsDiff(ok(three).data.subarray(0, per), ok(first).data)).toBe(0);
  });

  it('validates windowing with errors that name the option', () => {
    expect(() => resolveWindowing({ windowSeconds: 0 })).toThrow(/windowSeconds/);
    expect(() => resolveWindowing({ windowSeconds: 2, hopSeconds: -1 })).toThrow(RangeError);
    expect(() => resolveWindowing({ windowSeconds: 2, maxWindows: 1.5 })).toThrow(/maxWindows/);
    expect(() => resolveWindowing({ windowSeconds: 2, firstOnly: true, maxWindows: 3 })).toThrow(/firstOnly/);
    expect(() => resolveWindowing({ windowSeconds: 2, minSeconds: 3 })).toThrow(/minSeconds/);
    expect(resolveWindowing({ windowSeconds: 3 })).toEqual({ windowSeconds: 3, hopSeconds: 3, maxWindows: 0, minSeconds: 0.5 });
  });
});

describe('batches and failures', () => {
  it('a failed file yields {path, error} in its place and the batch goes on', async () => {
    const good = LIBRISPEECH;
    const missing = join(tmp.dir, 'missing.flac');
    const text = write('text.wav', new TextEncoder().encode('not audio at all'.repeat(10)));
    const truncated = write('truncated.wav', makeWav('s16', 16000, 1, new Array(8000).fill(100)).bytes);
    truncateSync(truncated, 4000);
    const results = await spectrogramFiles([good, missing, text, truncated, good], { preset: 'speech16k' }, { windowSeconds: 4 });
    expect(results.map((r) => r.path)).toEqual([good, missing, text, truncated, good]);
    expect(results.map((r) => (isFileFailure(r) ? r.error.code : 'ok'))).toEqual(['ok', 'ENOENT', 'E_UNSUPPORTED', 'E_CORRUPT', 'ok']);
    expect(maxAbsDiff(ok(results[0]).data, ok(results[4]).data)).toBe(0);
  });

  it('a whole-clip spectrogram that would exceed the engine limit fails from the header (E_TOO_LARGE)', async () => {
    const flac = Buffer.from(await encodeAudio(sine(440, 16000, 1), 16000, 'flac'));
    // STREAMINFO total samples = 2^36 - 1: 49 days at 16 kHz, far beyond 2^28 spectrogram values.
    flac.writeBigUInt64BE(flac.readBigUInt64BE(18) | (2n ** 36n - 1n), 18);
    const path = write('forever.flac', flac);
    await expect(spectrogramFile(path, { preset: 'speech16k' })).rejects.toMatchObject({ code: 'E_TOO_LARGE', path });
  });

  it('spectrogramFile throws a MelguardError with code and path', async () => {
    const missing = join(tmp.dir, 'nope.wav');
    await expect(spectrogramFile(missing)).rejects.toBeInstanceOf(MelguardError);
    await expect(spectrogramFile(missing)).rejects.toMatchObject({ code: 'ENOENT', path: missing });
    await expect(spectrogramFile(LIBRISPEECH, { mono: false })).rejects.toThrow(/mono/);
  });

  it('validates paths and batch options', async () => {
    await expect(spectrogramFiles('a.wav' as unknown as string[])).rejects.toThrow(TypeError);
    await expect(spectrogramFiles([''])).rejects.toThrow(/paths\[0\]/);
    await expect(spectrogramFiles([LIBRISPEECH], {}, null, { threads: -1 })).rejects.toThrow(/threads/);
    await expect(spectrogramFiles([LIBRISPEECH], {}, null, { sr: 5 })).rejects.toThrow(/sr/);
    await expect(spectrogramFiles([LIBRISPEECH], { nMels: -1 })).rejects.toThrow(/nMels/);
    expect(await spectrogramFiles([], { preset: 'speech16k' })).toEqual([]);
  });
});
