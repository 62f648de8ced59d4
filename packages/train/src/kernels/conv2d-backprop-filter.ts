// Conv2DBackpropFilter for the wasm backend, which does not ship one (tfjs 4.22).
// dW[kh,kw,ci,co] = sum_{b,i,j} xPad[b, i*s+kh, j*s+kw, ci] * dy[b,i,j,co] is itself a convolution:
// input x transposed to [ci, H, W, b], filter dy transposed to [Ho, Wo, b, co], the forward stride
// becoming the dilation and the forward padding an explicit padding. The native (XNNPACK) Conv2D does the work.
// For thin inputs (a first layer: kh*kw*ci <= 32) that convolution has only kh*kw*ci output pixels and runs
// badly; there the patches are gathered in JS (im2col, [N, kh*kw*ci]) and dW^T = dy^T . patches is one matmul.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeAll, heapF32, Info, KernelArgs, run } from './wasm-util';

/** Largest kh*kw*ci that takes the im2col path (mutable for benchmarks). */
export const IM2COL = { maxPatch: 32 };

export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2dBackpropFilterWasm({ inputs, backend: be, attrs }: KernelArgs): Info {
  const backend = be as BackendWasm;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  if (filterHeight * filterWidth * inChannels <= IM2COL.maxPatch) return viaIm2col(backend, x, dy, info);
  // Extent of the padded input that the forward convolution read; anything beyond it is cropped.
  const needH = (outHeight - 1) * strideHeight + filterHeight;
  const needW = (outWidth - 1) * strideWidth + filterWidth;
  const bottom = needH - top - inHeight;
  const right = needW - left - inWidth;
  const temps: Info[] = [];
  let xs: Info = x;
  if (bottom < 0 || right < 0) {
    xs = run('Slice', backend, { x }, {
      begin: [0, 0, 0, 0], size: [batchSize, Math.min(inHeight, needH - top), Math.min(inWidth, needW - left), inChannels] });
    temps.push(xs);
  }
  const xT = run('Transpose', backend, { x: xs }, { perm: [3, 1, 2, 0] }); // [ci, H, W, b]
  const dyT = run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] }); // [Ho, Wo, b, co]
  temps.push(xT, dyT);
  const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
  const conv = run('Conv2D', backend, { x: xT, filter: dyT }, {
    strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [strideHeight, strideWidth] }); // [ci, kh, kw, co]
  temps.push(conv);
  const out = run('Transpose', backend, { x: conv }, { perm: [1, 2, 0, 3] }); // [kh, kw, ci, co]
  disposeAll(backend, temps);
  return out;
}

function viaIm2col(backend: BackendWasm, x: Info, dy: Info, c: tf.backend_util.Conv2DInfo): Info {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: HO, outWidth: WO, outChannels: CO } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = c;
  const K = KH * KW * CI;
  const N = B * HO * WO;
  const patches = backend.makeOutput([N, K], 'float32');
  const xv = heapF32(backend, x);
  const p = heapF32(backend, patches);
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < HO; i++) {
      const r0 = i * sh - c.padInfo.top;
      for (let j = 0; j < WO; j++) {
        const q0 = j * sw - c.padInfo.left;
        for (let kh = 0; kh < KH; kh++) {
          const r = r0 + kh;
          const rowOk = r >= 0 && r < H;
          for (let kw = 0; kw < KW; kw++) {
            const q = q0 + kw;
            if (rowOk && q >= 0 && q < W) {
              const src = ((b * H + r) * W + q) * CI;
              for (let ci = 0; ci < CI; ci++) p[o++] = xv[src + ci];
            } else {
              for (let ci = 0; ci < CI; ci++) p[o++] = 0;
            }
          }
        }
      }
    }
  }
  const dy2 = run('Reshape', backend, { x: dy }, { shape: [N, CO] });
  const dyT = run('Transpose', backend, { x: dy2 }, { perm: [1, 0] }); // [CO, N]
  const prod = run('BatchMatMul', backend, { a: dyT, b: patches }, { transposeA: false, transposeB: false }); // [1, CO, K]
  const prod2 = run('Reshape', backend, { x: prod }, { shape: [CO, K] });
  const dwT = run('Transpose', backend, { x: prod2 }, { perm: [1, 0] }); // [K, CO] = [kh, kw, ci, co]
  const out = run('Reshape', backend, { x: dwT }, { shape: [KH, KW, CI, CO] });
  disposeAll(backend, [patches, dy2, dyT, prod, prod2, dwT]);
  return out;
}
