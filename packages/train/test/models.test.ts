// Both model builders: the documented layer shapes, parameter counts and costs; seeded initialisation.
import * as tf from '@tensorflow/tfjs';
import { buildDefaultModel, buildModel, countMacs, DEFAULT_ARCHS, initBackend } from '../src';

beforeAll(() => initBackend({ backend: 'wasm', log: null }));

const params = (m: tf.LayersModel) => m.countParams();
const outShapes = (m: tf.LayersModel) => m.layers.map((l) => [l.name, (l.outputShape as number[]).slice(1)]);

test('seed: exactly the original architecture (3,304,769 parameters)', () => {
  const m = buildModel('seed');
  expect(m.inputs[0].shape).toEqual([null, 128, 128, 3]);
  expect(outShapes(m)).toEqual([
    ['conv1', [126, 126, 32]], ['pool1', [63, 63, 32]],
    ['conv2', [61, 61, 64]], ['pool2', [30, 30, 64]],
    ['conv3', [28, 28, 128]], ['pool3', [14, 14, 128]],
    ['flatten', [25088]], ['fc1', [128]], ['dropout', [128]], ['score', [1]],
  ]);
  expect(m.layers.map((l) => l.getClassName())).toEqual(
    ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense']);
  const cfg = m.layers.map((l) => l.getConfig());
  expect(cfg.filter((c) => c.kernelSize).map((c) => [c.filters, c.kernelSize, c.padding, c.activation])).toEqual([
    [32, [3, 3], 'valid', 'relu'], [64, [3, 3], 'valid', 'relu'], [128, [3, 3], 'valid', 'relu']]);
  expect(cfg[8].rate).toBe(0.5);
  expect([cfg[7].activation, cfg[9].activation]).toEqual(['relu', 'sigmoid']);
  expect(params(m)).toBe(896 + 18496 + 73856 + 25088 * 128 + 128 + 129);
  expect(params(m)).toBe(3304769);
  m.dispose();
});

test('default: 80x401x1 in, one sigmoid out, 67,665 parameters, 21.3 M MACs, exporter-supported layers only', () => {
  const m = buildModel('default');
  expect(m.inputs[0].shape).toEqual([null, 80, 401, 1]);
  expect(m.outputs[0].shape).toEqual([null, 1]);
  expect(outShapes(m)).toEqual([
    ['stem', [40, 201, 16]], ['stem_bn', [40, 201, 16]], ['stem_relu', [40, 201, 16]], ['stem_pool', [20, 100, 16]],
    ['s1c1', [20, 100, 32]], ['s1c1_bn', [20, 100, 32]], ['s1c1_relu', [20, 100, 32]], ['s1_pool', [10, 50, 32]],
    ['s2c1', [10, 50, 48]], ['s2c1_bn', [10, 50, 48]], ['s2c1_relu', [10, 50, 48]], ['s2_pool', [5, 25, 48]],
    ['s3c1', [5, 25, 64]], ['s3c1_bn', [5, 25, 64]], ['s3c1_relu', [5, 25, 64]],
    ['head', [1, 25, 64]], ['head_bn', [1, 25, 64]], ['head_relu', [1, 25, 64]],
    ['gap', [64]], ['dropout', [64]], ['score', [1]],
  ]);
  const allowed = new Set(['Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dropout', 'Dense']);
  expect(m.layers.every((l) => allowed.has(l.getClassName()))).toBe(true);
  // conv weights 144 + 4608 + 13824 + 27648, frequency head 5x1x64x64, BN 4 x (16+32+48+64+64), dense 65
  expect(m.getLayer('head').getConfig().kernelSize).toEqual([5, 1]);
  expect(params(m)).toBe(144 + 4608 + 13824 + 27648 + 5 * 64 * 64 + 4 * (16 + 32 + 48 + 64 + 64) + 65);
  expect(params(m)).toBe(67665);
  expect(countMacs(m)).toBe(40 * 201 * 9 * 16 + 20 * 100 * 9 * 16 * 32 + 10 * 50 * 9 * 32 * 48 + 5 * 25 * 9 * 48 * 64 + 25 * 5 * 64 * 64 + 64);
  m.dispose();
});

test.each(Object.entries(DEFAULT_ARCHS))('candidate %s stays within the cost envelope', (_name, arch) => {
  const m = buildDefaultModel(0, [80, 401, 1], arch);
  expect(params(m)).toBeLessThanOrEqual(100_000);
  expect(countMacs(m)).toBeGreaterThan(15e6);
  expect(countMacs(m)).toBeLessThan(40e6);
  m.dispose();
});

test('initialisation is seeded: same seed, same weights; another seed, other weights', () => {
  const w = (seed: number) => {
    const m = buildModel('default', { seed });
    const v = m.getWeights().map((t) => Array.from(t.dataSync()));
    m.dispose();
    return v;
  };
  expect(w(5)).toEqual(w(5));
  expect(w(5)[0]).not.toEqual(w(6)[0]);
});
