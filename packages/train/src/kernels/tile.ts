// Tile for the wasm backend: the shipped kernel computes every output index separately (~0.8 s to
// broadcast a [1,1,1,24] vector over a 6M-element batch-norm activation). This one copies blocks.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Info, KernelArgs, originalKernel } from './wasm-util';

type Arr = Float32Array | Int32Array | Uint8Array;

export function tileWasm(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { x } = args.inputs as { x: Info };
  const { reps } = args.attrs as unknown as { reps: number[] };
  if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length === 0) {
    return originalKernel('Tile').kernelFunc(args as never) as Info;
  }
  const rank = x.shape.length;
  const outShape = x.shape.map((s, i) => s * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x) as Arr;
  const dst = backend.typedArrayFromHeap(out) as Arr;
  if (dst.length === 0) return out;
  // outBlock[d] = elements of the output below axis d; inBlock[d] likewise for the input.
  const outBlock = new Array<number>(rank + 1).fill(1);
  const inBlock = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) {
    outBlock[d] = outBlock[d + 1] * outShape[d];
    inBlock[d] = inBlock[d + 1] * x.shape[d];
  }
  const fill = (d: number, inOff: number, outOff: number): void => {
    const n = x.shape[d];
    if (d === rank - 1) {
      if (n === 1) { dst.fill(src[inOff], outOff, outOff + reps[d]); return; }
      dst.set(src.subarray(inOff, inOff + n), outOff);
    } else {
      for (let i = 0; i < n; i++) fill(d + 1, inOff + i * inBlock[d + 1], outOff + i * outBlock[d + 1]);
    }
    // Replicate the filled first copy, doubling the copied span each time.
    const span = n * outBlock[d + 1];
    const total = span * reps[d];
    for (let have = span; have < total; have *= 2) {
      dst.copyWithin(outOff + have, outOff, outOff + Math.min(have, total - have));
    }
  };
  fill(0, 0, 0);
  return out;
}
