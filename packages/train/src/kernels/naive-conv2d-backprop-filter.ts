// Baseline only (benchmarks): Conv2DBackpropFilter for wasm as a direct JavaScript loop over the heap,
// what one writes first. melguard registers the convolution-based kernel instead (~50x faster).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Conv2DBackpropFilterAttrs } from './conv2d-backprop-filter';
import { heapF32, Info, KernelArgs } from './wasm-util';

export function naiveConv2dBackpropFilterWasm({ inputs, backend: be, attrs }: KernelArgs): Info {
  const backend = be as BackendWasm;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const c = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const out = backend.makeOutput(filterShape, 'float32');
  const xv = heapF32(backend, x);
  const g = heapF32(backend, dy);
  const dw = heapF32(backend, out);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: HO, outWidth: WO, outChannels: CO } = c;
  for (let kh = 0; kh < c.filterHeight; kh++) {
    for (let kw = 0; kw < c.filterWidth; kw++) {
      for (let ci = 0; ci < CI; ci++) {
        for (let co = 0; co < CO; co++) {
          let s = 0;
          for (let b = 0; b < B; b++) {
            for (let i = 0; i < HO; i++) {
              const r = i * c.strideHeight + kh - c.padInfo.top;
              if (r < 0 || r >= H) continue;
              for (let j = 0; j < WO; j++) {
                const q = j * c.strideWidth + kw - c.padInfo.left;
                if (q < 0 || q >= W) continue;
                s += xv[((b * H + r) * W + q) * CI + ci] * g[((b * HO + i) * WO + j) * CO + co];
              }
            }
          }
          dw[((kh * c.filterWidth + kw) * CI + ci) * CO + co] = s;
        }
      }
    }
  }
  return out;
}
