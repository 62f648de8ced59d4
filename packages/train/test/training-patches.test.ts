// The training speed patches change no numbers: a patched model and an unpatched twin (same weights) give
// the same outputs, gradients and batch-norm statistics; inference is untouched.
import * as tf from '@tensorflow/tfjs';
import { buildDefaultModel, fastBatchNormTraining, initBackend, unfuseLinearConvs } from '../src';
import { mulberry32 } from './helpers';

beforeAll(() => initBackend({ backend: 'wasm', log: null }));

const arch = { stem: 8, stemPool: true, stages: [12, 16], convsPerStage: 1, head: 'freq' as const, dropout: 0 };

function twins() {
  const a = buildDefaultModel(3, [16, 40, 1], arch);
  const b = buildDefaultModel(3, [16, 40, 1], arch);
  return { a, b };
}

function run(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.losses.logLoss(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
  const out = {
    loss: value.dataSync()[0],
    grads: vars.map((v) => Array.from(grads[v.name].dataSync())),
    stats: model.weights.filter((w) => !w.trainable).map((w) => Array.from(w.read().dataSync())),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

const maxDiff = (p: number[][], q: number[][]) => Math.max(...p.map((r, i) => Math.max(...r.map((v, j) => Math.abs(v - q[i][j]) / (1e-3 + Math.abs(v))))));

test('patched and unpatched twins agree on loss, every gradient and the moving statistics', () => {
  const { a, b } = twins();
  expect(unfuseLinearConvs(b)).toBe(4);
  expect(fastBatchNormTraining(b)).toBe(4);
  const rand = mulberry32(9);
  const x = tf.tensor4d(Float32Array.from({ length: 6 * 16 * 40 }, () => rand() * 2 - 1), [6, 16, 40, 1]);
  const y = tf.tensor2d([0, 1, 1, 0, 1, 0], [6, 1]);
  for (let step = 0; step < 2; step++) {
    const ra = run(a, x, y);
    const rb = run(b, x, y);
    expect(Math.abs(ra.loss - rb.loss)).toBeLessThan(1e-5);
    expect(maxDiff(ra.grads, rb.grads)).toBeLessThan(2e-3);
    expect(maxDiff(ra.stats, rb.stats)).toBeLessThan(1e-4);
  }
  const pa = (a.predict(x) as tf.Tensor).dataSync();
  const pb = (b.predict(x) as tf.Tensor).dataSync();
  expect(Array.from(pb)).toEqual(Array.from(pa)); // inference path is the layers' own code
  // The serialised topology is untouched by the instance patches, and a patched step leaks no tensor.
  expect(b.toJSON(null, false)).toEqual(a.toJSON(null, false));
  const before = tf.memory().numTensors;
  run(b, x, y);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, y]);
  a.dispose();
  b.dispose();
});
