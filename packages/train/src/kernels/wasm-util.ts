// Helpers for kernels that compose the wasm backend's own kernels or work directly on its heap.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Info = tf.TensorInfo;
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/** The original wasm kernels, captured before we replace some of them (so replacements can delegate). */
const originals = new Map<string, tf.KernelConfig | null>();

/** Captures the shipped kernel on first call (null when the backend has none); later calls return the same. */
export function rememberOriginal(name: string): tf.KernelConfig | undefined {
  if (!originals.has(name)) originals.set(name, tf.getKernel(name, 'wasm') ?? null);
  return originals.get(name) ?? undefined;
}

export function originalKernel(name: string): tf.KernelConfig {
  const k = originals.has(name) ? originals.get(name) : tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm backend has no ${name} kernel`);
  return k;
}

/** Runs a wasm kernel (the backend's original implementation) on TensorInfos; the caller owns the result. */
export function run(name: string, backend: BackendWasm, inputs: Record<string, Info>, attrs: object = {}): Info {
  return originalKernel(name).kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

/** Releases intermediates (a Reshape output only drops its reference to the shared buffer). */
export function disposeAll(backend: BackendWasm, temps: Info[]): void {
  for (const t of temps) backend.disposeData(t.dataId);
}

/** A float32 view of a tensor on the wasm heap. Re-take views after any allocation (the heap may grow). */
export function heapF32(backend: BackendWasm, t: Info): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
