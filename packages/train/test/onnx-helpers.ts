// Shared by the ONNX tests: metadata for the two presets, seeded weights, real spectrogram fixtures,
// and running the same batch through tfjs (NHWC) and ONNX Runtime (NCHW).
import { MODEL_FORMAT, toModelInput, type ModelInputSpec, type ModelMetadata, type SpectrogramOptions } from '@melguard/dsp';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import type * as OrtModule from 'onnxruntime-node';

// Jest runs each test file in its own realm, but onnxruntime-node's addon returns typed arrays of Node's main
// realm, which fail onnxruntime-common's `data instanceof Float32Array` check ("A float32 tensor's data must be
// type of function Float32Array()"). onnxruntime-common captures the typed-array constructors when it loads, so
// load it while the globals point at the main realm's, then restore them; inputs are then passed as main-realm
// arrays. (A jest environment sharing the typed-array globals would make this unnecessary.)
const TYPED_ARRAYS = ['Float32Array', 'Float64Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];
function loadOrtWithMainRealmArrays(): typeof OrtModule {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = TYPED_ARRAYS.map((name) => g[name]);
  TYPED_ARRAYS.forEach((name) => (g[name] = runInThisContext(name)));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('onnxruntime-node') as typeof OrtModule;
  } finally {
    TYPED_ARRAYS.forEach((name, i) => (g[name] = saved[i]));
  }
}
const ort = loadOrtWithMainRealmArrays();
const MainFloat32Array = runInThisContext('Float32Array') as Float32ArrayConstructor;

export const SPEECH16K: SpectrogramOptions = {
  sr: 16000, nFft: 512, hopLength: 160, winLength: 400, window: 'hann', center: true, padMode: 'constant', power: 2,
  nMels: 80, fMin: 20, fMax: 8000, htk: false, norm: 'slaney', scale: 'db', ref: 'max', amin: 1e-10, topDb: 80,
};

export const SEED: SpectrogramOptions = {
  ...SPEECH16K, sr: 22050, nFft: 2048, hopLength: 512, winLength: 2048, nMels: 128, fMin: 0, fMax: 11025,
};

/** The default-model input: a 4 s speech16k window, dB mapped to about [-1, 1]: [1, 80, 401]. */
export function defaultSpec(): ModelInputSpec {
  return {
    features: SPEECH16K,
    windowing: { windowSeconds: 4, hopSeconds: 2, minSeconds: 0.5 },
    transform: { kind: 'affine', scale: 1 / 40, offset: 1 },
    inputName: 'logmel',
    shape: [1, 80, 401],
    outputName: 'p_fake',
  };
}

/** The seed project's input: first 3 s, viridis image resized to 128 x 128: [3, 128, 128]. */
export function seedSpec(): ModelInputSpec {
  return {
    features: SEED,
    windowing: { windowSeconds: 3, hopSeconds: 3, minSeconds: 0 },
    transform: { kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [128, 128] },
    inputName: 'image',
    shape: [3, 128, 128],
    outputName: 'p_fake',
  };
}

/** A metadata record for an arbitrary [C, H, W] test model (affine transform). */
export function metadataFor(shape: [number, number, number], overrides: Partial<ModelMetadata> = {}): ModelMetadata {
  return {
    format: MODEL_FORMAT,
    name: 'test-model',
    version: '0.0.1',
    input: { ...defaultSpec(), shape },
    labels: ['real', 'fake'],
    threshold: 0.5,
    training: { preset: 'speech16k', note: 'test' },
    ...overrides,
  };
}

