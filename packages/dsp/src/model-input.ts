// Window spectrogram -> model input tensor. Shared by training (packages/train) and inference (packages/infer),
// so a model always sees at inference exactly the numbers it was trained on.
//
// The 'image' transform reproduces the seed project's picture of a spectrogram: viridis colours, low frequencies
// at the bottom, bilinear resize. @melguard/plot draws spectrogram PNGs with the same `viridis` table and
// `resizeBilinear` (exported here): the two must agree, so plot reuses these rather than keeping its own copies.
import type { InputTransform, ModelInputSpec } from './model-spec';
import type { SpectrogramOptions } from './types';

/**
 * matplotlib's viridis (256 entries; colour map by van der Walt, Smith and Firing, CC0), each channel as the
 * 8-bit sRGB value a PNG stores (round(v * 255)): entry 0 = #440154, 128 = #21918c, 255 = #fde725.
 */
const VIRIDIS_HEX =
  '44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769' +
  '48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a' +
  '472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85' +
  '4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b' +
  '3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d' +
  '33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e' +
  '2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e' +
  '26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d' +
  '21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88' +
  '1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81' +
  '28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74' +
  '3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863' +
  '5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d' +
  '84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32' +
  'addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a' +
  'd8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725';

/** viridis as 256 RGB triples of bytes: [r0, g0, b0, r1, ...]. */
export const viridis: Uint8Array = Uint8Array.from(VIRIDIS_HEX.match(/../g)!, (h) => parseInt(h, 16));
/** The same table as channel values in [0, 1] (byte / 255), what the model sees. */
const viridisUnit = Float32Array.from(viridis, (v) => v / 255);

/**
 * Colour-table index of a value normalised to [0, 1], as matplotlib's ListedColormap(N=256) picks it:
 * floor(t * 256), with t >= 1 -> 255 and t < 0 (or NaN) -> 0. No interpolation between entries.
 */
export function colormapIndex(t: number): number {
  if (!(t > 0)) return 0;
  if (t >= 1) return 255;
  return Math.floor(t * 256);
}

/**
 * Bilinear resize of one [srcH][srcW] plane to [dstH][dstW] with half-pixel centres (as PIL, OpenCV and
 * tf.image.resize(antialias=false)): source coordinate = (dst + 0.5) * src/dst - 0.5, clamped to the edges.
 * Equal sizes copy exactly. Writes dstH*dstW floats to `out` at `outOffset` and returns `out`.
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  srcH: number,
  srcW: number,
  dstH: number,
  dstW: number,
  out: Float32Array = new Float32Array(dstH * dstW),
  outOffset = 0,
): Float32Array {
  for (const [name, v] of [['srcH', srcH], ['srcW', srcW], ['dstH', dstH], ['dstW', dstW]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`resizeBilinear: ${name} must be a positive integer, got ${v}`);
  }
  if (src.length < srcH * srcW) throw new RangeError(`resizeBilinear: src has ${src.length} values, needs ${srcH}*${srcW}`);
  if (!Number.isInteger(outOffset) || outOffset < 0 || out.length < outOffset + dstH * dstW) {
    throw new RangeError(`resizeBilinear: out needs ${dstH * dstW} values from offset ${outOffset}, has ${out.length}`);
  }
  // Per-column source indices and weights, computed once per call.
  const x0 = new Int32Array(dstW);
  const x1 = new Int32Array(dstW);
  const wx = new Float64Array(dstW);
  axis(srcW, dstW, x0, x1, wx);
  const sy = srcH / dstH;
  for (let y = 0; y < dstH; y++) {
    const fy = clamp((y + 0.5) * sy - 0.5, 0, srcH - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, srcH - 1);
    const wy = fy - y0;
    const r0 = y0 * srcW;
    const r1 = y1 * srcW;
    const o = outOffset + y * dstW;
    for (let x = 0; x < dstW; x++) {
      const a = x0[x];
      const b = x1[x];
      const w = wx[x];
      const top = src[r0 + a] + (src[r0 + b] - src[r0 + a]) * w;
      const bottom = src[r1 + a] + (src[r1 + b] - src[r1 + a]) * w;
      out[o + x] = top + (bottom - top) * wy;
    }
  }
  return out;
}

function axis(srcN: number, dstN: number, i0: Int32Array, i1: Int32Array, w: Float64Array): void {
  const s = srcN / dstN;
  for (let d = 0; d < dstN; d++) {
    const f = clamp((d + 0.5) * s - 0.5, 0, srcN - 1);
    i0[d] = Math.floor(f);
    i1[d] = Math.min(i0[d] + 1, srcN - 1);
    w[d] = f - i0[d];
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Spectrogram rows of one window: mel bands, or 1 + nFft/2 linear-frequency bins when nMels = 0. */
export function spectrogramBins(features: SpectrogramOptions): number {
  return features.nMels > 0 ? features.nMels : 1 + Math.floor(features.nFft / 2);
}

/** Samples in one window of `windowSeconds` at the features' sample rate. */
export function windowSamples(features: SpectrogramOptions, windowSeconds: number): number {
  return Math.round(windowSeconds * features.sr);
}

/** Frames of a spectrogram of `samples` samples, counted as librosa does (center: 1 + floor(n / hop)). */
export function spectrogramFrames(features: SpectrogramOptions, samples: number): number {
  if (features.center) return 1 + Math.floor(samples / features.hopLength);
  return samples < features.nFft ? 0 : 1 + Math.floor((samples - features.nFft) / features.hopLength);
}

