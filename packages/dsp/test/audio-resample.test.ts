// Resampling quality (soxr HQ): tones keep frequency and level, content above the new Nyquist is removed,
// lengths follow librosa (ceil(n * ratio)).
import { resample } from '../src/audio';
import { db, peakFrequency, rms, sine, toneAmplitude } from './audio-helpers';

describe('resample', () => {
  it.each([
    [44100, 16000, 1000],
    [48000, 16000, 3000],
    [22050, 16000, 440],
    [16000, 44100, 1000],
    [8000, 22050, 2500],
  ])('%i Hz -> %i Hz keeps a %i Hz tone (frequency and level)', async (inRate, outRate, freq) => {
    const x = sine(freq, inRate, 1.5, 0.5);
    const y = await resample(x, inRate, outRate);
    expect(y.length).toBe(Math.ceil(x.length * (outRate / inRate)));
    const from = Math.round(0.2 * outRate);
    const to = y.length - from;
    expect(Math.abs(peakFrequency(y, outRate, freq - 5, freq + 5, 0.25, from, to) - freq)).toBeLessThanOrEqual(0.25);
    // HQ passband ripple is far below 0.01 dB.
    expect(Math.abs(db(toneAmplitude(y, outRate, freq, from, to) / 0.5))).toBeLessThan(0.01);
  });

  it.each([8500, 10000, 15000, 20000])('44.1 kHz -> 16 kHz: a %i Hz tone (above the new Nyquist) is attenuated by >= 80 dB', async (freq) => {
    const x = sine(freq, 44100, 1, 0.5);
    const y = await resample(x, 44100, 16000);
    const from = 2000;
    const residual = rms(y, from, y.length - from);
    const input = rms(x);
    expect(db(residual / input)).toBeLessThan(-80);
  });

  it('16 kHz -> 44.1 kHz: no image of the tone above the old Nyquist', async () => {
    const x = sine(1000, 16000, 1, 0.5);
    const y = await resample(x, 16000, 44100);
    const from = 4000;
    const to = y.length - from;
    // The first spectral images of 1 kHz sampled at 16 kHz sit at 15 and 17 kHz.
    for (const image of [15000, 17000]) {
      expect(db(toneAmplitude(y, 44100, image, from, to) / 0.5)).toBeLessThan(-80);
    }
  });

  it('lengths match librosa for awkward sizes', async () => {
    for (const n of [0, 1, 2, 3, 441, 44099, 44101, 100003]) {
      const y = await resample(new Float32Array(n).fill(0.25), 44100, 16000);
      expect(y.length).toBe(Math.ceil(n * (16000 / 44100)));
    }
  });

  it('equal rates return an identical copy', async () => {
    const x = sine(100, 16000, 0.1);
    const y = await resample(x, 16000, 16000);
    expect(y).not.toBe(x);
    expect(Array.from(y)).toEqual(Array.from(x));
  });

  it('validates its arguments', async () => {
    const x = new Float32Array(10);
    await expect(resample([1, 2] as unknown as Float32Array, 16000, 8000)).rejects.toThrow(TypeError);
    await expect(resample(x, 0, 8000)).rejects.toThrow(/inRate/);
    await expect(resample(x, 16000, 44100.5)).rejects.toThrow(RangeError);
    await expect(resample(x, 16000, 1e7)).rejects.toThrow(/outRate/);
  });
});