export function metadataWith(input: ModelInputSpec, name: string): ModelMetadata {
  return { ...metadataFor(input.shape, { name }), input, training: { preset: name === 'seed' ? 'seed' : 'speech16k' } };
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded weights everywhere, with non-trivial batch-norm statistics (gamma, beta, moving mean and variance all
 * far from their 1/0 initial values) so a wrong fold or a skipped BN shows up in the output.
 */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rand = mulberry32(seed);
  const uniform = (n: number, lo: number, hi: number): Float32Array => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
  const values = model.weights.map((w) => {
    const name = w.originalName ?? w.name;
    const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const key = name.slice(name.lastIndexOf('/') + 1);
    let v: Float32Array;
    if (key === 'gamma') v = uniform(n, 0.5, 1.5);
    else if (key === 'beta') v = uniform(n, -0.5, 0.5);
    else if (key === 'moving_mean') v = uniform(n, -0.5, 0.5);
    else if (key === 'moving_variance') v = uniform(n, 0.3, 2);
    else if (key === 'bias') v = uniform(n, -0.1, 0.1);
    else {
      // He-uniform on the fan-in (all kernel dims but the last), so activations stay O(1) through ReLU stacks.
      const shape = w.shape as number[];
      const fanIn = key === 'depthwise_kernel' ? shape[0] * shape[1] : shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const a = Math.sqrt(6 / fanIn);
      v = uniform(n, -a, a);
    }
    return tf.tensor(v, w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/** Random batch, NCHW: uniform noise with a per-item random level and contrast, so items differ as a whole. */
export function randomBatch(n: number, [c, h, w]: readonly number[], seed: number): Float32Array {
  const rand = mulberry32(seed);
  const size = c * h * w;
  const out = new Float32Array(n * size);
  for (let k = 0; k < n; k++) {
    const level = rand() - 0.5;
    const contrast = 0.2 + 1.3 * rand();
    for (let i = 0; i < size; i++) out[k * size + i] = level + contrast * rand();
  }
  return out;
}

function readSpectrogramFixture(file: string, bins: number, frames: number): Float32Array {
  const buf = readFileSync(join(__dirname, 'fixtures', 'onnx', file));
  const q = new Uint16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (q.length !== bins * frames) throw new Error(`${file}: ${q.length} values, expected ${bins}x${frames}`);
  return Float32Array.from(q, (v) => v / 800 - 80);
}

/**
 * n real-speech model inputs (NCHW) for a spec: the real window, then variants a pipeline really sees
 * (time shifts, level changes, a noise floor), each through the spec's own transform (dsp.toModelInput).
 */
export function realBatch(spec: ModelInputSpec, n: number, seed: number): Float32Array {
  const seedPreset = spec.transform.kind === 'image';
  const [bins, frames] = seedPreset ? [128, 130] : [80, 401];
  const base = readSpectrogramFixture(seedPreset ? 'speech22k-seed-128x130.u16' : 'speech16k-logmel-80x401.u16', bins, frames);
  const rand = mulberry32(seed);
  const size = spec.shape[0] * spec.shape[1] * spec.shape[2];
  const out = new Float32Array(n * size);
  for (let k = 0; k < n; k++) {
    const shift = k === 0 ? 0 : Math.floor(rand() * frames);
    const gain = k === 0 ? 0 : -20 * rand();
    const noise = k % 2 === 0 ? 0 : 3;
    const win = new Float32Array(bins * frames);
    for (let b = 0; b < bins; b++)
      for (let f = 0; f < frames; f++) {
        const v = base[b * frames + ((f + shift) % frames)] + gain + noise * (rand() - 0.5);
        win[b * frames + f] = Math.max(-80, Math.min(0, v));
      }
    toModelInput(win, bins, frames, spec, out, k * size);
  }
  return out;
}

export function nchwToNhwc(data: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((i * h + y) * w + x) * c + ch] = data[((i * c + ch) * h + y) * w + x];
  return out;
}

/** tfjs prediction (inference mode) of an NCHW batch. */
export function predictTf(model: tf.LayersModel, nchw: Float32Array, dims: readonly number[]): Float32Array {
  const [n, c, h, w] = dims;
  return tf.tidy(() => {
    const x = tf.tensor4d(nchwToNhwc(nchw, dims), [n, h, w, c]);
    return Float32Array.from((model.predict(x) as tf.Tensor).dataSync());
  });
}

export type OrtSession = OrtModule.InferenceSession;

export async function ortSession(model: Uint8Array | string, optimization: 'all' | 'disabled' = 'all'): Promise<OrtSession> {
  const options: OrtModule.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: optimization };
  if (typeof model === 'string') return ort.InferenceSession.create(model, options);
  return ort.InferenceSession.create(Buffer.from(model.buffer, model.byteOffset, model.byteLength), options);
}

export async function predictOrt(session: OrtSession, nchw: Float32Array, dims: readonly number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new MainFloat32Array(nchw), [...dims]) });
  const t = out[session.outputNames[0]];
  return { data: t.data as Float32Array, dims: t.dims };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Rescales the final Dense (the one before the sigmoid) so the logits on `calibration` have mean 0 and std
 * `targetStd`: with random weights the outputs otherwise bunch up on a flat part of the sigmoid, where even a
 * wrong graph would pass a 1e-4 tolerance.
 */
export function calibrateOutput(model: tf.LayersModel, calibration: Float32Array, dims: readonly number[], targetStd = 2): void {
  const p = predictTf(model, calibration, dims);
  const z = Array.from(p, (v) => Math.log(v / (1 - v)));
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const std = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length);
  // One item: only centre it. Capped so the float32 error of the logits is not blown up past the tolerance.
  const scale = z.length > 1 ? Math.min(50, targetStd / Math.max(std, 1e-6)) : 1;
  const dense = [...model.layers].reverse().find((l) => l.getClassName() === 'Dense');
  if (!dense) throw new Error('no Dense layer to calibrate');
  const [kernel, bias] = dense.getWeights();
  const next = [tf.mul(kernel, scale), tf.mul(tf.sub(bias, mean), scale)];
  dense.setWeights(next);
  tf.dispose(next);
}

/** Guards the parity tests against vacuous passes: outputs spread over the steep part of the sigmoid. */
export function expectInformativeOutputs(p: ArrayLike<number>): void {
  const values = Array.from(p);
  const steep = values.filter((v) => v > 0.05 && v < 0.95).length;
  const spread = Math.max(...values) - Math.min(...values);
  if (steep === 0 || (values.length > 1 && spread < 0.05)) {
    throw new Error(`outputs are not informative: ${values.map((v) => v.toFixed(4)).join(', ')}`);
  }
}

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** The wasm backend (XNNPACK): ~60x faster than 'cpu' on the seed CNN, which keeps the parity suite short. */
export async function useWasmBackend(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to initialise');
  await tf.ready();
}
