// MaxPoolGrad for the wasm backend: the shipped kernel takes ~0.5 s for one 32x126x126x32 batch.
// Straight scatter on the wasm heap: each output cell sends its gradient to the first maximum of its
// window in row-major scan order (strict '>', the tie rule of the cpu backend and TensorFlow).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, Info, KernelArgs } from './wasm-util';

export function maxPoolGradWasm({ inputs, backend: be, attrs }: KernelArgs): Info {
  const backend = be as BackendWasm;
  const { dy, input } = inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: [number, number] | number; strides: [number, number] | number;
    pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const c = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const out = backend.makeOutput(input.shape, 'float32');
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  dx.fill(0);
  const tiles = c.filterHeight === 2 && c.filterWidth === 2 && c.strideHeight === 2 && c.strideWidth === 2 &&
    c.padInfo.top === 0 && c.padInfo.left === 0;
  if (tiles) scatter2x2(c, x, g, dx);
  else scatterGeneral(c, x, g, dx);
  return out;
}

/** The common 2x2/2 unpadded pool: windows tile the input, four candidates per output. */
function scatter2x2(c: tf.backend_util.Conv2DInfo, x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = c;
  const row = W * C;
  let gi = 0;
  for (let b = 0; b < B; b++) {
    for (let yr = 0; yr < Ho; yr++) {
      let base = (b * H + 2 * yr) * row;
      for (let yc = 0; yc < Wo; yc++, base += 2 * C) {
        for (let d = 0; d < C; d++, gi++) {
          // Scan order: (0,0), (0,1), (1,0), (1,1); '>' keeps the first of equal maxima.
          const i0 = base + d;
          const i1 = i0 + C;
          const i2 = i0 + row;
          const i3 = i2 + C;
          let at = -1;
          let best = -Infinity;
          if (x[i0] > best) { best = x[i0]; at = i0; }
          if (x[i1] > best) { best = x[i1]; at = i1; }
          if (x[i2] > best) { best = x[i2]; at = i2; }
          if (x[i3] > best) { at = i3; }
          if (at >= 0) dx[at] += g[gi]; // a window of NaN / -Infinity passes no gradient
        }
      }
    }
  }
}

function scatterGeneral(c: tf.backend_util.Conv2DInfo, x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = c;
  const rowX = W * C;
  for (let b = 0; b < B; b++) {
    const xb = b * H * rowX;
    for (let yr = 0; yr < Ho; yr++) {
      const r0 = yr * c.strideHeight - c.padInfo.top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(H, r0 + c.filterHeight);
      for (let yc = 0; yc < Wo; yc++) {
        const c0 = yc * c.strideWidth - c.padInfo.left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(W, c0 + c.filterWidth);
        const gBase = ((b * Ho + yr) * Wo + yc) * C;
        for (let d = 0; d < C; d++) {
          let best = -Infinity;
          let at = -1;
          for (let r = rMin; r < rMax; r++) {
            let i = xb + r * rowX + cMin * C + d;
            for (let cc = cMin; cc < cMax; cc++, i += C) {
              const v = x[i];
              if (v > best) { best = v; at = i; }
            }
          }
          if (at >= 0) dx[at] += g[gBase + d];
        }
      }
    }
  }
}
