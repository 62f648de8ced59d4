// SpecAugment-style masking (Park et al., 2019) of single-channel spectrogram inputs, applied to training batches
// in place: a few random frequency bands and time spans set to the transform's silence value. Cheap, seeded by
// the trainer's RNG (so a resumed run masks identically), and a regulariser on a corpus this small.
import type { Rng } from '../rng';

export interface SpecAugmentOptions {
  /** Frequency masks per window, each at most this share of the rows. Default 2 x 0.1 (8 of 80 mel bands). */
  freqMasks?: number;
  maxFreqShare?: number;
  /** Time masks per window, each at most this share of the frames. Default 2 x 0.1 (0.4 s of a 4 s window). */
  timeMasks?: number;
  maxTimeShare?: number;
}

export const SPEC_AUGMENT_DEFAULTS: Required<SpecAugmentOptions> = { freqMasks: 2, maxFreqShare: 0.1, timeMasks: 2, maxTimeShare: 0.1 };

/** Masks `n` channels-last [h][w][1] inputs of `x` in place with `fill`. */
export function specAugment(x: Float32Array, n: number, h: number, w: number, fill: number, rng: Rng, opts: SpecAugmentOptions = {}): void {
  const o = { ...SPEC_AUGMENT_DEFAULTS, ...opts };
  const maxRows = Math.round(o.maxFreqShare * h);
  const maxCols = Math.round(o.maxTimeShare * w);
  const size = h * w;
  for (let i = 0; i < n; i++) {
    const base = i * size;
    for (let k = 0; k < o.freqMasks; k++) {
      const height = rng.int(maxRows + 1);
      const r0 = rng.int(h - height + 1);
      x.fill(fill, base + r0 * w, base + (r0 + height) * w);
    }
    for (let k = 0; k < o.timeMasks; k++) {
      const width = rng.int(maxCols + 1);
      const c0 = rng.int(w - width + 1);
      for (let r = 0; r < h; r++) x.fill(fill, base + r * w + c0, base + r * w + c0 + width);
    }
  }
}
