// `melguard bench train`: training throughput of a model on random inputs (the numbers do not matter, the
// kernels do), on the backend training would use. Optionally the same steps with the wasm backend's shipped
// kernels plus a naive JavaScript Conv2DBackpropFilter, measured in the same process, as a baseline.
import { expectedShape, resolveWindowing } from '@melguard/corpus';
import { presets } from '@melguard/dsp';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from './backend';
import { TrainError } from './errors';
import { registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './kernels';
import { naiveConv2dBackpropFilterWasm } from './kernels/naive-conv2d-backprop-filter';
import { buildModel, prepareForTraining, recipeFor, type ModelName } from './models';
import { Rng } from './rng';

export interface BenchTrainOptions {
  model: ModelName;
  /** Features of the default model's input: speech16k (80 mels, default) or stft16k (257 linear bins). */
  preset?: DefaultPreset;
  /** Default 32. */
  batchSize?: number;
  /** Timed steps after one warm-up step. Default 5. */
  steps?: number;
  /** Also time the wasm backend without melguard's kernels (a naive JS filter gradient instead). Slow. */
  baseline?: boolean;
  backend?: BackendName;
  log?: ((line: string) => void) | null;
}

export type DefaultPreset = 'speech16k' | 'stft16k';

export interface BenchTrainResult {
  backend: string;
  model: ModelName;
  /** The input's feature preset and shape (without the batch). */
  preset: string;
  input_shape: number[];
  batch_size: number;
  steps: number;
  samples_per_s: number;
  ms_per_step: number;
  /** Forward pass only (inference mode), same batch. */
  inference_samples_per_s: number;
  baseline?: { kernels: string; samples_per_s: number; ms_per_step: number; speedup: number };
}

/** The default model's input for one window of the preset (its default windowing, as a feature store cuts it); the seed model's is fixed. */
function inputShapeOf(model: ModelName, preset: DefaultPreset): [number, number, number] | undefined {
  if (model === 'seed') return undefined;
  const [bins, frames] = expectedShape(presets[preset], resolveWindowing(undefined, preset));
  return recipeFor(model).inputShape(bins, frames);
}

async function timeSteps(model: ModelName, inputShape: [number, number, number] | undefined, batchSize: number, steps: number): Promise<{ train: number; infer: number; shape: number[] }> {
  const m = buildModel(model, { seed: 1, ...(inputShape ? { inputShape } : {}) });
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
    return { train: train / steps, infer: infer / steps, shape };
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
  const preset = opts.preset ?? 'speech16k';
  if (preset !== 'speech16k' && preset !== 'stft16k') throw new TrainError('E_BAD_OPTION', `preset must be speech16k or stft16k, got ${String(preset)}`);
  if (opts.model === 'seed' && opts.preset !== undefined && opts.preset !== 'speech16k') {
    throw new TrainError('E_BAD_OPTION', 'the seed model has one input (the seed preset image); preset applies to the default model');
  }
  const inputShape = inputShapeOf(opts.model, preset);
  const backend = await initBackend({ backend: opts.backend, log: opts.log });
  const t = await timeSteps(opts.model, inputShape, batchSize, steps);
  const result: BenchTrainResult = {
    backend: backend.description, model: opts.model, preset: opts.model === 'seed' ? 'seed' : preset, input_shape: t.shape, batch_size: batchSize, steps,
    samples_per_s: batchSize / t.train, ms_per_step: 1000 * t.train, inference_samples_per_s: batchSize / t.infer,
  };
  if (opts.baseline) {
    if (backend.name !== 'wasm') throw new TrainError('E_BAD_OPTION', 'the baseline compares wasm kernels; it needs the wasm backend');
    unregisterWasmTrainingKernels();
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: naiveConv2dBackpropFilterWasm as unknown as tf.KernelFunc });
    try {
      const b = await timeSteps(opts.model, inputShape, batchSize, steps);
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
