// Ensembles: the tfjs model is sigmoid(mean of member logits), it survives save/load, exports to ONNX with
// parity (batch 1 and 7), and createEnsemble measures it on the members' validation side or refuses mismatches.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { buildDefaultModel, buildEnsembleModel, createEnsemble, DEFAULT_ARCHS, loadModelDir, saveModelDir, train, TrainError } from '../src';
import { encodeOnnxModel } from '../src/onnx';
import { makeStore, tmpDir } from './helpers';
import {
  calibrateOutput, defaultSpec, expectInformativeOutputs, maxAbsDiff, metadataWith, ortSession, predictOrt, predictTf,
  randomBatch, randomizeWeights, realBatch, useWasmBackend,
} from './onnx-helpers';

beforeAll(useWasmBackend);

const logit = (p: number) => Math.log(p / (1 - p));
const spec = defaultSpec();

function members(): tf.LayersModel[] {
  const a = buildDefaultModel(1);
  const b = buildDefaultModel(2, undefined, DEFAULT_ARCHS['small-freq-cmn']);
  const x = realBatch(spec, 4, 9);
  for (const [k, m] of [a, b].entries()) {
    randomizeWeights(m, 30 + k);
    calibrateOutput(m, x, [4, ...spec.shape]);
  }
  return [a, b];
}

describe('buildEnsembleModel', () => {
  let parts: tf.LayersModel[];
  let ensemble: tf.LayersModel;
  beforeAll(async () => {
    parts = members();
    ensemble = await buildEnsembleModel(parts);
  });
  afterAll(() => {
    ensemble.dispose();
    parts.forEach((m) => m.dispose());
  });

  it('outputs sigmoid of the mean of the members\' logits', () => {
    const dims = [5, ...spec.shape];
    const x = realBatch(spec, 5, 12);
    const [pa, pb] = parts.map((m) => predictTf(m, x, dims));
    const want = Array.from(pa, (_, i) => 1 / (1 + Math.exp(-(logit(pa[i]) + logit(pb[i])) / 2)));
    const got = predictTf(ensemble, x, dims);
    expectInformativeOutputs(got);
    expect(maxAbsDiff(got, Float32Array.from(want))).toBeLessThanOrEqual(1e-5);
    // not just one member: the ensemble differs from each
    expect(maxAbsDiff(got, pa)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(got, pb)).toBeGreaterThan(1e-3);
  });

  it('saves and loads (member layers renamed apart) with the same outputs', async () => {
    const dir = path.join(tmpDir('ens-model'), 'model');
    await saveModelDir(ensemble, dir);
    const loaded = await loadModelDir(dir);
    const dims = [3, ...spec.shape];
    const x = randomBatch(3, spec.shape, 4);
    expect(maxAbsDiff(predictTf(loaded.model, x, dims), predictTf(ensemble, x, dims))).toBe(0);
    loaded.model.dispose();
  });

  it('exports to one ONNX graph (branches joined by Mean) matching tfjs at batch 1 and 7', async () => {
    const { bytes, summary } = encodeOnnxModel(ensemble, metadataWith(spec, 'ensemble'));
    expect(summary.opTypes.slice(-2)).toEqual(['Mean', 'Sigmoid']);
    expect(summary.opTypes.filter((t) => t === 'Gemm')).toHaveLength(2);
    expect(summary.opTypes.filter((t) => t === 'ReduceMean')).toHaveLength(1); // the cmn member's first layer
    expect(summary.opTypes).not.toContain('BatchNormalization');
    const session = await ortSession(bytes);
    try {
      for (const n of [1, 7]) {
        const x = new Float32Array([...realBatch(spec, Math.min(n, 4), 50 + n), ...randomBatch(Math.max(0, n - 4), spec.shape, 60 + n)]);
        const dims = [n, ...spec.shape];
        const got = await predictOrt(session, x, dims);
        expect(got.dims).toEqual([n, 1]);
        expect(maxAbsDiff(got.data, predictTf(ensemble, x, dims))).toBeLessThanOrEqual(1e-4);
      }
    } finally {
      await session.release();
    }
  });

  it('refuses one member, or members with different inputs', async () => {
    await expect(buildEnsembleModel([parts[0]])).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    const other = buildDefaultModel(3, [40, 401, 1]);
    await expect(buildEnsembleModel([parts[0], other])).rejects.toMatchObject({ code: 'E_ENSEMBLE_MISMATCH' });
    other.dispose();
  });
});

