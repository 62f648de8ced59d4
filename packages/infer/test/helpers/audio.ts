// Audio synthesised in the tests: tones, noise, and WAV files written byte by byte.
import { lcg } from './models';

export function sine(seconds: number, sr: number, freq: number, amplitude: number): Float32Array {
  const n = Math.round(seconds * sr);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / sr);
  return out;
}

export function noise(seconds: number, sr: number, amplitude: number, seed = 1): Float32Array {
  const rand = lcg(seed);
  const n = Math.round(seconds * sr);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amplitude * (2 * rand() - 1);
  return out;
}

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function add(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v + (b[i] ?? 0));
}

/** A mono WAV file: 16-bit PCM (rounded, clipped) or 32-bit float. */
export function wav(samples: Float32Array, sr: number, format: 'pcm16' | 'float32' = 'pcm16'): Uint8Array {
  const bytesPer = format === 'pcm16' ? 2 : 4;
  const data = samples.length * bytesPer;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(format === 'pcm16' ? 1 : 3, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sr, 24);
  buf.writeUInt32LE(sr * bytesPer, 28);
  buf.writeUInt16LE(bytesPer, 32);
  buf.writeUInt16LE(bytesPer * 8, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) {
    if (format === 'pcm16') buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767))), 44 + 2 * i);
    else buf.writeFloatLE(samples[i], 44 + 4 * i);
  }
  return buf;
}
