// `melguard bench train`: training throughput of a model on random inputs (the numbers do not matter, the
// kernels do), on the backend training would use. Optionally the same steps with the wasm backend's shipped
// kernels plus a naive JavaScript Conv2DBackpropFilter, measured in the same process, as a baseline.
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from './backend';
import { TrainError } from './errors';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './kernels';
import { naiveConv2dBackpropFilterWasm } from './kernels/naive-conv2d-backprop-filter';
import { buildModel, prepareForTraining, type ModelName } from './models';
import { Rng } from './rng';

export interface BenchTrainOptions {
  model: ModelName;
  /** Default 32. */
  batchSize?: number;
  /** Timed steps after one warm-up step. Default 5. */
  steps?: number;
  /** Also time the wasm backend without melguard's kernels (a naive JS filter gradient instead). Slow. */
  baseline?: boolean;
  backend?: BackendName;
  log?: ((line: string) => void) | null;
}

export interface BenchTrainResult {
  backend: string;
  model: ModelName;
  batch_size: number;
  steps: number;
  samples_per_s: number;
  ms_per_step: number;
  /** Forward pass only (inference mode), same batch. */
  inference_samples_per_s: number;
  baseline?: { kernels: string; samples_per_s: number; ms_per_step: number; speedup: number };
}

async function timeSteps(model: ModelName, batchSize: number, steps: number): Promise<{ train: number; infer: number }> {
  const m = buildModel(model, { seed: 1 });
  prepareForTraining(m);
  const rng = new Rng(1);
  const shape = m.inputs[0].shape.slice(1) as number[];
  const x = tf.tensor(Float32Array.from({ length: batchSize * shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1), [batchSize, ...shape]);
  const y = tf.tensor2d(Float32Array.from({ length: batchSize }, (_, i) => i % 2), [batchSize, 1]);
  const opt = tf.train.adam(1e-3);
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const loss = tf.tidy(() => opt.minimize(() => tf.losses.logLoss(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true, vars)!);
    loss.dataSync();
    loss.dispose();
  };
  try {
    step();
    let t = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) step();
    const train = Number(process.hrtime.bigint() - t) / 1e9;
    tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync());
    t = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync());
    const infer = Number(process.hrtime.bigint() - t) / 1e9;
    return { train: train / steps, infer: infer / steps };
  } finally {
    tf.dispose([x, y]);
    opt.dispose();
    m.dispose();
  }
}

export async function benchTrain(opts: BenchTrainOptions): Promise<BenchTrainResult> {
  const batchSize = opts.batchSize ?? 32;
  const steps = opts.steps ?? 5;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TrainError('E_BAD_OPTION', `batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(steps) || steps < 1) throw new TrainError('E_BAD_OPTION', `steps must be a positive integer, got ${steps}`);
  const backend = await initBackend({ backend: opts.backend, log: opts.log });
  const t = await timeSteps(opts.model, batchSize, steps);
  const result: BenchTrainResult = {
    backend: backend.description, model: opts.model, batch_size: batchSize, steps,
    samples_per_s: batchSize / t.train, ms_per_step: 1000 * t.train, inference_samples_per_s: batchSize / t.infer,
  };
  if (opts.baseline) {
    if (backend.name !== 'wasm') throw new TrainError('E_BAD_OPTION', 'the baseline compares wasm kernels; it needs the wasm backend');
    unregisterWasmTrainingKernels();
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: naiveConv2dBackpropFilterWasm as unknown as tf.KernelFunc });
    try {
      const b = await timeSteps(opts.model, batchSize, steps);
      result.baseline = {
        kernels: 'shipped wasm kernels + naive JS Conv2DBackpropFilter',
        samples_per_s: batchSize / b.train, ms_per_step: 1000 * b.train, speedup: b.train / t.train,
      };
    } finally {
      tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
      registerWasmTrainingKernels();
    }
  }
  return result;
}
