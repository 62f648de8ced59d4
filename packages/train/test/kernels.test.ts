// Every wasm training kernel against the cpu backend's kernel, same inputs, random shapes.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/kernels';
import { mulberry32 } from './helpers';

type Spec = { shape: number[]; values?: Float32Array };
const rand = mulberry32(1234);
const randArr = (n: number, quantize = false) =>
  Float32Array.from({ length: n }, () => (quantize ? Math.round(rand() * 4) / 4 - 0.25 : rand() * 2 - 1));
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

async function onBoth(kernel: string, inputs: Record<string, Spec>, attrs: object): Promise<[Float32Array, Float32Array, number[]]> {
  const vals = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.values ?? randArr(size(v.shape))]));
  const out: Float32Array[] = [];
  let shape: number[] = [];
  for (const be of ['cpu', 'wasm']) {
    await tf.setBackend(be);
    const r = tf.tidy(() => {
      const ts = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(vals[k], v.shape)]));
      return tf.engine().runKernel(kernel, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
    });
    shape = r.shape;
    out.push((await r.data()) as Float32Array);
    r.dispose();
  }
  return [out[0], out[1], shape];
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let scale = 1e-6;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / scale;
}

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

const convCases: [string, number[], number[], number, 'same' | 'valid'][] = [
  ['3x3 stride 1 valid', [2, 9, 11, 3], [3, 3, 3, 4], 1, 'valid'],
  ['3x3 stride 1 same', [3, 8, 7, 2], [3, 3, 2, 5], 1, 'same'],
  ['3x3 stride 2 same (even)', [2, 10, 12, 3], [3, 3, 3, 4], 2, 'same'],
  ['3x3 stride 2 same (odd)', [2, 9, 11, 3], [3, 3, 3, 4], 2, 'same'],
  ['3x3 stride 2 valid (remainder)', [3, 10, 8, 2], [3, 3, 2, 5], 2, 'valid'],
  ['2x4 stride 3 valid', [2, 11, 13, 4], [2, 4, 4, 3], 3, 'valid'],
  ['5x5 stride 2 same, batch 1', [1, 12, 9, 4], [5, 5, 4, 2], 2, 'same'],
  ['1x1 stride 1', [4, 5, 6, 7], [1, 1, 7, 3], 1, 'valid'],
  ['thin input (im2col): 3x3x1 stride 2 same', [3, 11, 9, 1], [3, 3, 1, 4], 2, 'same'],
  ['thin input (im2col): 3x3x3 stride 1 valid', [2, 8, 9, 3], [3, 3, 3, 5], 1, 'valid'],
  ['thin input (im2col): 5x5x1 stride 3 valid', [2, 13, 12, 1], [5, 5, 1, 2], 3, 'valid'],
];

describe('Conv2DBackpropFilter (missing in wasm)', () => {
  test.each(convCases)('%s', async (_n, xs, fs, s, pad) => {
    const dyShape = tf.backend_util.computeConv2DInfo(xs as never, fs as never, s, 1, pad).outShape;
    const [cpu, wasm, shape] = await onBoth('Conv2DBackpropFilter', { x: { shape: xs }, dy: { shape: dyShape } },
      { strides: s, pad, dataFormat: 'NHWC', filterShape: fs });
    expect(shape).toEqual(fs);
    expect(maxRelErr(cpu, wasm)).toBeLessThan(1e-5);
  });
});

describe('Conv2DBackpropInput (replaced)', () => {
  test.each(convCases)('%s', async (_n, xs, fs, s, pad) => {
    const dyShape = tf.backend_util.computeConv2DInfo(xs as never, fs as never, s, 1, pad).outShape;
    const [cpu, wasm, shape] = await onBoth('Conv2DBackpropInput', { dy: { shape: dyShape }, filter: { shape: fs } },
      { strides: s, pad, dataFormat: 'NHWC', inputShape: xs });
    expect(shape).toEqual(xs);
    expect(maxRelErr(cpu, wasm)).toBeLessThan(1e-5);
  });
});

