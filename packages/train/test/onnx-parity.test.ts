// ONNX Runtime vs tfjs on the seed and default-like architectures: max |Δ| <= 1e-4 on random and real inputs,
// batch 1 and 7.
import * as tf from '@tensorflow/tfjs';
import { encodeOnnxModel } from '../src/onnx';
import { defaultLikeArchitecture, seedArchitecture } from './onnx-architectures';
import {
  calibrateOutput,
  defaultSpec,
  expectInformativeOutputs,
  maxAbsDiff,
  metadataWith,
  ortSession,
  predictOrt,
  predictTf,
  randomBatch,
  randomizeWeights,
  realBatch,
  seedSpec,
  useWasmBackend,
} from './onnx-helpers';

const TOLERANCE = 1e-4;
const measured: string[] = [];

// wasm: the seed CNN at batch 7 takes ~0.1 s there instead of ~10 s on 'cpu'.
beforeAll(useWasmBackend);
afterAll(() => console.log(`ONNX parity max |Δ|:\n${measured.join('\n')}`));

const cases = [
  { name: 'seed', build: seedArchitecture, spec: seedSpec(), weightSeed: 11 },
  { name: 'default-like', build: defaultLikeArchitecture, spec: defaultSpec(), weightSeed: 12 },
];

describe.each(cases)('$name architecture', ({ name, build, spec, weightSeed }) => {
  let model: tf.LayersModel;
  let opTypes: string[] = [];

  beforeAll(() => {
    model = build();
    randomizeWeights(model, weightSeed);
  });
  afterAll(() => model.dispose());

  for (const batch of [1, 7]) {
    for (const input of ['random', 'real'] as const) {
      it(`batch ${batch}, ${input} input`, async () => {
        const dims = [batch, ...spec.shape];
        const x = input === 'random' ? randomBatch(batch, spec.shape, 100 + batch) : realBatch(spec, batch, 200 + batch);
        calibrateOutput(model, x, dims);
        const exported = encodeOnnxModel(model, metadataWith(spec, name));
        opTypes = exported.summary.opTypes;
        const expected = predictTf(model, x, dims);
        const session = await ortSession(exported.bytes);
        try {
          const got = await predictOrt(session, x, dims);
          expect(got.dims).toEqual([batch, 1]);
          expectInformativeOutputs(expected);
          const delta = maxAbsDiff(got.data, expected);
          measured.push(`  ${name} batch ${batch} ${input}: ${delta.toExponential(2)} (tfjs ${Array.from(expected, (v) => v.toFixed(3)).join(' ')})`);
          expect(delta).toBeLessThanOrEqual(TOLERANCE);
        } finally {
          await session.release();
        }
      });
    }
  }

  it('has the expected graph', () => {
    expect(opTypes).not.toContain('BatchNormalization'); // folded into the convs
    expect(opTypes).not.toContain('Transpose'); // flatten order handled by permuting the dense weights
    expect(opTypes[opTypes.length - 1]).toBe('Sigmoid');
    if (name === 'seed') expect(opTypes.filter((t) => t === 'Conv')).toHaveLength(3);
    else expect(opTypes).toEqual(expect.arrayContaining(['GlobalAveragePool', 'Flatten', 'Gemm']));
  });
});

describe('batch-norm folding', () => {
  it('is exact against tfjs inference-mode BN with non-trivial moving statistics', async () => {
    const model = defaultLikeArchitecture();
    randomizeWeights(model, 21);
    const spec = defaultSpec();
    const dims = [3, ...spec.shape];
    const x = realBatch(spec, 3, 5);
    calibrateOutput(model, x, dims);
    const expected = predictTf(model, x, dims);
    const folded = encodeOnnxModel(model, metadataWith(spec, 'bn'));
    const unfolded = encodeOnnxModel(model, metadataWith(spec, 'bn'), { foldBatchNorm: false });
    expect(folded.summary.foldedBatchNorms).toBe(3);
    expect(unfolded.summary.opTypes.filter((t) => t === 'BatchNormalization')).toHaveLength(3);
    for (const { bytes } of [folded, unfolded]) {
      const session = await ortSession(bytes);
      const got = await predictOrt(session, x, dims);
      await session.release();
      expect(maxAbsDiff(got.data, expected)).toBeLessThanOrEqual(TOLERANCE);
    }
    // The statistics matter: with identity BN (mean 0, variance 1, gamma 1, beta 0) the output moves far more
    // than the tolerance, so the parity above could not pass with a fold that ignored them.
    const identity = model.weights.map((w) => {
      const key = (w.originalName ?? w.name).split('/').pop();
      const v = w.read();
      if (key === 'gamma' || key === 'moving_variance') return tf.onesLike(v);
      if (key === 'beta' || key === 'moving_mean') return tf.zerosLike(v);
      return v.clone();
    });
    model.setWeights(identity);
    tf.dispose(identity);
    expect(maxAbsDiff(predictTf(model, x, dims), expected)).toBeGreaterThan(1e-2);
    model.dispose();
  });
});
