// Deterministic speech-like test audio: a glottal pulse train with a wandering pitch, shaped by vowel formants,
// with syllable envelopes, fricative noise bursts and pauses. Used by the benchmark (realistic spectra, no files).

export interface SyntheticSpeechOptions {
  /** Sample rate in Hz (default 16000). */
  sr?: number;
  /** Length in seconds (default 3). */
  seconds?: number;
  /** PRNG seed; the same seed gives the same samples (default 1). */
  seed?: number;
  /** Peak amplitude after normalisation (default 0.5). */
  peak?: number;
}

/** mulberry32: small, fast, good enough for test signals. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// (F1, F2, F3) in Hz of five vowels (Peterson & Barney-like averages).
const VOWELS: readonly [number, number, number][] = [
  [730, 1090, 2440],
  [530, 1840, 2480],
  [270, 2290, 3010],
  [570, 840, 2410],
  [300, 870, 2240],
];
const BANDWIDTHS = [80, 100, 140];

type Kind = 'voiced' | 'fricative' | 'pause';

const COEFFICIENT_BLOCK = 32; // samples between formant-filter updates (2 ms at 16 kHz: smooth enough)

export function syntheticSpeech(options: SyntheticSpeechOptions = {}): Float32Array {
  const sr = options.sr ?? 16000;
  const seconds = options.seconds ?? 3;
  const peak = options.peak ?? 0.5;
  const rand = prng(options.seed ?? 1);
  const n = Math.max(1, Math.round(sr * seconds));
  const out = new Float32Array(n);

  const nyquistGuard = sr / 2 - 200;
  const state = new Float64Array(6); // two past outputs of each of the three resonators
  const a1 = new Float64Array(3);
  const a2 = new Float64Array(3);
  const gain = new Float64Array(3);
  const vibratoStep = (2 * Math.PI * 5) / sr;
  let phase = 0;
  let f0 = 110 + 40 * rand();
  let i = 0;
  let from = VOWELS[0];
  while (i < n) {
    const r = rand();
    const kind: Kind = r < 0.72 ? 'voiced' : r < 0.87 ? 'fricative' : 'pause';
    const length = Math.min(n - i, Math.round(sr * (0.08 + 0.22 * rand())));
    const to = VOWELS[Math.floor(rand() * VOWELS.length)];
    const f0Start = f0;
    const f0End = Math.min(240, Math.max(85, f0 + (rand() - 0.5) * 60));
    const level = 0.6 + 0.4 * rand();
    for (let j = 0; j < length; j++, i++) {
      const u = j / length;
      if (j % COEFFICIENT_BLOCK === 0) {
        // Formants glide from the previous vowel to this one; fricatives get high, broad resonances instead.
        for (let k = 0; k < 3; k++) {
          let freq = from[k] + (to[k] - from[k]) * Math.min(1, u * 3);
          let bw = BANDWIDTHS[k];
          if (kind === 'fricative') {
            freq = 3500 + 1500 * k;
            bw = 900;
          }
          freq = Math.min(freq, nyquistGuard);
          const radius = Math.exp((-Math.PI * bw) / sr);
          const theta = (2 * Math.PI * freq) / sr;
          a1[k] = 2 * radius * Math.cos(theta);
          a2[k] = -radius * radius;
          gain[k] = (1 - radius * radius) * Math.sin(theta); // about unit gain at the resonance

        }
      }
      // Raised-cosine-like syllable envelope.
      const env = level * Math.sqrt(Math.sin(Math.PI * u));
      let source = 0;
      if (kind === 'voiced') {
        f0 = f0Start + (f0End - f0Start) * u + 2 * Math.sin(vibratoStep * i); // glide + vibrato
        phase += f0 / sr;
        if (phase >= 1) phase -= 1;
        // Derivative of a Rosenberg glottal pulse (open 40 %, closing 16 %): the radiated excitation.
        const p = phase;
        source = p < 0.4 ? Math.sin((Math.PI * p) / 0.4) * 0.5 : p < 0.56 ? -Math.sin((Math.PI * (p - 0.4)) / 0.32) : 0;
        source += 0.03 * (rand() - 0.5); // aspiration
      } else if (kind === 'fricative') {
        source = 0.25 * (rand() - 0.5);
      }
      let y = source;
      for (let k = 0; k < 3; k++) {
        const v = gain[k] * y + a1[k] * state[2 * k] + a2[k] * state[2 * k + 1];
        state[2 * k + 1] = state[2 * k];
        state[2 * k] = v;
        y = v;
      }
      out[i] = y * env;
    }
    from = to;
  }
  let max = 0;
  for (let k = 0; k < n; k++) max = Math.max(max, Math.abs(out[k]));
  if (max > 0) for (let k = 0; k < n; k++) out[k] = (out[k] / max) * peak;
  return out;
}
