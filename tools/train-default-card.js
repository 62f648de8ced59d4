#!/usr/bin/env node
// Writes the model card of the shipped default model (<onnx>.card.json + .card.md) from the protocol table
// that tools/evaluate-protocols.js wrote (WORK/protocols.json), and measures ONNX latency on one core.
//
//   node tools/train-default-card.js --work DIR --onnx packages/infer/models/default.onnx [--shipped default-a]
//                                    [--shipped-b default-b] [--shipped-c default-c]
//                                    (the same recipe on protocols b and c; default: --shipped with -a -> -b, -c)
//
// The card's validation section holds the shipped model on its own validation split (protocol a), the same
// recipe retrained on protocols b and c, and, for comparison (named as such), the seed CNN on a, b and c and
// the default recipe's other runs (with and without waveform augmentation). The Markdown page ends with the full run table.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (k, d) => (args.indexOf(k) >= 0 ? args[args.indexOf(k) + 1] : d);
const work = path.resolve(opt('--work', path.join(ROOT, '..', 'melguard-train')));
const onnxPath = path.resolve(opt('--onnx', path.join(ROOT, 'packages', 'infer', 'models', 'default.onnx')));
const shipped = opt('--shipped', 'default-a');
const shippedB = opt('--shipped-b', shipped.replace(/-a(?=-|$)/, '-b'));
const shippedC = opt('--shipped-c', shipped.replace(/-a(?=-|$)/, '-c'));
// optional: a work folder where evaluate-protocols ran with --dev-fraction (and --seeds): the same recipes with the
// epoch and threshold chosen on a dev side carved from training, so their validation numbers involve no selection
const devWork = opt('--dev-work', null);
const trainDir = process.env.MELGUARD_TRAIN_DIST || path.join(ROOT, 'packages', 'train', 'dist');

