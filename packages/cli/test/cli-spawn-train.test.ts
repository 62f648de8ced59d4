// features -> train -> export -> detect with the exported model, through the compiled CLI; and proof that
// the inference commands never load TensorFlow.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, cli, makeAudioTree, requireBuild } from './spawn-helpers';
import { tmpDir } from './helpers';

beforeAll(requireBuild);

test('a model trained and exported by the CLI is usable by detect, with its card beside it', () => {
  const dir = tmpDir('melguard-train-');
  const corpus = path.join(dir, 'corpus');
  makeAudioTree(corpus, { real: 6, fake: 6, seconds: 4 });
  const store = path.join(dir, 'features');
  expect(cli(['features', corpus, '--preset', 'speech16k', '--out', store]).code).toBe(0);
  const out = path.join(dir, 'run');
  const t = cli(['train', '--features', store, '--model', 'default', '--out', out, '--epochs', '1', '--batch-size', '4'], { timeoutMs: 300_000 });
  expect(t.stderr).toContain('melguard export --model');
  expect(t.code).toBe(0);
  const onnx = path.join(dir, 'model.onnx');
  const e = cli(['export', '--model', out, '--out', onnx]);
  expect(e.code).toBe(0);
  expect(fs.statSync(onnx).size).toBeGreaterThan(1000);
  const card = JSON.parse(fs.readFileSync(path.join(dir, 'model.card.json'), 'utf8'));
  expect(card.model.name).toBe('melguard-default');
  const perSource = Object.values(card.training.sources as Record<string, { real: number; fake: number }>);
  expect(perSource.length).toBeGreaterThan(0);
  expect(perSource.reduce((n, c) => n + c.real + c.fake, 0)).toBe(card.training.counts.files);
  const file = path.join(corpus, 'FAKE', 'spk0', 'fake-0000.wav');
  const d = cli(['detect', file, '--model', onnx, '--json']);
  expect(d.code).toBe(0);
  const r = JSON.parse(d.stdout);
  expect(r.threshold).toBeCloseTo(card.threshold.value, 10);
  expect(r.model.name).toBe('melguard-default');

  // A second model (time-mean normalised) and the two as one ensemble, exported and used like any model.
  const out2 = path.join(dir, 'run-cmn');
  expect(cli(['train', '--features', store, '--model', 'default', '--arch', 'small-freq-cmn', '--out', out2, '--epochs', '1', '--batch-size', '4'], { timeoutMs: 300_000 }).code).toBe(0);
  const ens = path.join(dir, 'ensemble');
  const en = cli(['ensemble', '--model', out, '--model', out2, '--features', store, '--out', ens], { timeoutMs: 300_000 });
  expect(en.stderr).toMatch(/ensemble of 2: validation clip EER [\d.]+ %/);
  expect(en.code).toBe(0);
  const ensOnnx = path.join(dir, 'ensemble.onnx');
  expect(cli(['export', '--model', ens, '--out', ensOnnx]).code).toBe(0);
  const ensCard = JSON.parse(fs.readFileSync(path.join(dir, 'ensemble.card.json'), 'utf8'));
  expect(ensCard.architecture.description).toMatch(/^mean of the logits of 2 models/);
  const de = cli(['detect', file, '--model', ensOnnx, '--json']);
  expect(de.code).toBe(0);
  expect(JSON.parse(de.stdout).threshold).toBeCloseTo(ensCard.threshold.value, 10);

  const bad = cli(['export', '--model', path.join(dir, 'nothing-here'), '--out', path.join(dir, 'x.onnx')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^error \[E_NO_MODEL\]: /);
});

test('detect and scan never load TensorFlow.js', () => {
  const dir = tmpDir();
  makeAudioTree(dir, { real: 1, fake: 1, seconds: 2 });
  const script = `
    const { main } = require(${JSON.stringify(path.join(path.dirname(BIN), 'main.js'))});
    (async () => {
      await main(['node', 'melguard', 'scan', ${JSON.stringify(dir)}, '--quiet']);
      await main(['node', 'melguard', 'detect', ${JSON.stringify(path.join(dir, 'REAL', 'spk0', 'real-0000.wav'))}, '--json']);
      const loaded = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
      process.stderr.write('TF_MODULES=' + loaded.length + ' ORT=' + Object.keys(require.cache).some((k) => k.includes('onnxruntime-node')) + '\\n');
    })();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.stderr).toContain('TF_MODULES=0 ORT=true');
});

test('train: an unknown --arch, or --arch with the seed model, is a usage error and writes nothing', () => {
  const dir = tmpDir('melguard-train-arch-');
  const out = path.join(dir, 'run');
  for (const [model, arch, message] of [
    ['default', 'huge', /arch must be one of .*small-freq-cmn/],
    ['seed', 'small', /arch only applies to the default model/],
  ] as const) {
    const r = cli(['train', '--features', path.join(dir, 'no-store'), '--model', model, '--arch', arch, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  }
});
