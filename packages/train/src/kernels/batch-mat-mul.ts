// BatchMatMul for the wasm backend: only a single non-transposed product reaches XNNPACK (~20 GFLOP/s);
// transposed operands (every Dense gradient) fall to a scalar loop (~1.5 GFLOP/s). Transposing the
// operand first costs one copy and keeps the product on the fast path.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeAll, Info, KernelArgs, originalKernel, run } from './wasm-util';

export function batchMatMulWasm(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { a, b } = args.inputs as { a: Info; b: Info };
  const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const batched = a.shape.slice(0, -2).some((s) => s !== 1) || b.shape.slice(0, -2).some((s) => s !== 1);
  if ((!transposeA && !transposeB) || batched || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return originalKernel('BatchMatMul').kernelFunc(args as never) as Info;
  }
  const temps: Info[] = [];
  const canonical = (t: Info, transpose: boolean): Info => {
    if (!transpose) return t;
    const r = t.shape.length;
    const perm = [...Array(r - 2).keys(), r - 1, r - 2];
    const out = run('Transpose', backend, { x: t }, { perm });
    temps.push(out);
    return out;
  };
  const out = run('BatchMatMul', backend, { a: canonical(a, transposeA), b: canonical(b, transposeB) },
    { transposeA: false, transposeB: false });
  disposeAll(backend, temps);
  return out;
}
