// Test helpers for the audio tests: signal generators, an independent WAV writer (not libsndfile) and
// tone measurements.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, 'fixtures', 'audio');

export function sine(freq: number, sr: number, seconds: number, amplitude = 0.5, phase = 0): Float32Array {
  const n = Math.round(sr * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / sr + phase);
  return out;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Speech-like test signal: 12 harmonics of f0 = 150 Hz (gliding by +-glideHz once a second) under a 3 Hz amplitude
 * envelope, plus a little noise: broadband and never silent.
 */
export function harmonicTone(seconds: number, sr: number, seed = 1, glideHz = 0): Float32Array {
  const next = rng(seed);
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const env = 0.5 + 0.5 * Math.sin((2 * Math.PI * 3 * i) / sr);
    const f0 = 150 + glideHz * Math.sin((2 * Math.PI * i) / sr);
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin((2 * Math.PI * f0 * h * i) / sr) / h;
    x[i] = 0.2 * env * v + 0.01 * (next() - 0.5);
  }
  return x;
}

export type PcmKind = 'u8' | 's16' | 's24' | 's32' | 'f32';

/**
 * A RIFF/WAVE file written byte by byte from integer (or float) sample values, interleaved.
 * Returns the bytes and the float values a conforming decoder must produce (libsndfile / soundfile scaling).
 */
export function makeWav(kind: PcmKind, sampleRate: number, channels: number, values: number[]): { bytes: Buffer; expected: Float32Array } {
  const bytesPer = kind === 'u8' ? 1 : kind === 's16' ? 2 : kind === 's24' ? 3 : 4;
  const data = Buffer.alloc(values.length * bytesPer);
  const expected = new Float32Array(values.length);
  values.forEach((v, i) => {
    const o = i * bytesPer;
    switch (kind) {
      case 'u8':
        data.writeUInt8(v + 128, o);
        expected[i] = v / 128;
        break;
      case 's16':
        data.writeInt16LE(v, o);
        expected[i] = v / 32768;
        break;
      case 's24':
        data.writeIntLE(v, o, 3);
        expected[i] = v / 8388608;
        break;
      case 's32':
        data.writeInt32LE(v, o);
        expected[i] = v / 2147483648;
        break;
      case 'f32':
        data.writeFloatLE(v, o);
        expected[i] = Math.fround(v);
        break;
    }
  });
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(kind === 'f32' ? 3 : 1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * bytesPer, 28);
  header.writeUInt16LE(channels * bytesPer, 32);
  header.writeUInt16LE(bytesPer * 8, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return { bytes: Buffer.concat([header, data]), expected };
}

/** Amplitude of the sinusoid at `freq` in `x` (least-squares projection on sin and cos), over [from, to). */
export function toneAmplitude(x: Float32Array, sr: number, freq: number, from = 0, to = x.length): number {
  let s = 0;
  let c = 0;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  // Rotate a phasor instead of calling sin/cos per sample; re-anchor every 1024 samples to bound drift.
  const step = (2 * Math.PI * freq) / sr;
  const cs = Math.cos(step);
  const sn = Math.sin(step);
  let si = 0;
  let ci = 1;
  for (let i = from; i < to; i++) {
    if ((i - from) % 1024 === 0) {
      si = Math.sin(step * i);
      ci = Math.cos(step * i);
    }
    s += x[i] * si;
    c += x[i] * ci;
    ss += si * si;
    cc += ci * ci;
    sc += si * ci;
    const nextS = si * cs + ci * sn;
    ci = ci * cs - si * sn;
    si = nextS;
  }
  // Solve the 2x2 normal equations.
  const det = ss * cc - sc * sc;
  const a = (s * cc - c * sc) / det;
  const b = (c * ss - s * sc) / det;
  return Math.hypot(a, b);
}

/** RMS of what is left of x over [from, to) after removing the best-fitting sinusoid at `freq`. */
export function removeTone(x: Float32Array, sr: number, freq: number, from = 0, to = x.length): number {
  let s = 0;
  let c = 0;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  const w = (2 * Math.PI * freq) / sr;
  for (let i = from; i < to; i++) {
    const si = Math.sin(w * i);
    const ci = Math.cos(w * i);
    s += x[i] * si;
    c += x[i] * ci;
    ss += si * si;
    cc += ci * ci;
    sc += si * ci;
  }
  const det = ss * cc - sc * sc;
  const a = (s * cc - c * sc) / det;
  const b = (c * ss - s * sc) / det;
  let r = 0;
  for (let i = from; i < to; i++) {
    const e = x[i] - a * Math.sin(w * i) - b * Math.cos(w * i);
    r += e * e;
  }
  return Math.sqrt(r / (to - from));
}

/** Frequency with the largest projection amplitude on a grid [lo, hi] with `step` Hz. */
export function peakFrequency(x: Float32Array, sr: number, lo: number, hi: number, step: number, from = 0, to = x.length): number {
  let best = lo;
  let bestA = -1;
  for (let f = lo; f <= hi; f += step) {
    const a = toneAmplitude(x, sr, f, from, to);
    if (a > bestA) {
      bestA = a;
      best = f;
    }
  }
  return best;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

export function maxAbsDiff(a: Float32Array, b: Float32Array, n = Math.min(a.length, b.length)): number {
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

export const db = (ratio: number): number => 20 * Math.log10(ratio);

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'melguard-audio-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** In-place iterative radix-2 FFT (n a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const ar = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci;
        const ai = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr;
        re[i + k + len / 2] = re[i + k] - ar;
        im[i + k + len / 2] = im[i + k] - ai;
        re[i + k] += ar;
        im[i + k] += ai;
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** Welch power spectrum (Hann, 50 % overlap) with `size` points: power per bin, bin k at k * sr / size Hz. */
export function powerSpectrum(x: Float32Array, size = 4096): Float64Array {
  const out = new Float64Array(size / 2 + 1);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let segments = 0;
  for (let start = 0; start + size <= x.length; start += size / 2) {
    for (let i = 0; i < size; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
      re[i] = x[start + i] * w;
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k <= size / 2; k++) out[k] += re[k] * re[k] + im[k] * im[k];
    segments++;
  }
  for (let k = 0; k < out.length; k++) out[k] /= Math.max(1, segments);
  return out;
}

/** Mean power of a spectrum between two frequencies. */
export function bandPower(spectrum: Float64Array, sr: number, lo: number, hi: number): number {
  const size = (spectrum.length - 1) * 2;
  const a = Math.ceil((lo * size) / sr);
  const b = Math.floor((hi * size) / sr);
  let s = 0;
  for (let k = a; k <= b; k++) s += spectrum[k];
  return s / (b - a + 1);
}
