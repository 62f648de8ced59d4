// AugmentedSource plumbing with stand-ins for decoding and perturbation (real spectrogram engine): windows are
// re-decoded at their offsets, perturbed with a seed fixed by (run seed, epoch, file, window), turned into the
// store's features, and validation gets the stored windows untouched.
import * as fs from 'fs';
import * as path from 'path';
import { spectrogram, syntheticSpeech } from '@melguard/dsp';
import { FeatureStore } from '@melguard/corpus';
import { AugmentedSource, loadTrainedModel, recipeFor, StoreSource, train, type AugmentDsp } from '../src';
import { makeStore, mulberry32, tmpDir } from './helpers';

function standIns() {
  const calls: { file: string; offset?: number; duration?: number | null }[] = [];
  const seeds: number[] = [];
  const dsp: AugmentDsp = {
    loadAudio: (file, o) => {
      calls.push({ file, offset: o.offset, duration: o.duration });
      return { samples: syntheticSpeech({ sr: 16000, seconds: 4, seed: file.length + Math.round(10 * (o.offset ?? 0)) }), sampleRate: 16000 };
    },
    augment: (samples, _sr, _steps, seed) => {
      seeds.push(seed);
      const r = mulberry32(seed);
      return samples.map((v) => v + 0.05 * (r() - 0.5));
    },
    spectrogram: (samples, options) => spectrogram(samples, options),
  };
  return { dsp, calls, seeds };
}

const same = (x: Float32Array, y: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

function open() {
  const dir = makeStore(path.join(tmpDir('aug'), 'features'), { bins: 80, frames: 401, perClass: 2, windowsPerFile: 2, hopSeconds: 2 }).dir;
  const recipe = recipeFor('default');
  return new StoreSource(FeatureStore.open(dir), recipe);
}

test('training windows are re-decoded at their offsets and perturbed reproducibly; validation windows are stored ones', async () => {
  const base = open();
  const { dsp, calls, seeds } = standIns();
  const src = new AugmentedSource(base, { seed: 5, dsp });
  const size = 80 * 401;
  const refs = [{ file: 1, window: 1 }, { file: 2, window: 0 }];
  const a = new Float32Array(2 * size);
  await src.fill(refs, a, { epoch: 3, augment: true });
  expect(calls.map((c) => [path.basename(c.file), c.offset, c.duration])).toEqual([['clip000.flac', 2, 4], ['clip001.flac', 0, 4]]);
  const b = new Float32Array(2 * size);
  await src.fill(refs, b, { epoch: 3, augment: true });
  expect(same(b, a)).toBe(true); // same epoch: same perturbation
  expect(seeds[2]).toBe(seeds[0]);
  expect(seeds[1]).not.toBe(seeds[0]); // another window: another perturbation
  const c = new Float32Array(2 * size);
  await src.fill(refs, c, { epoch: 4, augment: true });
  expect(seeds[4]).not.toBe(seeds[0]); // next epoch: fresh perturbation
  expect(same(c, a)).toBe(false);
  // Inputs are the affine transform of a dB spectrogram: within [-1, 1].
  expect(a.every((v) => v >= -1 && v <= 1 + 1e-6)).toBe(true);

  const clean = new Float32Array(2 * size);
  const stored = new Float32Array(2 * size);
  await src.fill(refs, clean, { epoch: 3, augment: false });
  await base.fill(refs, stored, { epoch: 3, augment: false });
  expect(same(clean, stored)).toBe(true);
  expect(calls).toHaveLength(6);
  src.close();
});

test('probability 0 serves only stored windows; bad probabilities and a dsp without augmentation are refused', async () => {
  const base = open();
  const { dsp, calls } = standIns();
  const src = new AugmentedSource(base, { seed: 5, dsp, probability: 0 });
  const out = new Float32Array(80 * 401);
  await src.fill([{ file: 0, window: 1 }], out, { epoch: 1, augment: true });
  expect(calls).toHaveLength(0);
  expect(() => new AugmentedSource(base, { seed: 5, dsp, probability: 1.5 })).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
  const broken = { ...dsp, augment: undefined } as unknown as AugmentDsp;
  expect(() => new AugmentedSource(base, { seed: 5, dsp: broken })).toThrow(expect.objectContaining({ code: 'E_AUGMENT_UNAVAILABLE' }));
  src.close();
});

test('train() runs on an augmented source and records the recipe in the metadata', async () => {
  const base = open();
  const { dsp, calls } = standIns();
  const source = new AugmentedSource(base, { seed: 2, dsp, steps: [{ type: 'noise', snrDb: 20 }] });
  const out = tmpDir('augrun');
  const r = await train({ source, model: 'default', out, epochs: 1, batchSize: 4, seed: 2, log: null, backend: 'wasm' });
  expect(r.history).toHaveLength(1);
  // Only training windows were re-decoded (half of the files are on the validation side).
  const split = JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8'));
  expect(calls.length).toBe(2 * split.train.length);
  const { model, metadata } = await loadTrainedModel(out);
  expect(metadata!.training).toMatchObject({ source: 'augmented', augmentation: { steps: [{ type: 'noise', snrDb: 20 }], probability: 1, seed: 2 } });
  model.dispose();
  source.close();
});

test('with the real engine: decoded, augmented windows have the stored windows\' shape and differ from them', async () => {
  const dir = tmpDir('real');
  const dsp = await import('@melguard/dsp');
  // One 5 s synthetic clip on disk, featurised into a one-file store by the same engine.
  const wav = path.join(dir, 'clip.wav');
  const clip = dsp.syntheticSpeech({ sr: 16000, seconds: 5, seed: 3 });
  fs.writeFileSync(wav, await dsp.encodeAudio(clip, 16000, 'wav'));
  const store = makeStore(path.join(dir, 'features'), { bins: 80, frames: 401, perClass: 1, windowsPerFile: 1 }).dir;
  const index = JSON.parse(fs.readFileSync(path.join(store, 'index.json'), 'utf8'));
  for (const f of index.files) f.path = wav;
  fs.writeFileSync(path.join(store, 'index.json'), JSON.stringify(index));
  const base = new StoreSource(FeatureStore.open(store), recipeFor('default'));
  const src = new AugmentedSource(base, { seed: 1, steps: [{ type: 'noise', color: 'pink', snrDb: 5 }] });
  const out = new Float32Array(80 * 401);
  await src.fill([{ file: 0, window: 0 }], out, { epoch: 1, augment: true });
  const clean = dsp.spectrogram(clip.subarray(0, 64000), index.features);
  const cleanIn = dsp.toModelInput(new Float32Array(clean.data), 80, 401, base.spec);
  let diff = 0;
  for (let i = 0; i < out.length; i++) diff += Math.abs(out[i] - cleanIn[i]);
  expect(diff / out.length).toBeGreaterThan(0.01); // pink noise at 5 dB SNR shows
  expect(Number.isFinite(diff)).toBe(true);
  src.close();
});
