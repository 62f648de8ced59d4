// Minimal RIFF/WAVE writer and reader (16-bit PCM) for test fixtures.
import * as fs from 'fs';
import * as path from 'path';

export function wavBytes(samples: Float32Array | number[], sampleRate = 16000, channels = 1): Buffer {
  const n = samples.length;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(n * 2, 40);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = samples[i]! * 32767;
    pcm[i] = v >= 32767 ? 32767 : v <= -32768 ? -32768 : v < 0 ? v - 0.5 : v + 0.5; // round half away from zero
  }
  Buffer.from(pcm.buffer).copy(buf, 44); // little-endian hosts (x86, arm)
  return buf;
}

/** A tone of `seconds` at `hz` (plus a little deterministic noise from `seed`), as 16-bit WAV bytes. */
export function toneWav(seconds: number, hz = 440, seed = 1, sampleRate = 16000): Buffer {
  const n = Math.round(seconds * sampleRate);
  const s = new Float32Array(n);
  // The sine by rotation (two multiply-adds per sample) keeps big fixtures cheap to make.
  const c = Math.cos((2 * Math.PI * hz) / sampleRate);
  const si = Math.sin((2 * Math.PI * hz) / sampleRate);
  let x = 0.4;
  let y = 0;
  let state = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    s[i] = y + 0.05 * (state / 4294967296 - 0.5);
    const nx = x * c - y * si;
    y = x * si + y * c;
    x = nx;
  }
  return wavBytes(s, sampleRate);
}

export function writeWav(file: string, seconds = 0.3, hz = 440, seed = 1): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toneWav(seconds, hz, seed));
  return file;
}

export interface WavInfo {
  sampleRate: number;
  channels: number;
  frames: number;
  duration: number;
}

/** Parses the header of a 16-bit PCM WAV written above; null if the bytes are not such a file. */
export function readWavInfo(bytes: Buffer): WavInfo | null {
  if (bytes.length < 44 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return null;
  if (bytes.toString('ascii', 36, 40) !== 'data') return null;
  const channels = bytes.readUInt16LE(22);
  const sampleRate = bytes.readUInt32LE(24);
  const dataBytes = Math.min(bytes.readUInt32LE(40), bytes.length - 44);
  if (channels === 0 || sampleRate === 0) return null;
  const frames = Math.floor(dataBytes / (2 * channels));
  return { sampleRate, channels, frames, duration: frames / sampleRate };
}
