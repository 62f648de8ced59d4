// Decoding, mixdown, offset/duration and buffer decoding against independently produced files.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { audioInfo, decodeAudioBuffer, encodeAudio, loadAudio, resample } from '../src/audio';
import { FIXTURES, makeWav, maxAbsDiff, peakFrequency, rms, rng, sine, tempDir, toneAmplitude, type PcmKind } from './audio-helpers';

const LIBRISPEECH = join(FIXTURES, 'librispeech-1089-134686-0000.flac');
// sha256 of librosa's reference decode (soundfile, float32) of this recording's first 64000 samples:
// /work/shared/fixtures/librosa/fixtures.json, inputs.speech16k.sha256.
const LIBRISPEECH_FIRST_64000_SHA256 = '326223da3651ad0c7703c36bdad458ff975547440df04039a547b217dbd5dbb6';

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

describe('WAV PCM decoding (files written by an independent writer)', () => {
  const ranges: Record<PcmKind, [number, number]> = {
    u8: [-128, 127],
    s16: [-32768, 32767],
    s24: [-8388608, 8388607],
    s32: [-2147483648, 2147483647],
    f32: [-1, 1],
  };
  it.each(Object.keys(ranges) as PcmKind[])('%s: samples equal the written values exactly', async (kind) => {
    const [lo, hi] = ranges[kind];
    const next = rng(7);
    const values = Array.from({ length: 3001 }, (_, i) => {
      if (i === 0) return lo;
      if (i === 1) return hi;
      return kind === 'f32' ? next() * 2 - 1 : Math.floor(lo + next() * (hi - lo + 1));
    });
    const { bytes, expected } = makeWav(kind, 22050, 1, values);
    const path = write(`pcm-${kind}.wav`, bytes);
    const audio = await loadAudio(path);
    expect(audio.sampleRate).toBe(22050);
    expect(audio.channels).toBe(1);
    expect(audio.samples.length).toBe(values.length);
    expect(maxAbsDiff(audio.samples, expected)).toBe(0);
    expect(audio.duration).toBeCloseTo(values.length / 22050, 12);
    const info = await audioInfo(path);
    expect(info).toMatchObject({ sampleRate: 22050, channels: 1, frames: values.length, format: 'WAV' });
    expect(info.subtype).toBe({ u8: 'PCM_U8', s16: 'PCM_16', s24: 'PCM_24', s32: 'PCM_32', f32: 'FLOAT' }[kind]);
  });
});

describe('mono mixdown', () => {
  it('averages the channels (librosa.to_mono) and keeps them interleaved with mono: false', async () => {
    const n = 1000;
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push((i * 37) % 20000 - 10000, -((i * 11) % 9000), (i * 5) % 3000);
    const { bytes, expected } = makeWav('s16', 16000, 3, values);
    const path = write('three-channels.wav', bytes);
    const mono = await loadAudio(path);
    expect(mono.channels).toBe(1);
    expect(mono.samples.length).toBe(n);
    const mean = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      mean[i] = Math.fround(Math.fround(Math.fround(expected[3 * i] + expected[3 * i + 1]) + expected[3 * i + 2]) / 3);
    }
    expect(maxAbsDiff(mono.samples, mean)).toBe(0);
    const multi = await loadAudio(path, { mono: false });
    expect(multi.channels).toBe(3);
    expect(maxAbsDiff(multi.samples, expected)).toBe(0);
  });

  it('handles hundreds of channels (smaller read blocks), still the exact mean', async () => {
    const channels = 300;
    const n = 9000;
    const values = Array.from({ length: n * channels }, (_, i) => ((i * 7919) % 60001) - 30000);
    const { bytes, expected } = makeWav('s16', 8000, channels, values);
    const audio = await loadAudio(write('many-channels.wav', bytes));
    expect(audio.samples.length).toBe(n);
    for (const frame of [0, 3494, 3495, 3496, 8999]) {
      let sum = expected[frame * channels];
      for (let c = 1; c < channels; c++) sum = Math.fround(sum + expected[frame * channels + c]);
      expect(audio.samples[frame]).toBe(Math.fround(sum / channels));
    }
  });
});

