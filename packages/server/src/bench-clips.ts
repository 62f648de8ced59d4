// Benchmark input: speech-like synthetic clips (a voiced source with a wandering pitch through three
// formant resonators, syllable-rate amplitude envelope, a little noise), encoded as 16-bit PCM WAV.

/** Deterministic PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticSpeech(seconds: number, sampleRate: number, seed: number): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  const rand = mulberry32(seed);
  const formants = [500 + 300 * rand(), 1400 + 600 * rand(), 2500 + 500 * rand()];
  const filters = formants.map((f) => resonator(f, 80 + f * 0.05, sampleRate));
  let phase = 0;
  const basePitch = 100 + 120 * rand();
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const pitch = basePitch * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t + seed));
    phase += pitch / sampleRate;
    const pulse = phase % 1 < 0.5 ? 1 : -1; // harmonic-rich glottal-ish source
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t + seed); // ~4 syllables per second
    const src = pulse * envelope + 0.05 * (rand() * 2 - 1);
    let y = 0;
    for (const f of filters) y += f(src);
    out[i] = 0.1 * y;
  }
  return out;
}

function resonator(freq: number, bandwidth: number, sr: number): (x: number) => number {
  const r = Math.exp((-Math.PI * bandwidth) / sr);
  const a1 = 2 * r * Math.cos((2 * Math.PI * freq) / sr);
  const a2 = -r * r;
  const gain = 1 - r;
  let y1 = 0;
  let y2 = 0;
  return (x) => {
    const y = gain * x + a1 * y1 + a2 * y2;
    y2 = y1;
    y1 = y;
    return y;
  };
}

/** Mono float samples in [-1, 1] -> a 16-bit PCM WAV file. */
export function encodeWavPcm16(samples: Float32Array, sampleRate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    data.writeInt16LE(Math.round(s * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export function syntheticClips(count: number, seconds: number, sampleRate = 16000): Buffer[] {
  return Array.from({ length: count }, (_, i) => encodeWavPcm16(syntheticSpeech(seconds, sampleRate, i + 1), sampleRate));
}