async function main() {
  const T = require(trainDir);
  const card = require(path.join(trainDir, 'card.js'));
  const { seedTable } = require('./evaluate-protocols.js');
  const { benchOnnxLatency } = require(path.join(trainDir, 'onnx', 'bench-latency.js'));
  const doc = JSON.parse(fs.readFileSync(path.join(work, 'protocols.json'), 'utf8'));
  const byName = Object.fromEntries(doc.results.map((r) => [r.name, r]));
  const devDoc = devWork ? JSON.parse(fs.readFileSync(path.join(devWork, 'protocols.json'), 'utf8')) : null;
  const devFraction = devDoc?.results.find((r) => r.selection === 'dev')?.devFraction ?? null;
  if (devDoc && !devFraction) throw new Error(`${path.join(devWork, 'protocols.json')} holds no run selected on a dev side (evaluate-protocols --dev-fraction)`);
  const main = byName[shipped];
  if (!main) throw new Error(`run ${shipped} is not in ${path.join(work, 'protocols.json')}`);

  const loaded = await T.loadTrainedModel(path.join(work, 'runs', shipped));
  const meta = loaded.metadata;
  const inputShape = meta.input.shape;

  // Latency per 4 s window on one core (ORT, intraOp 1), for the shipped model and the seed model.
  const latency = { default: await benchOnnxLatency(onnxPath, inputShape, 300) };
  const seedOnnx = path.join(work, 'seed.onnx');
  if (byName['seed-a']) {
    const s = await T.loadTrainedModel(path.join(work, 'runs', 'seed-a'));
    T.exportOnnx(s.model, s.metadata, seedOnnx);
    latency.seed = await benchOnnxLatency(seedOnnx, s.metadata.input.shape, 100);
    s.model.dispose();
  }
  const lat = (l) => l && { medianMs: +l.medianMs.toFixed(3), p90Ms: +l.p90Ms.toFixed(3), meanMs: +l.meanMs.toFixed(3), shape: l.shape };

  const brief = (r) => r && {
    model: r.model, parameters: r.parameters, protocol: r.protocol, epochsRun: r.epochsRun, bestEpoch: r.bestEpoch,
    trainSamplesPerSec: r.samplesPerSec && +r.samplesPerSec.toFixed(1), wallSeconds: Math.round(r.wallSeconds), threshold: r.threshold,
    window: r.window, clip: r.clip, augmentation: r.augmentation,
  };
  const validation = [];
  const add = (name, run, description) => {
    if (!byName[run]) return;
    validation.push({ name, description, splitFile: byName[run].splitOrigin && path.relative(ROOT, byName[run].splitOrigin), summary: byName[run].clipSummary });
  };
  add('a: grouped (this model)', shipped, `This model on its validation split. ${doc.protocols.a}. Clip score = mean of window scores.`);
  add('b: leave-methods-out (same recipe retrained)', shippedB, `The same recipe and epochs trained on the training side of protocol b. ${doc.protocols.b}.`);
  add('c: leave-sources-out (same recipe retrained)', shippedC, `The same recipe and epochs trained without one whole source. ${doc.protocols.c ?? ''}.`);
  add('comparison: seed CNN on a', 'seed-a', 'NOT this model: the seed project CNN (seed preset, first 3 s of each clip) on protocol a.');
  add('comparison: seed CNN on b', 'seed-b', 'NOT this model: the seed project CNN (seed preset, first 3 s of each clip) on protocol b.');
  add('comparison: seed CNN on c', 'seed-c', 'NOT this model: the seed project CNN (seed preset, first 3 s of each clip) on protocol c.');
  for (const r of doc.results) {
    if (r.name === shipped || r.name === shippedB || r.name === shippedC || r.model !== 'default') continue;
    if ((r.seed ?? 1) !== 1) continue; // other seeds: summarised in details.seeds and the run table
    const p = r.augmentation?.probability ?? 1;
    const how = r.members ? '' : !r.augmentation ? 'without augmentation'
      : `with dsp's default on-the-fly waveform augmentation${p < 1 ? ` on ${Math.round(100 * p)} % of the windows` : ''}`;
    const what = r.members ? `ensemble of ${r.members.join(' + ')}` : `default recipe (${r.archName ?? 'small-freq'})`;
    const epochs = r.epochsRun === null ? `members' best epochs ${r.bestEpoch}` : `${r.epochsRun} epochs, best ${r.bestEpoch}`;
    const member = (meta.training.members ?? []).some((m) => m.run === r.name);
    add(`comparison: ${r.name}`, r.name, `${member ? 'One member of this model, alone' : 'NOT this model'}: the ${what}${how ? ` ${how}` : ''} on protocol ${r.protocol} (${epochs}).`);
  }

  // How the shipped run chose its epoch and threshold (recorded by training; averaged weights are in its hyperparameters).
  const onDev = main.selection === 'dev';
  const selectedOn = onDev ? `a dev side (${Math.round(100 * main.devFraction)} % of the training side, grouped)` : 'the validation side';
  const c = card.buildModelCard(card.trainedModelCardInput(loaded.model, meta, {
    details: {
      trainedOn: `training side of protocol a (${path.relative(ROOT, main.splitOrigin ?? '')})${onDev ? ' minus its dev side' : ''}; ` +
        `${selectedOn} was used for early stopping and the threshold${onDev ? ', so the validation numbers involve no selection' : ''}`,
      epochs: { run: main.epochsRun, best: main.bestEpoch },
      trainSamplesPerSec: main.samplesPerSec,
      wallSeconds: main.wallSeconds,
      // an ensemble: each member's training (the ensemble itself is not trained)
      ...(meta.training.members ? { members: Object.fromEntries(meta.training.members.map((m) => [m.run, brief(byName[m.run])])) } : {}),
      latencyPerWindowOneCore: { default: lat(latency.default), seed: lat(latency.seed) },
      // seed 1 of every run; the other seeds are in `seeds` and in the Markdown run table
      runs: Object.fromEntries(doc.results.filter((r) => (r.seed ?? 1) === 1).map((r) => [r.name, brief(r)])),
      // recipes trained with several seeds: mean and range of their validation numbers
      ...(doc.seeds?.length ? { seeds: doc.seeds } : {}),
      // the same recipes selected on a dev side: the numbers without selection on the reported side
      ...(devDoc ? { devSelected: { devFraction, note: 'epoch and threshold chosen on a grouped share of the training side; validation is measurement only', seeds: devDoc.seeds ?? [] } } : {}),
    },
    splitPolicy: `grouped (protocol a): ${doc.protocols.a}`,
    validation,
    thresholdChosenBy: onDev
      ? 'clip-level EER threshold on the dev side of protocol a (best epoch on dev); validation is measurement only'
      : 'clip-level EER threshold on the protocol-a validation split (best epoch)',
    modelFile: path.basename(onnxPath),
  }));
  loaded.model.dispose();
  const out = card.writeModelCard(onnxPath, c);
  const table = fs.existsSync(path.join(work, 'protocols.md')) ? fs.readFileSync(path.join(work, 'protocols.md'), 'utf8').split('\n### ')[0] : '';
  fs.appendFileSync(out.markdown, [
    '## All runs (clip-level unless noted; accuracy at each model\'s own validation EER threshold and at 0.5)', '', table.trim(), '',
    ...(devDoc?.seeds?.length ? [
      `## The same recipes with the epoch and threshold chosen on a dev side (${Math.round(100 * devFraction)} % of the training side, grouped)`, '',
      'Every number above selects its epoch and threshold on the side it reports. These runs select on a dev side carved from the training side instead, so their validation numbers involve no selection (and train on fewer files).', '',
      seedTable(devDoc.seeds).trim(), ''] : []),
    `ONNX latency per ${meta.input.windowing.windowSeconds} s window on one core (onnxruntime-node, 1 thread): default ` +
      `${latency.default.medianMs.toFixed(2)} ms median${latency.seed ? `, seed ${latency.seed.medianMs.toFixed(2)} ms median` : ''}.`, '',
  ].join('\n'));
  console.log(JSON.stringify({ card: out, latency: { default: lat(latency.default), seed: lat(latency.seed) }, onnxBytes: fs.statSync(onnxPath).size }, null, 1));
}

main().catch((e) => {
  console.error(`error${e.code ? ` [${e.code}]` : ''}: ${e.stack}`);
  process.exit(1);
});