/** [channels, height, width] that `transform` produces from a [bins][frames] window. */
export function transformShape(transform: InputTransform, bins: number, frames: number): [number, number, number] {
  if (transform.kind === 'affine') return [1, bins, frames];
  if (transform.kind === 'image') return [3, transform.size[0], transform.size[1]];
  throw new TypeError(`unknown input transform ${JSON.stringify((transform as { kind?: unknown }).kind)}`);
}

/** Everything the spec implies about one window: its samples, its spectrogram's shape and the tensor's shape. */
export interface ModelInputLayout {
  windowSamples: number;
  bins: number;
  frames: number;
  shape: [number, number, number];
  /** C*H*W: floats per window in the input tensor. */
  size: number;
}

/** Derives the layout and checks it against `spec.shape` (a mismatch means the spec contradicts itself). */
export function modelInputLayout(spec: ModelInputSpec): ModelInputLayout {
  const n = windowSamples(spec.features, spec.windowing.windowSeconds);
  const bins = spectrogramBins(spec.features);
  const frames = spectrogramFrames(spec.features, n);
  const shape = transformShape(spec.transform, bins, frames);
  if (shape.some((v, i) => v !== spec.shape[i])) {
    throw new RangeError(
      `model input spec is inconsistent: its features and transform give shape [${shape}] ` +
        `(${bins} bins x ${frames} frames per ${spec.windowing.windowSeconds} s window), but it declares [${spec.shape}]`,
    );
  }
  return { windowSamples: n, bins, frames, shape, size: shape[0] * shape[1] * shape[2] };
}

// Scratch planes for the image transform, reused between calls (JS is single-threaded per isolate).
let scratch = new Float32Array(0);

/**
 * Writes one window's model input (C*H*W floats, channels first) to `out` at `outOffset` and returns `out`.
 * `window` is the window's spectrogram, row-major [bins][frames], in the preset's scale (dB for 'image').
 * - 'affine': x * scale + offset, layout [1][bins][frames] (row 0 = lowest bin).
 * - 'image':  t = (x - vmin) / (vmax - vmin) -> viridis RGB / 255 (see colormapIndex), flipped so image row 0 is
 *             the highest bin (low frequencies at the bottom, as matplotlib's origin='lower' shows them),
 *             then each channel bilinearly resized to `size` ([height, width]); layout [3][height][width].
 */
export function toModelInput(
  window: Float32Array,
  bins: number,
  frames: number,
  spec: Pick<ModelInputSpec, 'transform' | 'shape'>,
  out?: Float32Array,
  outOffset = 0,
): Float32Array {
  if (!Number.isInteger(bins) || bins < 1 || !Number.isInteger(frames) || frames < 1) {
    throw new RangeError(`toModelInput: bins and frames must be positive integers, got ${bins} x ${frames}`);
  }
  if (!(window instanceof Float32Array) || window.length < bins * frames) {
    throw new RangeError(`toModelInput: window must be a Float32Array of at least ${bins}*${frames} values`);
  }
  const t = spec.transform;
  const shape = transformShape(t, bins, frames);
  if (shape.some((v, i) => v !== spec.shape[i])) {
    throw new RangeError(`toModelInput: a ${bins}x${frames} window with transform '${t.kind}' gives [${shape}], spec declares [${spec.shape}]`);
  }
  const size = shape[0] * shape[1] * shape[2];
  const dst = out ?? new Float32Array(size);
  if (!Number.isInteger(outOffset) || outOffset < 0 || dst.length < outOffset + size) {
    throw new RangeError(`toModelInput: out needs ${size} values from offset ${outOffset}, has ${dst.length}`);
  }
  if (t.kind === 'affine') {
    const { scale, offset } = t;
    for (let i = 0; i < size; i++) dst[outOffset + i] = window[i] * scale + offset;
    return dst;
  }
  const { vmin, vmax } = t;
  if (!(vmax > vmin)) throw new RangeError(`toModelInput: image transform needs vmax > vmin, got [${vmin}, ${vmax}]`);
  const plane = bins * frames;
  const [height, width] = t.size;
  const direct = height === bins && width === frames;
  // Colour into the output directly when no resize is needed, else into scratch planes and resize from there.
  let target = dst;
  let base = outOffset;
  if (!direct) {
    if (scratch.length < 3 * plane) scratch = new Float32Array(3 * plane);
    target = scratch;
    base = 0;
  }
  const inv = 1 / (vmax - vmin);
  const lut = viridisUnit;
  for (let b = 0; b < bins; b++) {
    const src = b * frames;
    const row = base + (bins - 1 - b) * frames;
    for (let f = 0; f < frames; f++) {
      const t = (window[src + f] - vmin) * inv;
      // colormapIndex, inlined: this loop runs for every pixel of every window
      const k = (t > 0 ? (t >= 1 ? 255 : Math.floor(t * 256)) : 0) * 3;
      const p = row + f;
      target[p] = lut[k];
      target[p + plane] = lut[k + 1];
      target[p + 2 * plane] = lut[k + 2];
    }
  }
  if (!direct) {
    for (let c = 0; c < 3; c++) {
      resizeBilinear(scratch.subarray(c * plane, (c + 1) * plane), bins, frames, height, width, dst, outOffset + c * height * width);
    }
  }
  return dst;
}
