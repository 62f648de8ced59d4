// End-to-end training on small generated feature stores: learning, outputs, bit-exact resume, bad inputs.
import * as fs from 'fs';
import * as path from 'path';
import { loadTrainedModel, train, trainedModelCardInput, TrainError, type ProgressEvent, type TrainOptions } from '../src';
import { makeStore, tmpDir } from './helpers';

const quiet = { log: null, backend: 'wasm' as const };
let storeDir: string;

beforeAll(() => {
  storeDir = makeStore(path.join(tmpDir('store'), 'features')).dir;
});

const base = (out: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
  features: storeDir, model: 'default', out, epochs: 3, batchSize: 16, lr: 3e-3, seed: 11, ...quiet, ...extra,
});

describe('training the default model on generated data', () => {
  let out: string;
  const events: ProgressEvent[] = [];
  let result: Awaited<ReturnType<typeof train>>;

  beforeAll(async () => {
    out = tmpDir('run');
    result = await train(base(out, { epochs: 4, onProgress: (e) => events.push(e) }));
  });

  test('the loss falls and validation separates the classes', () => {
    const h = result.history;
    expect(h).toHaveLength(4);
    expect(h[0].lr).toBe(3e-3);
    h.forEach((e, i) => i > 0 && expect(e.lr).toBeLessThanOrEqual(h[i - 1].lr));
    expect(h[3].train.loss).toBeLessThan(0.6 * h[0].train.loss);
    const best = h.find((e) => e.epoch === result.bestEpoch)!;
    expect(best.val.clipEer).toBeLessThan(0.1);
    expect(best.val.clipAuc).toBeGreaterThan(0.95);
  });

  test('writes the model, metadata, log, curves, metrics, split and checkpoint', async () => {
    for (const f of ['model/model.json', 'model/weights.bin', 'model/metadata.json', 'log.jsonl', 'curves.png', 'metrics.json', 'split.json', 'checkpoint/state.json']) {
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    }
    const lines = fs.readFileSync(path.join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3, 4]);
    expect(lines[0].val).toHaveProperty('clipEer');
    expect(fs.readFileSync(path.join(out, 'curves.png')).subarray(1, 4).toString()).toBe('PNG');
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.bestEpoch).toBe(result.bestEpoch);
    expect(metrics.val.clip.groups.source).toHaveProperty('studioA');
    expect(Object.keys(metrics.val.clip.attacks).length).toBeGreaterThan(0);

    const { model, metadata } = await loadTrainedModel(out);
    expect(metadata!.input.shape).toEqual([1, 16, 24]);
    expect(metadata!.input.transform).toEqual({ kind: 'affine', scale: 2 / 80, offset: 1 });
    expect(metadata!.threshold).toBe(metrics.threshold);
    expect(metadata!.training).toMatchObject({ model: 'default', arch: 'small-freq', preset: 'speech16k', epochs: result.bestEpoch });
    expect(model.outputs[0].shape).toEqual([null, 1]);

    // The card input comes from what training recorded: the training side of the split, per source and class.
    const split = JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8')) as { train: string[] };
    const summary = { n: 0 } as never;
    const card = trainedModelCardInput(model, metadata!, { validation: [{ name: 'v', description: 'd', summary }], thresholdChosenBy: 'EER' });
    model.dispose();
    const { sources, counts } = card.training;
    expect(counts.files).toBe(split.train.length);
    expect(Object.keys(sources).sort()).toEqual(['studioA', 'studioB']);
    const sum = (k: 'real' | 'fake') => Object.values(sources).reduce((n, c) => n + c[k], 0);
    expect([sum('real'), sum('fake')]).toEqual([counts.real, counts.fake]);
    expect(counts.real).toBeGreaterThan(0);
    expect(counts.fake).toBeGreaterThan(0);
    expect(card.architecture).toMatchObject({ name: 'default', paramCount: metrics.parameters });
    expect(card.splitPolicy).toBe(`${metrics.split.policy} (${metrics.split.origin})`);
  });

  test('reports progress: start, steps with running loss, an event per epoch, done', () => {
    expect(events[0]).toMatchObject({ kind: 'start', model: 'default', epochs: 4 });
    const steps = events.filter((e) => e.kind === 'step');
    expect(steps.length).toBe(4 * (events[0] as { stepsPerEpoch: number }).stepsPerEpoch);
    expect(steps.every((e) => e.kind === 'step' && e.samplesPerSec > 0 && Number.isFinite(e.loss))).toBe(true);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(4);
    expect(events[events.length - 1]).toMatchObject({ kind: 'done', aborted: false });
  });
});