describe('FLAC from another encoder', () => {
  it('decodes LibriSpeech 1089-134686-0000 to exactly the samples librosa/soundfile produce', async () => {
    const info = await audioInfo(LIBRISPEECH);
    expect(info).toMatchObject({ sampleRate: 16000, channels: 1, frames: 166960, format: 'FLAC', subtype: 'PCM_16' });
    const audio = await loadAudio(LIBRISPEECH);
    expect(audio.samples.length).toBe(166960);
    const first = Buffer.from(audio.samples.buffer, audio.samples.byteOffset, 64000 * 4);
    expect(createHash('sha256').update(first).digest('hex')).toBe(LIBRISPEECH_FIRST_64000_SHA256);
  });
});

describe('codec round trips through encodeAudio', () => {
  const sr = 16000;
  const x = sine(440, sr, 2, 0.5);
  for (let i = 0; i < x.length; i++) x[i] += 0.1 * Math.sin((2 * Math.PI * 2500 * i) / sr);

  it('flac is lossless at 16 bits', async () => {
    const bytes = await encodeAudio(x, sr, 'flac');
    const audio = await decodeAudioBuffer(bytes);
    expect(audio.samples.length).toBe(x.length);
    expect(maxAbsDiff(audio.samples, x)).toBeLessThanOrEqual(1 / 32768);
  });

  it('wav pcm24 and float keep the samples', async () => {
    const p24 = await decodeAudioBuffer(await encodeAudio(x, sr, 'wav', { subtype: 'pcm24' }));
    expect(maxAbsDiff(p24.samples, x)).toBeLessThanOrEqual(1 / 8388608);
    const f32 = await decodeAudioBuffer(await encodeAudio(x, sr, 'wav', { subtype: 'float' }));
    expect(maxAbsDiff(f32.samples, x)).toBe(0);
  });

  it.each(['ogg', 'opus', 'mp3'] as const)('%s keeps length, tones and level', async (format) => {
    const bytes = await encodeAudio(x, sr, format);
    const info = await decodeAudioBuffer(bytes);
    expect(info.sampleRate).toBe(sr);
    expect(Math.abs(info.samples.length - x.length)).toBeLessThanOrEqual(format === 'mp3' ? 1152 : 0);
    const from = 2000;
    const to = 30000;
    expect(toneAmplitude(info.samples, sr, 440, from, to)).toBeCloseTo(0.5, 1);
    expect(toneAmplitude(info.samples, sr, 2500, from, to)).toBeGreaterThan(0.07);
    expect(Math.abs(20 * Math.log10(rms(info.samples, from, to) / rms(x, from, to)))).toBeLessThan(1);
  });

  it('mp3 and opus bitrates change the size', async () => {
    const low = await encodeAudio(x, sr, 'mp3', { bitrate: 16 });
    const high = await encodeAudio(x, sr, 'mp3', { bitrate: 128 });
    expect(high.length).toBeGreaterThan(4 * low.length);
    const opusLow = await encodeAudio(x, sr, 'opus', { bitrate: 12 });
    const opusHigh = await encodeAudio(x, sr, 'opus', { bitrate: 96 });
    expect(opusHigh.length).toBeGreaterThan(3 * opusLow.length);
    // 128 kbit/s over 2 s is about 32 kB.
    expect(high.length).toBeGreaterThan(25000);
    expect(high.length).toBeLessThan(40000);
  });

  it('refuses what a codec cannot store', async () => {
    await expect(encodeAudio(x, 44100, 'opus')).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(encodeAudio(x, 16000, 'ogg', { bitrate: 64 })).rejects.toThrow(RangeError);
    await expect(encodeAudio(x, 16000, 'aac' as never)).rejects.toThrow(RangeError);
    await expect(encodeAudio(x, 16000, 'wav', { channels: 3 })).rejects.toThrow(/multiple of channels/);
  });
});

