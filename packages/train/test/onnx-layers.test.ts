// Layer-by-layer parity on small models (cpu backend): every supported layer and activation, layouts that expose
// NHWC/NCHW mistakes (odd H ≠ W, asymmetric 'same' pads, flatten with C > 1), and BN that cannot be folded.
import * as tf from '@tensorflow/tfjs';
import { encodeOnnxModel, SUPPORTED_ACTIVATIONS } from '../src/onnx';
import { samePads } from '../src/onnx/padding';
import {
  calibrateOutput,
  expectInformativeOutputs,
  maxAbsDiff,
  metadataFor,
  ortSession,
  predictOrt,
  predictTf,
  randomBatch,
  randomizeWeights,
  useCpuBackend,
} from './onnx-helpers';

beforeAll(useCpuBackend);

/** Exports `model`, runs a 5-item random batch through both runtimes, returns the ONNX op types. */
async function expectParity(model: tf.LayersModel, seed = 1, options = {}): Promise<string[]> {
  randomizeWeights(model, seed);
  const [h, w, c] = model.inputs[0].shape.slice(1) as number[];
  const dims = [5, c, h, w];
  const x = randomBatch(5, [c, h, w], seed + 1);
  calibrateOutput(model, x, dims);
  const { bytes, summary } = encodeOnnxModel(model, metadataFor([c, h, w]), options);
  const expected = predictTf(model, x, dims);
  expectInformativeOutputs(expected);
  const session = await ortSession(bytes);
  try {
    const got = await predictOrt(session, x, dims);
    expect(got.dims).toEqual([5, 1]);
    expect(maxAbsDiff(got.data, expected)).toBeLessThanOrEqual(1e-4);
  } finally {
    await session.release();
    model.dispose();
  }
  return summary.opTypes;
}

const head = (): tf.layers.Layer[] => [tf.layers.flatten(), tf.layers.dense({ units: 1, activation: 'sigmoid' })];

describe('TF same padding', () => {
  it.each([
    // [in, kernel, stride, dilation, expected [before, after]]
    [9, 4, 2, 1, [1, 2]],
    [14, 3, 2, 1, [0, 1]],
    [5, 2, 2, 1, [0, 1]],
    [6, 1, 2, 1, [0, 0]],
    [10, 3, 1, 2, [2, 2]],
    [401, 3, 2, 1, [1, 1]],
    [80, 3, 2, 1, [0, 1]],
  ])('in %i, kernel %i, stride %i, dilation %i', (inSize, k, s, d, expected) => {
    expect(samePads(inSize, k, s, d)).toEqual(expected);
  });
});

describe('layout', () => {
  it('odd H ≠ W, non-square kernels and strides, asymmetric same pads, flatten with C > 1', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [9, 14, 3], filters: 4, kernelSize: [4, 3], strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: [1, 2], padding: 'valid' }),
        tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 6, activation: 'tanh', useBias: false }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const ops = await expectParity(model, 3);
    expect(ops).not.toContain('Transpose');
  });

  it('transposes to NHWC before Flatten when the Dense cannot be permuted (BN in between)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [7, 5, 2], filters: 3, kernelSize: 2, activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const ops = await expectParity(model, 4);
    expect(ops).toEqual(expect.arrayContaining(['Transpose', 'Flatten', 'BatchNormalization', 'Gemm']));
  });

  it('dilated conv without bias, strided max-pool', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 11, 2], filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', useBias: false }),
        tf.layers.maxPooling2d({ poolSize: [2, 3], strides: [2, 1] }),
        ...head(),
      ],
    });
    await expectParity(model, 5);
  });
});

describe('layers', () => {
  it('DepthwiseConv2D, SeparableConv2D, AveragePooling2D (same), GlobalMaxPooling2D', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ inputShape: [11, 8, 3], kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.separableConv2d({ filters: 4, kernelSize: [2, 3], padding: 'valid', activation: 'elu' }),
        tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tf.layers.globalMaxPooling2d({}),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const ops = await expectParity(model, 6);
    expect(ops).toEqual(expect.arrayContaining(['AveragePool', 'GlobalMaxPool']));
    expect(ops.filter((t) => t === 'Flatten')).toHaveLength(1); // GlobalMaxPool [N, C, 1, 1] -> [N, C]
    expect(ops.filter((t) => t === 'Conv')).toHaveLength(3); // depthwise, then separable = depthwise + pointwise
  });

  it('BatchNormalization that cannot be folded: first layer, after ReLU, without center/scale', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.batchNormalization({ inputShape: [6, 7, 2] }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.batchNormalization({ center: false, scale: false, epsilon: 0.01 }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 3, useBias: false }),
        tf.layers.batchNormalization(), // folded into the Dense, which gains a bias
        tf.layers.activation({ activation: 'relu' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const ops = await expectParity(model, 7);
    expect(ops.filter((t) => t === 'BatchNormalization')).toHaveLength(2);
  });

  it('ReLU(maxValue), LeakyReLU, ELU layers; inference-time identities removed', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3 }),
        tf.layers.reLU({ maxValue: 0.8 }),
        tf.layers.gaussianNoise({ stddev: 0.5 }),
        tf.layers.conv2d({ filters: 3, kernelSize: 2 }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
        tf.layers.elu(), // tfjs only implements alpha = 1
        tf.layers.gaussianDropout({ rate: 0.3 }),
        ...head(),
      ],
    });
    const ops = await expectParity(model, 8);
    expect(ops).toEqual(expect.arrayContaining(['Clip', 'LeakyRelu', 'Elu']));
    expect(ops).not.toContain('Dropout');
  });

  it('a functional chain that nests a Sequential', async () => {
    const inner = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [5, 9, 4], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }), tf.layers.maxPooling2d({ poolSize: 2 })],
    });
    const input = tf.input({ shape: [10, 18, 2] });
    let x = tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2 }).apply(input) as tf.SymbolicTensor;
    x = inner.apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
    await expectParity(tf.model({ inputs: input, outputs: out }), 9);
  });
});

describe('activations', () => {
  it.each(SUPPORTED_ACTIVATIONS.filter((a) => a !== 'linear'))('%s', async (activation) => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 4, 2], filters: 3, kernelSize: 2, activation: activation as 'relu' }),
        ...head(),
      ],
    });
    await expectParity(model, 10);
  });
});