describe('createEnsemble', () => {
  const quiet = { log: null, backend: 'wasm' as const };
  let storeDir: string;
  let runs: string[];
  beforeAll(async () => {
    storeDir = makeStore(path.join(tmpDir('ens-store'), 'features')).dir;
    runs = [tmpDir('ens-a'), tmpDir('ens-b'), tmpDir('ens-c')];
    const base = { features: storeDir, model: 'default' as const, epochs: 2, batchSize: 16, lr: 3e-3, ...quiet };
    await train({ ...base, out: runs[0], seed: 1 });
    await train({ ...base, out: runs[1], seed: 1, arch: 'small-freq-cmn' });
    await train({ ...base, out: runs[2], seed: 2 }); // seed 2: another generated split
  });

  it('writes a run folder whose model is the ensemble, thresholded on the shared validation side', async () => {
    const out = tmpDir('ens-out');
    const r = await createEnsemble({ members: runs.slice(0, 2), features: storeDir, out });
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toEqual(JSON.parse(JSON.stringify(r.metrics)));
    expect(fs.readFileSync(path.join(out, 'split.json'), 'utf8')).toBe(fs.readFileSync(path.join(runs[0], 'split.json'), 'utf8'));
    const loaded = await loadModelDir(path.join(out, 'model'));
    const t = loaded.metadata!.training as Record<string, unknown>;
    expect(t.arch).toBe('ensemble');
    expect((t.members as unknown[]).length).toBe(2);
    // each member's own hyper-parameters, not only the first member's (which the ensemble's training record inherits)
    expect((t.members as { hyperparameters: { seed: number; lr: number } }[]).map((m) => m.hyperparameters)).toEqual([
      expect.objectContaining({ seed: 1, lr: 3e-3 }), expect.objectContaining({ seed: 1, lr: 3e-3 })]);
    expect(loaded.metadata!.threshold).toBe(metrics.threshold);
    expect(metrics.val.clip.threshold).toBe(metrics.threshold);
    expect(metrics.val.clip.eer).toBeGreaterThanOrEqual(0);
    expect(metrics.parameters).toBe(loaded.model.countParams());
    loaded.model.dispose();
  });

  it('records one augmentation when the members share it, each member\'s when they differ', async () => {
    const augmentationOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'model', 'metadata.json'), 'utf8')).training.augmentation;
    const same = tmpDir('ens-same');
    await createEnsemble({ members: runs.slice(0, 2), features: storeDir, out: same });
    expect(augmentationOf(same)).toBeNull(); // neither member was augmented
    // a copy of member 2 recorded as trained with augmentation on half the windows
    const half = tmpDir('ens-half-member');
    fs.cpSync(runs[1], half, { recursive: true });
    const metaFile = path.join(half, 'model', 'metadata.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    const aug = { steps: 'dsp default', probability: 0.5, seed: 1 };
    meta.training.augmentation = aug;
    fs.writeFileSync(metaFile, JSON.stringify(meta));
    const mixed = tmpDir('ens-mixed');
    await createEnsemble({ members: [runs[0], half], features: storeDir, out: mixed });
    expect(augmentationOf(mixed)).toEqual({ perMember: [{ run: path.basename(runs[0]), augmentation: null }, { run: path.basename(half), augmentation: aug }] });
  });

  it('a missing feature store is a typed error and writes nothing', async () => {
    const out = tmpDir('ens-nostore');
    const err = await createEnsemble({ members: runs.slice(0, 2), features: path.join(out, 'no-store'), out }).catch((e: unknown) => e);
    expect(err).toHaveProperty('code');
    expect(String((err as Error).message)).toMatch(/no-store/);
    expect(fs.existsSync(path.join(out, 'model'))).toBe(false);
  });

  it('members that selected on a dev side: the ensemble thresholds on dev too, and refuses a member without it', async () => {
    const base = { features: storeDir, model: 'default' as const, epochs: 1, batchSize: 16, lr: 3e-3, seed: 1, devFraction: 0.3, ...quiet };
    const devRuns = [tmpDir('ens-dev-a'), tmpDir('ens-dev-b')];
    await train({ ...base, out: devRuns[0] });
    await train({ ...base, out: devRuns[1], arch: 'small-freq-cmn' });
    const out = tmpDir('ens-dev');
    const r = await createEnsemble({ members: devRuns, features: storeDir, out });
    const metrics = r.metrics as { threshold: number; split: { selection: string }; dev: { clipThreshold: number }; val: { clip: { threshold: number; eer: number } } };
    expect(metrics.split.selection).toBe('dev');
    expect(metrics.threshold).toBe(metrics.dev.clipThreshold);
    expect(metrics.val.clip.threshold).toBe(metrics.dev.clipThreshold); // validation accuracy at dev's threshold
    await expect(createEnsemble({ members: [devRuns[0], runs[0]], features: storeDir, out: tmpDir('ens-dev-bad') }))
      .rejects.toMatchObject({ code: 'E_ENSEMBLE_MISMATCH' });
  });

  it('refuses members trained on another split', async () => {
    const out = tmpDir('ens-bad');
    const err = await createEnsemble({ members: [runs[0], runs[2]], features: storeDir, out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainError);
    expect(err).toMatchObject({ code: 'E_ENSEMBLE_MISMATCH', message: expect.stringMatching(/another split/) });
    expect(fs.existsSync(path.join(out, 'model'))).toBe(false);
  });
});
