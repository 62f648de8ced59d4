// Image resampling. Both functions are pure arithmetic in float64 with a fixed evaluation order,
// so results are identical on every machine.
import { rangeError, typeError } from './errors';
import { checkInt, describe } from './validate';

export type PixelArray = Uint8Array | Float32Array | Float64Array;

interface Taps { i0: Int32Array; i1: Int32Array; w1: Float64Array }

/** Half-pixel-centre source coordinates for each destination index along one axis, clamped at the edges. */
function bilinearTaps(srcN: number, dstN: number): Taps {
  const i0 = new Int32Array(dstN);
  const i1 = new Int32Array(dstN);
  const w1 = new Float64Array(dstN);
  const scale = srcN / dstN;
  for (let d = 0; d < dstN; d++) {
    const s = Math.min(Math.max((d + 0.5) * scale - 0.5, 0), srcN - 1);
    const lo = Math.floor(s);
    i0[d] = lo;
    i1[d] = Math.min(lo + 1, srcN - 1);
    w1[d] = s - lo;
  }
  return { i0, i1, w1 };
}

/**
 * Bilinear resize of an interleaved (row-major, H x W x channels) image.
 *
 * Convention (the same as OpenCV's INTER_LINEAR and tf.image.resize(method='bilinear', antialias=false)):
 * destination pixel (y, x) samples the source at ((y + 0.5) * srcH / dstH - 0.5, (x + 0.5) * srcW / dstW - 0.5),
 * clamped to the image, mixing the 4 neighbours with weights (1 - fy)(1 - fx), (1 - fy)fx, fy(1 - fx), fy fx.
 * No anti-aliasing on downscale. A Uint8Array input gives a Uint8Array output rounded half up
 * (Math.round) and clamped to [0, 255]; float inputs keep their type, unrounded.
 */
export function resizeBilinear<T extends PixelArray>(src: T, srcH: number, srcW: number, channels: number, dstH: number, dstW: number): T {
  const where = 'resizeBilinear';
  if (!(src instanceof Uint8Array || src instanceof Float32Array || src instanceof Float64Array)) {
    throw typeError(where, `src must be a Uint8Array, Float32Array or Float64Array, got ${describe(src)}`);
  }
  checkInt(where, 'srcH', srcH, 1, 1 << 24);
  checkInt(where, 'srcW', srcW, 1, 1 << 24);
  checkInt(where, 'channels', channels, 1, 64);
  checkInt(where, 'dstH', dstH, 1, 1 << 16);
  checkInt(where, 'dstW', dstW, 1, 1 << 16);
  if (src.length !== srcH * srcW * channels) {
    throw rangeError(where, `src has ${src.length} values but srcH x srcW x channels = ${srcH} x ${srcW} x ${channels} = ${srcH * srcW * channels}`);
  }
  const rows = bilinearTaps(srcH, dstH);
  const cols = bilinearTaps(srcW, dstW);
  const out = new (src.constructor as new (n: number) => T)(dstH * dstW * channels);
  const toBytes = src instanceof Uint8Array;
  const rowStride = srcW * channels;
  for (let y = 0; y < dstH; y++) {
    const top = rows.i0[y] * rowStride;
    const bottom = rows.i1[y] * rowStride;
    const fy = rows.w1[y];
    for (let x = 0; x < dstW; x++) {
      const left = cols.i0[x] * channels;
      const right = cols.i1[x] * channels;
      const fx = cols.w1[x];
      const o = (y * dstW + x) * channels;
      for (let c = 0; c < channels; c++) {
        const upper = src[top + left + c] * (1 - fx) + src[top + right + c] * fx;
        const lower = src[bottom + left + c] * (1 - fx) + src[bottom + right + c] * fx;
        const v = upper * (1 - fy) + lower * fy;
        out[o + c] = toBytes ? (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0) : v; // (v + 0.5) | 0 = Math.round for v >= 0
      }
    }
  }
  return out;
}

/** For each destination cell along one axis: the source cells it covers and their overlap lengths. */
function areaTaps(srcN: number, dstN: number): { index: number[]; weight: number[] }[] {
  const scale = srcN / dstN;
  const taps: { index: number[]; weight: number[] }[] = [];
  for (let d = 0; d < dstN; d++) {
    const a = d * scale;
    const b = (d + 1) * scale;
    const index: number[] = [];
    const weight: number[] = [];
    for (let s = Math.floor(a); s < Math.min(Math.ceil(b), srcN); s++) {
      const w = Math.min(b, s + 1) - Math.max(a, s);
      if (w > 1e-12) {
        index.push(s);
        weight.push(w);
      }
    }
    taps.push({ index, weight });
  }
  return taps;
}

/**
 * Area-weighted (box) resampling of a single-channel float grid, used to fit a heat map to its plot area:
 * each destination pixel is the overlap-weighted mean of the source cells it covers, so upscaling keeps
 * cells as blocks and downscaling averages instead of dropping data. Non-finite cells are ignored;
 * a pixel covering only non-finite cells is NaN.
 */
export function resampleArea(src: ArrayLike<number>, srcH: number, srcW: number, dstH: number, dstW: number): Float64Array {
  const rows = areaTaps(srcH, dstH);
  const cols = areaTaps(srcW, dstW);
  const out = new Float64Array(dstH * dstW);
  for (let y = 0; y < dstH; y++) {
    const r = rows[y];
    for (let x = 0; x < dstW; x++) {
      const c = cols[x];
      let sum = 0;
      let wsum = 0;
      for (let i = 0; i < r.index.length; i++) {
        const base = r.index[i] * srcW;
        for (let j = 0; j < c.index.length; j++) {
          const v = src[base + c.index[j]];
          if (v - v !== 0) continue; // NaN or ±Infinity
          const w = r.weight[i] * c.weight[j];
          sum += v * w;
          wsum += w;
        }
      }
      out[y * dstW + x] = wsum > 0 ? sum / wsum : NaN;
    }
  }
  return out;
}
