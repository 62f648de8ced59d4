// Identity for the wasm backend: the shipped kernel copies the buffer, and tfjs clones every tensor it saves
// for backprop through Identity (~400 copies per training step of the default model). Tensors are immutable
// (variables swap buffers on assign), so - as the cpu backend does - the output can share the input's buffer.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { Info, KernelArgs, originalKernel } from './wasm-util';

export function identityWasm(args: KernelArgs): Info {
  const { x } = args.inputs as { x: Info };
  if (x.dtype === 'string') return originalKernel('Identity').kernelFunc(args as never) as Info;
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