describe('offset and duration', () => {
  const sr = 16000;
  const next = rng(3);
  const x = new Float32Array(sr * 3).map((_, i) => 0.4 * Math.sin(i * 0.05) + 0.1 * (next() - 0.5));

  it.each(['wav', 'flac', 'ogg', 'opus', 'mp3'] as const)('%s: a window equals the same slice of the full decode', async (format) => {
    const path = write(`offset.${format}`, await encodeAudio(x, sr, format));
    const full = await loadAudio(path);
    const part = await loadAudio(path, { offset: 1.2345, duration: 0.5 });
    const start = Math.round(1.2345 * sr);
    expect(part.samples.length).toBe(Math.round(0.5 * sr));
    const slice = full.samples.subarray(start, start + part.samples.length);
    // Opus restarts its decoder 660 ms before the target (libsndfile's pre-roll): it converges to within
    // about -60 dB of the continuous decode, not bit for bit. The others land exactly.
    expect(maxAbsDiff(part.samples, slice)).toBeLessThanOrEqual(format === 'opus' ? 2e-3 : 0);
  });

  it('a duration past the end stops at the end; an offset past the end is E_EMPTY', async () => {
    const path = write('short.wav', await encodeAudio(x, sr, 'wav'));
    const tail = await loadAudio(path, { offset: 2.5, duration: 10 });
    expect(tail.samples.length).toBe(x.length - 2.5 * sr);
    await expect(loadAudio(path, { offset: 3.5 })).rejects.toMatchObject({ code: 'E_EMPTY', path });
  });

  it('offset/duration combine with resampling like librosa.load (slice first, then resample)', async () => {
    const path = write('offset-resample.flac', await encodeAudio(x, sr, 'flac'));
    const part = await loadAudio(path, { offset: 0.5, duration: 1, sr: 22050 });
    const native = await loadAudio(path, { offset: 0.5, duration: 1 });
    const expected = await resample(native.samples, sr, 22050);
    expect(part.sampleRate).toBe(22050);
    expect(part.samples.length).toBe(22050);
    expect(maxAbsDiff(part.samples, expected)).toBe(0);
  });
});

describe('decodeAudioBuffer', () => {
  it('gives exactly what loadAudio gives for the same bytes, errors carry the given name', async () => {
    const x = sine(300, 44100, 1.5);
    for (const format of ['wav', 'flac', 'mp3'] as const) {
      const bytes = await encodeAudio(x, 44100, format);
      const path = write(`buffer.${format}`, bytes);
      const fromFile = await loadAudio(path, { sr: 16000, offset: 0.1 });
      const fromBytes = await decodeAudioBuffer(Buffer.from(bytes), { sr: 16000, offset: 0.1 });
      expect(fromBytes.samples.length).toBe(fromFile.samples.length);
      expect(maxAbsDiff(fromBytes.samples, fromFile.samples)).toBe(0);
    }
    await expect(decodeAudioBuffer(new TextEncoder().encode('hello world, not audio'), { name: 'upload.wav' })).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      path: 'upload.wav',
    });
    await expect(decodeAudioBuffer(new Uint8Array(0))).rejects.toMatchObject({ code: 'E_EMPTY', path: '<buffer>' });
  });
});

describe('stereo and odd rates', () => {
  it('decodes stereo 44.1 kHz mp3 to mono at 16 kHz with the tone where it was', async () => {
    const sr = 44100;
    const left = sine(1000, sr, 1, 0.6);
    const inter = new Float32Array(left.length * 2);
    for (let i = 0; i < left.length; i++) {
      inter[2 * i] = left[i];
      inter[2 * i + 1] = left[i];
    }
    const bytes = await encodeAudio(inter, sr, 'mp3', { channels: 2, bitrate: 192 });
    const audio = await decodeAudioBuffer(bytes, { sr: 16000 });
    expect(audio.channels).toBe(1);
    expect(audio.sampleRate).toBe(16000);
    expect(peakFrequency(audio.samples, 16000, 900, 1100, 1, 2000, 14000)).toBeCloseTo(1000, 0);
    expect(toneAmplitude(audio.samples, 16000, 1000, 2000, 14000)).toBeCloseTo(0.6, 1);
  });
});
