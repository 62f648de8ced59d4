// The exporter on the package's own model builders (seed and every default candidate), through the same
// parity check as the stand-in architectures.
import * as tf from '@tensorflow/tfjs';
import { encodeOnnxModel } from '../src/onnx';
import { buildDefaultModel, buildSeedModel, DEFAULT_ARCHS, prepareForTraining, type DefaultArch } from '../src/models';
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

beforeAll(useWasmBackend);

async function parity(model: tf.LayersModel, spec: ReturnType<typeof defaultSpec>, name: string): Promise<string[]> {
  const x = new Float32Array([...realBatch(spec, 4, 31), ...randomBatch(3, spec.shape, 32)]);
  const dims = [7, ...spec.shape];
  calibrateOutput(model, x, dims);
  const { bytes, summary } = encodeOnnxModel(model, metadataWith(spec, name));
  const expected = predictTf(model, x, dims);
  expectInformativeOutputs(expected);
  const session = await ortSession(bytes);
  try {
    for (const [from, n] of [[0, 7], [2, 1]]) {
      const size = spec.shape[0] * spec.shape[1] * spec.shape[2];
      const got = await predictOrt(session, x.slice(from * size, (from + n) * size), [n, ...spec.shape]);
      expect(got.dims).toEqual([n, 1]);
      expect(maxAbsDiff(got.data, expected.slice(from, from + n))).toBeLessThanOrEqual(1e-4);
    }
  } finally {
    await session.release();
  }
  return summary.opTypes;
}

describe('package model builders export with parity', () => {
  it('seed', async () => {
    const model = buildSeedModel(1);
    const ops = await parity(model, seedSpec(), 'seed');
    expect(ops).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm', 'Sigmoid']);
    model.dispose();
  });

  it('a model saved and loaded again (weights renamed by tfjs) exports the same graph', async () => {
    const original = buildDefaultModel(4);
    randomizeWeights(original, 5);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await original.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const a = encodeOnnxModel(original, metadataWith(defaultSpec(), 'default'));
    const b = encodeOnnxModel(loaded, metadataWith(defaultSpec(), 'default'));
    expect(b.summary).toEqual(a.summary);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    await parity(loaded, defaultSpec(), 'default');
    original.dispose();
    loaded.dispose();
  });

  it.each(Object.keys(DEFAULT_ARCHS) as (keyof typeof DEFAULT_ARCHS)[])('default (%s), with trained-like BN statistics and training patches applied', async (arch) => {
    const model = buildDefaultModel(2, undefined, DEFAULT_ARCHS[arch]);
    prepareForTraining(model); // instance patches for training must not change what is exported
    randomizeWeights(model, 3);
    const ops = await parity(model, defaultSpec(), 'default');
    expect(ops).not.toContain('BatchNormalization');
    expect(ops.slice(-4)).toEqual(['GlobalAveragePool', 'Flatten', 'Gemm', 'Sigmoid']);
    expect(ops.slice(0, 2)).toEqual((DEFAULT_ARCHS[arch] as DefaultArch).timeMeanNorm ? ['ReduceMean', 'Sub'] : ['Conv', 'Relu']);
    model.dispose();
  });

  it('time-mean normalisation: saved and loaded again, the exported model ignores a constant added to any band', async () => {
    const original = buildDefaultModel(6, undefined, DEFAULT_ARCHS['small-freq-cmn']);
    randomizeWeights(original, 7);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await original.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[0].getClassName()).toBe('TimeMeanNormalization');
    const spec = defaultSpec();
    await parity(loaded, spec, 'default');
    const [, bands, frames] = spec.shape;
    const x = realBatch(spec, 2, 41);
    const tilted = x.map((v, i) => v + 0.5 * Math.sin(Math.floor(i / frames) % bands)); // a per-band offset
    const session = await ortSession(encodeOnnxModel(loaded, metadataWith(spec, 'default')).bytes);
    try {
      const a = await predictOrt(session, x, [2, ...spec.shape]);
      const b = await predictOrt(session, tilted, [2, ...spec.shape]);
      expect(maxAbsDiff(a.data, b.data)).toBeLessThanOrEqual(1e-4);
      // Not vacuous: the same change in time (one offset per frame) moves the output.
      const timeTilted = x.map((v, i) => v + 0.5 * Math.sin(i % frames));
      const c = await predictOrt(session, timeTilted, [2, ...spec.shape]);
      expect(maxAbsDiff(a.data, c.data)).toBeGreaterThan(1e-3);
    } finally {
      await session.release();
    }
    original.dispose();
    loaded.dispose();
  });
});
