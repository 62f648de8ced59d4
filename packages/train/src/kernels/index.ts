// Training kernels for the wasm backend: the one it lacks (Conv2DBackpropFilter) and replacements for
// shipped kernels that are too slow to train with (each checked against the cpu backend in test/kernels).
import * as tf from '@tensorflow/tfjs';
import { batchMatMulWasm } from './batch-mat-mul';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input';
import { identityWasm } from './identity';
import { maxPoolGradWasm } from './max-pool-grad';
import { meanWasm, sumWasm } from './reduce';
import { tileWasm } from './tile';
import { KernelArgs, rememberOriginal } from './wasm-util';

export const WASM_TRAINING_KERNELS: Record<string, (args: KernelArgs) => tf.TensorInfo> = {
  Conv2DBackpropFilter: conv2dBackpropFilterWasm,
  Conv2DBackpropInput: conv2dBackpropInputWasm,
  MaxPoolGrad: maxPoolGradWasm,
  Tile: tileWasm,
  Sum: sumWasm,
  Mean: meanWasm,
  BatchMatMul: batchMatMulWasm,
  Identity: identityWasm,
};

let registered = false;

/**
 * Registers the kernels above for 'wasm' (idempotent). `only` limits it to some kernel names
 * (benchmarks compare against the shipped ones this way). Call after importing @tensorflow/tfjs-backend-wasm.
 */
export function registerWasmTrainingKernels(only?: readonly string[]): string[] {
  if (registered) return Object.keys(WASM_TRAINING_KERNELS);
  const names = Object.keys(WASM_TRAINING_KERNELS).filter((n) => !only || only.includes(n));
  for (const name of names) {
    const original = rememberOriginal(name);
    if (original) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: WASM_TRAINING_KERNELS[name] as unknown as tf.KernelFunc,
      // The replacements delegate to the shipped kernels, which need their own set-up to have run.
      setupFunc: original?.setupFunc,
      disposeFunc: original?.disposeFunc,
    });
  }
  registered = only === undefined;
  return names;
}

/** Puts the shipped kernels back (for benchmarks that measure the baseline in the same process). */
export function unregisterWasmTrainingKernels(): void {
  for (const name of Object.keys(WASM_TRAINING_KERNELS)) {
    const original = rememberOriginal(name);
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    if (original) tf.registerKernel(original);
  }
  registered = false;
}