describe('MaxPoolGrad (replaced)', () => {
  const cases: [string, number[], number, number, 'same' | 'valid', boolean][] = [
    ['2x2/2 valid', [2, 8, 10, 3], 2, 2, 'valid', false],
    ['2x2/2 valid, odd size', [2, 9, 7, 3], 2, 2, 'valid', false],
    ['2x2/2 valid, many ties', [3, 8, 8, 4], 2, 2, 'valid', true],
    ['3x3/2 same, overlapping, ties', [2, 9, 10, 2], 3, 2, 'same', true],
    ['3x3/1 same', [1, 6, 5, 3], 3, 1, 'same', false],
    ['2x2/2 valid, NaN and -Infinity windows', [2, 6, 6, 2], 2, 2, 'valid', true],
  ];
  test.each(cases)('%s', async (_n, xs, f, s, pad, ties) => {
    const x = randArr(size(xs), ties);
    if (_n.includes('NaN')) x.forEach((_, i) => { if (i % 7 === 0) x[i] = NaN; if (i % 11 === 0) x[i] = -Infinity; });
    // The forward output is an input of the kernel; take it from the cpu backend.
    await tf.setBackend('cpu');
    const y = tf.maxPool(tf.tensor4d(x, xs as never), f, s, pad);
    const yv = (await y.data()) as Float32Array;
    const [cpu, wasm] = await onBoth('MaxPoolGrad',
      { dy: { shape: y.shape }, input: { shape: xs, values: x }, output: { shape: y.shape, values: yv } },
      { filterSize: f, strides: s, pad });
    expect(maxRelErr(cpu, wasm)).toBeLessThan(1e-6);
  });
});

describe('Tile, Sum, Mean, BatchMatMul (replaced)', () => {
  test.each([[[1, 1, 1, 5], [3, 4, 2, 1]], [[2, 3], [2, 2]], [[4, 1, 3], [1, 5, 2]], [[3], [4]], [[2, 1], [1, 0]]])(
    'Tile %j x %j', async (xs, reps) => {
      const [cpu, wasm, shape] = await onBoth('Tile', { x: { shape: xs } }, { reps });
      expect(shape).toEqual(xs.map((s, i) => s * reps[i]));
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
    });
  test.each([
    ['Sum', [4, 5, 6, 3], [0, 1, 2], false], ['Sum', [4, 5, 6, 3], [0, 1, 2], true], ['Mean', [4, 5, 6, 3], [0, 1, 2], false],
    ['Mean', [7, 3], 0, true], ['Sum', [4, 5, 6], [1, 2], false], ['Sum', [3, 5, 4, 19], [0, 1, 2], false],
    ['Mean', [6, 7, 24], [0, 1], false], ['Sum', [4, 5, 6], [2, 0], false], ['Mean', [4, 5], [0, 1], false],
  ])('%s %j over %j keepDims=%s', async (k, xs, axis, keepDims) => {
    const [cpu, wasm, shape] = await onBoth(k as string, { x: { shape: xs as number[] } }, { axis, keepDims });
    const ref = tf.tidy(() => tf.zeros(xs as number[]).sum(axis as number[], keepDims as boolean).shape);
    expect(shape).toEqual(ref);
    expect(maxRelErr(cpu, wasm)).toBeLessThan(1e-5);
  });
  test.each([[false, false], [true, false], [false, true], [true, true]])('BatchMatMul transposeA=%s transposeB=%s',
    async (ta, tb) => {
      const [m, k, n] = [7, 33, 5];
      const a = ta ? [1, k, m] : [1, m, k];
      const b = tb ? [1, n, k] : [1, k, n];
      const [cpu, wasm, shape] = await onBoth('BatchMatMul', { a: { shape: a }, b: { shape: b } }, { transposeA: ta, transposeB: tb });
      expect(shape).toEqual([1, m, n]);
      expect(maxRelErr(cpu, wasm)).toBeLessThan(1e-5);
    });
});

test('the replacements leak no wasm memory', async () => {
  await tf.setBackend('wasm');
  const run = () => tf.tidy(() => {
    const x = tf.randomNormal([2, 9, 9, 3]);
    const f = tf.randomNormal([3, 3, 3, 4]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), 2, 2, 'valid').sum());
    return g([x, f]).map((t) => t.sum()).reduce((p, q) => p.add(q));
  });
  const backend = tf.backend() as unknown as { numDataIds(): number };
  run().dispose();
  const tensors = tf.memory().numTensors;
  const buffers = backend.numDataIds(); // counts kernel-internal intermediates too
  for (let i = 0; i < 5; i++) run().dispose();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(backend.numDataIds()).toBe(buffers);
});
