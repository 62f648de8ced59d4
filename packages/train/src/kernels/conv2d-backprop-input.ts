// Conv2DBackpropInput for the wasm backend: the shipped kernel is a scalar loop (~1 GFLOP/s); this one
// runs it as a forward convolution in XNNPACK: dy dilated by the stride (zeros inserted), padded by
// (kernel - 1 - forward padding), convolved with the filter rotated 180 degrees and with in/out swapped.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeAll, Info, KernelArgs, run } from './wasm-util';

export function conv2dBackpropInputWasm({ inputs, backend: be, attrs }: KernelArgs): Info {
  const backend = be as BackendWasm;
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number; pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput (wasm): only NHWC is supported');
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const temps: Info[] = [];
  // 1. Dilate: [B,Ho,Wo,co] -> [B,Ho,1,Wo,1,co] -> pad -> [B,Ho,sh,Wo,sw,co] -> [B,Ho*sh,Wo*sw,co].
  let d: Info = dy;
  if (sh > 1 || sw > 1) {
    const r6 = run('Reshape', backend, { x: dy }, { shape: [batchSize, outHeight, 1, outWidth, 1, outChannels] });
    const p6 = run('PadV2', backend, { x: r6 }, {
      paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    d = run('Reshape', backend, { x: p6 }, { shape: [batchSize, outHeight * sh, outWidth * sw, outChannels] });
    temps.push(r6, p6, d);
  }
  // 2. Padding so that output row h sees dilated rows h + top - (kh-1) .. h + top.
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  const dh = outHeight * sh;
  const dw = outWidth * sw;
  const padBottom = inHeight + kh - 1 - padTop - dh;
  const padRight = inWidth + kw - 1 - padLeft - dw;
  if (padTop < 0 || padLeft < 0) throw new Error('Conv2DBackpropInput (wasm): padding larger than the kernel is not supported');
  if (padBottom < 0 || padRight < 0) {
    const cropped = run('Slice', backend, { x: d }, {
      begin: [0, 0, 0, 0], size: [batchSize, dh + Math.min(padBottom, 0), dw + Math.min(padRight, 0), outChannels] });
    temps.push(cropped);
    d = cropped;
  }
  // 3. Filter [kh,kw,ci,co] -> rotated and transposed [kh,kw,co,ci].
  const rev = run('Reverse', backend, { x: filter }, { dims: [0, 1] });
  const fT = run('Transpose', backend, { x: rev }, { perm: [0, 1, 3, 2] });
  temps.push(rev, fT);
  const out = run('Conv2D', backend, { x: d, filter: fT }, {
    strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
    pad: [[0, 0], [padTop, Math.max(padBottom, 0)], [padLeft, Math.max(padRight, 0)], [0, 0]] });
  disposeAll(backend, temps);
  return out;
}