describe('a dev side for model selection', () => {
  let plain: Awaited<ReturnType<typeof train>>;
  let withDev: Awaited<ReturnType<typeof train>>;
  let plainOut: string;
  let devOut: string;

  beforeAll(async () => {
    plainOut = tmpDir('nodev');
    devOut = tmpDir('dev');
    plain = await train(base(plainOut, { epochs: 3 }));
    withDev = await train(base(devOut, { epochs: 3, devFraction: 0.3 }));
  });

  const readSplit = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'split.json'), 'utf8')) as { train: string[]; val: string[]; dev?: string[]; devFraction?: number };

  test('is carved out of the training side, grouped: validation keeps its files, no file on two sides', () => {
    const a = readSplit(plainOut);
    const b = readSplit(devOut);
    expect(a.dev).toBeUndefined();
    expect(b.devFraction).toBe(0.3);
    expect(b.val).toEqual(a.val);
    expect([...b.train, ...b.dev!].sort()).toEqual([...a.train].sort());
    expect(b.dev!.length).toBeGreaterThan(0);
    expect(b.train.filter((id) => b.dev!.includes(id))).toEqual([]);
    const groupOf = new Map<string, string>(JSON.parse(fs.readFileSync(path.join(storeDir, 'index.json'), 'utf8')).files.map((f: { id: string; group: string }) => [f.id, f.group]));
    const devGroups = new Set(b.dev!.map((id) => groupOf.get(id)));
    expect(b.train.filter((id) => devGroups.has(groupOf.get(id)))).toEqual([]);
  });

  test('picks the epoch and the threshold on dev; validation is only measured', async () => {
    const h = withDev.history;
    expect(h.every((e) => e.dev !== undefined && e.val !== undefined)).toBe(true);
    const best = h.reduce((b, e) => (e.dev!.clipEer < b.dev!.clipEer || (e.dev!.clipEer === b.dev!.clipEer && e.dev!.loss < b.dev!.loss) ? e : b));
    expect(withDev.bestEpoch).toBe(best.epoch);
    const metrics = JSON.parse(fs.readFileSync(path.join(devOut, 'metrics.json'), 'utf8'));
    expect(metrics.split.selection).toBe('dev');
    expect(metrics.threshold).toBe(best.dev!.clipThreshold);
    expect(metrics.dev.clipEer).toBe(best.dev!.clipEer);
    const meta = JSON.parse(fs.readFileSync(path.join(devOut, 'model/metadata.json'), 'utf8'));
    expect(meta.threshold).toBe(best.dev!.clipThreshold);
    expect(meta.training.split).toMatchObject({ selection: 'dev', devFraction: 0.3, dev: { files: readSplit(devOut).dev!.length } });
    expect(plain.history.every((e) => e.dev === undefined)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(plainOut, 'metrics.json'), 'utf8')).split.selection).toBe('val');
  });

  test('a dev fraction outside [0, 1) or on a split that already has a dev side is refused', async () => {
    await expect(train(base(tmpDir('o'), { devFraction: 1 }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await expect(train(base(tmpDir('o'), { devFraction: -0.1 }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await expect(train(base(tmpDir('o'), { split: path.join(devOut, 'split.json'), devFraction: 0.2 }))).rejects.toMatchObject({ code: 'E_SPLIT', message: /already has a dev side/ });
  });
});

describe('checkpoints', () => {
  const checkpointBytes = (out: string) => {
    const state = JSON.parse(fs.readFileSync(path.join(out, 'checkpoint/state.json'), 'utf8'));
    return { epoch: state.epoch, weights: fs.readFileSync(path.join(out, 'checkpoint', state.weightsFile)) };
  };

  test('an interrupted run resumed from its checkpoint ends with bit-identical weights', async () => {
    const whole = tmpDir('whole');
    await train(base(whole));
    const split = tmpDir('split');
    const ctrl = new AbortController();
    const first = await train(base(split, {
      signal: ctrl.signal,
      onProgress: (e) => { if (e.kind === 'step' && e.epoch === 2 && e.step === 2) ctrl.abort(); },
    }));
    expect(first.aborted).toBe(true);
    expect(checkpointBytes(split).epoch).toBe(1);
    const resumed = await train(base(split, { resume: true }));
    expect(resumed.aborted).toBe(false);
    const a = checkpointBytes(whole);
    const b = checkpointBytes(split);
    expect(b.epoch).toBe(3);
    expect(b.weights.equals(a.weights)).toBe(true);
    expect(fs.readFileSync(path.join(split, 'model/weights.bin')).equals(fs.readFileSync(path.join(whole, 'model/weights.bin')))).toBe(true);
    expect(resumed.history.map((h) => h.val.clipEer)).toEqual((await train(base(whole, { resume: true }))).history.map((h) => h.val.clipEer));
  });

  test('with a weight average: the saved model is the average, and a resumed run continues it bit for bit', async () => {
    const whole = tmpDir('ema-whole');
    const r = await train(base(whole, { ema: 0.9 }));
    const split = tmpDir('ema-split');
    const ctrl = new AbortController();
    await train(base(split, { ema: 0.9, signal: ctrl.signal, onProgress: (e) => { if (e.kind === 'step' && e.epoch === 2 && e.step === 2) ctrl.abort(); } }));
    await train(base(split, { ema: 0.9, resume: true }));
    const state = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'checkpoint/state.json'), 'utf8'));
    expect(state(split).average).toEqual(state(whole).average);
    expect(state(whole).average.updates).toBe(state(whole).optimizer.iterations);
    expect(checkpointBytes(split).weights.equals(checkpointBytes(whole).weights)).toBe(true);
    const saved = (out: string) => fs.readFileSync(path.join(out, 'model/weights.bin'));
    expect(saved(split).equals(saved(whole))).toBe(true);
    expect(r.history).toHaveLength(3);
    const meta = JSON.parse(fs.readFileSync(path.join(whole, 'model/metadata.json'), 'utf8'));
    expect(meta.training.hyperparameters.weightAverage).toEqual({ kind: 'ema', decay: 0.9 });
    await expect(train(base(whole, { resume: true }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_MISMATCH', details: { differs: ['ema'] } });
  });

  test('with a weight average the saved model holds the averaged weights, not the trained ones', async () => {
    const out = tmpDir('ema-one');
    await train(base(out, { ema: 0.9, epochs: 1 })); // one epoch: it is the best, so its model is saved
    const ck = checkpointBytes(out).weights;
    const floats = new Float32Array(ck.buffer.slice(ck.byteOffset, ck.byteOffset + ck.byteLength));
    const { model } = await loadTrainedModel(out);
    const savedFloats = Float32Array.from(model.getWeights().flatMap((t) => Array.from(t.dataSync() as Float32Array)));
    model.dispose();
    const n = savedFloats.length;
    expect(floats.subarray(floats.length - n)).toEqual(savedFloats); // the average, stored last
    expect(floats.subarray(0, n)).not.toEqual(savedFloats); // the trained weights, stored first
  });

  test('a different seed gives different weights (the comparison above can fail)', async () => {
    const a = tmpDir('seedA');
    const b = tmpDir('seedB');
    await train(base(a, { epochs: 1 }));
    await train(base(b, { epochs: 1, seed: 12 }));
    expect(checkpointBytes(a).weights.equals(checkpointBytes(b).weights)).toBe(false);
  });

  test('a corrupt checkpoint is refused with E_CHECKPOINT_CORRUPT', async () => {
    const out = tmpDir('corrupt');
    await train(base(out, { epochs: 1 }));
    const state = JSON.parse(fs.readFileSync(path.join(out, 'checkpoint/state.json'), 'utf8'));
    const wf = path.join(out, 'checkpoint', state.weightsFile);
    const bytes = fs.readFileSync(wf);
    bytes[100] ^= 0xff;
    fs.writeFileSync(wf, bytes);
    await expect(train(base(out, { resume: true }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_CORRUPT' });
    fs.writeFileSync(path.join(out, 'checkpoint/state.json'), '{"format": "melguard-checkpoint/1", "epo');
    await expect(train(base(out, { resume: true }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_CORRUPT' });
  });

  test('resume without a checkpoint, or with other hyper-parameters, is refused', async () => {
    await expect(train(base(tmpDir('none'), { resume: true }))).rejects.toMatchObject({ code: 'E_NO_CHECKPOINT' });
    const out = tmpDir('mismatch');
    await train(base(out, { epochs: 1 }));
    await expect(train(base(out, { resume: true, lr: 1e-2 }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_MISMATCH' });
    await expect(train(base(out, { resume: true, balance: 'source' }))).rejects.toMatchObject({ code: 'E_CHECKPOINT_MISMATCH', details: { differs: ['balance'] } });
    await expect(train(base(out, { resume: true, balance: 'class' }))).resolves.toMatchObject({ aborted: false });
  });
});

describe('bad inputs', () => {
  test('an empty feature store', async () => {
    const empty = makeStore(path.join(tmpDir('empty'), 'features'), { empty: true }).dir;
    await expect(train(base(tmpDir('o'), { features: empty }))).rejects.toMatchObject({ code: 'E_EMPTY_STORE' });
  });

  test('a store made with another preset than the model expects', async () => {
    const seedStore = makeStore(path.join(tmpDir('seedstore'), 'features'), { preset: 'seed', perClass: 2 }).dir;
    const err = await train(base(tmpDir('o'), { features: seedStore })).catch((e) => e);
    expect(err).toBeInstanceOf(TrainError);
    expect(err.code).toBe('E_PRESET_MISMATCH');
    expect(err.message).toMatch(/speech16k.*"seed"/);
    await expect(train(base(tmpDir('o'), { model: 'seed' }))).rejects.toMatchObject({ code: 'E_PRESET_MISMATCH' });
  });

  test('a missing store, a one-class split and bad options', async () => {
    await expect(train(base(tmpDir('o'), { features: path.join(tmpDir('x'), 'nope') }))).rejects.toMatchObject({ code: 'E_NO_STORE' });
    const splitFile = path.join(tmpDir('split'), 'split.json');
    const ids = JSON.parse(fs.readFileSync(path.join(storeDir, 'index.json'), 'utf8')).files.map((f: { id: string }) => f.id);
    fs.writeFileSync(splitFile, JSON.stringify({
      format: 'melguard-split/1', policy: 'grouped', train: ids.filter((i: string) => i.startsWith('REAL')), val: ids.filter((i: string) => i.startsWith('FAKE')),
    }));
    await expect(train(base(tmpDir('o'), { split: splitFile }))).rejects.toMatchObject({ code: 'E_ONE_CLASS' });
    await expect(train(base(tmpDir('o'), { epochs: 0 }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await expect(train(base(tmpDir('o'), { lr: -1 }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await expect(train(base(tmpDir('o'), { balance: 'speaker' as never }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await expect(train(base(tmpDir('o'), { ema: 1 }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    await expect(train(base(tmpDir('o'), { model: 'huge' as never }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
    const seedStore = makeStore(path.join(tmpDir('seedstore2'), 'features'), { preset: 'seed', perClass: 2 }).dir;
    await expect(train(base(tmpDir('o'), { model: 'seed', features: seedStore, specAugment: true }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
  });

  test('source balancing is recorded and trains to a different model than class balancing', async () => {
    // A training side where studioA has 3 reals and 9 fakes, so the two weightings differ.
    const files = JSON.parse(fs.readFileSync(path.join(storeDir, 'index.json'), 'utf8')).files as { id: string; label: string; source: string }[];
    const ids = (label: string, source: string) => files.filter((f) => f.label === label && f.source === source).map((f) => f.id);
    const splitFile = path.join(tmpDir('bal-split'), 'split.json');
    const train_ = [...ids('real', 'studioA').slice(0, 3), ...ids('fake', 'studioA').slice(0, 9), ...ids('real', 'studioB').slice(0, 9), ...ids('fake', 'studioB').slice(0, 9)];
    fs.writeFileSync(splitFile, JSON.stringify({ format: 'melguard-split/1', policy: 'grouped', train: train_, val: files.map((f) => f.id).filter((i) => !train_.includes(i)) }));
    const byClass = tmpDir('bal-class');
    const bySource = tmpDir('bal-source');
    await train(base(byClass, { epochs: 1, split: splitFile }));
    await train(base(bySource, { epochs: 1, split: splitFile, balance: 'source' }));
    const meta = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'model/metadata.json'), 'utf8'));
    expect(meta(byClass).training.hyperparameters.balance).toBe('class');
    expect(meta(bySource).training.hyperparameters.balance).toBe('source');
    const weights = (out: string) => fs.readFileSync(path.join(out, 'model/weights.bin'));
    expect(weights(bySource).equals(weights(byClass))).toBe(false);
  });

  test('SpecAugment, when asked for, is recorded with its silence fill value', async () => {
    const out = tmpDir('sa');
    await train(base(out, { epochs: 1, specAugment: { timeMasks: 1 } }));
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'model/metadata.json'), 'utf8'));
    expect(meta.training.specAugment).toEqual({ freqMasks: 2, maxFreqShare: 0.1, timeMasks: 1, maxTimeShare: 0.1, fill: -1 });
  });
});

describe('the default model on linear-frequency features', () => {
  test('trains on a stft16k store; metadata and input spec carry that preset, not the design one', async () => {
    const stft = makeStore(path.join(tmpDir('stftstore'), 'features'), { preset: 'stft16k', bins: 20, perClass: 8 }).dir;
    const out = tmpDir('stft');
    await train(base(out, { features: stft, epochs: 1 }));
    const { metadata } = await loadTrainedModel(out);
    expect(metadata!.training.preset).toBe('stft16k');
    expect(metadata!.input.features.nMels).toBe(0);
    expect(metadata!.input.shape).toEqual([1, 20, 24]);
  });
});

describe('the seed model', () => {
  test('trains on a seed-preset store through the viridis image transform', async () => {
    const store = makeStore(path.join(tmpDir('seedstore'), 'features'), { preset: 'seed', bins: 32, frames: 40, perClass: 6, windowsPerFile: 1 }).dir;
    const out = tmpDir('seedrun');
    const r = await train({ ...quiet, features: store, model: 'seed', out, epochs: 1, batchSize: 4, lr: 1e-3, seed: 3 });
    expect(r.history).toHaveLength(1);
    expect(Number.isFinite(r.history[0].train.loss)).toBe(true);
    const { model, metadata } = await loadTrainedModel(out);
    expect(metadata!.input.shape).toEqual([3, 128, 128]);
    expect(metadata!.input.transform).toEqual({ kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [128, 128] });
    expect(metadata!.input.windowing).toEqual({ windowSeconds: 3, hopSeconds: 3, minSeconds: 1 });
    expect(model.countParams()).toBe(3304769);
    model.dispose();
  });
});
