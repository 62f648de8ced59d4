// The weight average worked by hand on a one-weight model: the warm-up decay, the steady decay, and a swap that
// shows the average and puts the trained weights back exactly.
import * as tf from '@tensorflow/tfjs';
import { WeightAverage } from '../src/weight-average';

const oneWeight = () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, useBias: false, kernelInitializer: 'zeros' })] });
  const set = (v: number) => model.setWeights([tf.tensor2d([[v]])]);
  const get = () => (model.getWeights()[0].dataSync() as Float32Array)[0];
  return { model, set, get };
};

test('folds each step in with decay min(d, (1 + n) / (10 + n))', async () => {
  const { model, set } = oneWeight();
  set(1);
  const avg = new WeightAverage(model, 0.5);
  let expected = 1;
  const steps = [3, -2, 7, 0.5];
  steps.forEach((v, n) => {
    set(v);
    avg.update();
    const d = Math.min(0.5, (1 + n) / (10 + n)); // 0.1, 0.1818…, 0.25, 0.3077…: warm-up for all four
    expected = d * expected + (1 - d) * v;
  });
  expect(avg.state().updates).toBe(4);
  expect((avg.state().tensors[0].dataSync() as Float32Array)[0]).toBeCloseTo(expected, 5);
  // Past the warm-up the given decay holds: n = 20 gives (21 / 30) = 0.7 > 0.5.
  const late = new WeightAverage(model, 0.5, { updates: 20, tensors: [tf.tensor2d([[4]])] });
  set(2);
  late.update();
  expect((late.state().tensors[0].dataSync() as Float32Array)[0]).toBeCloseTo(3, 6);
  avg.dispose();
  late.dispose();
  model.dispose();
});

test('swapped() runs with the average in the model and restores the trained weights', async () => {
  const { model, set, get } = oneWeight();
  set(0);
  const avg = new WeightAverage(model, 0.9);
  set(10);
  avg.update(); // d = 0.1: average 9
  const seen = await avg.swapped(async () => get());
  expect(seen).toBeCloseTo(9, 5);
  expect(get()).toBe(10);
  await expect(avg.swapped(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  expect(get()).toBe(10);
  avg.dispose();
  model.dispose();
});
