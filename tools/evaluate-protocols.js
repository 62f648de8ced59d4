#!/usr/bin/env node
// Reproduces melguard's protocol table: the default and seed models on (a) the grouped split, (b) the
// leave-methods-out split and (c) the leave-sources-out split, plus the default model with waveform
// augmentation on each.
//
//   node tools/evaluate-protocols.js [--corpus DIR] [--work DIR] [--train] [--only a,b,c] [--epochs-default N]
//                                    [--epochs-seed N] [--arch-compare] [--epochs-arch N] [--cmn]
//                                    [--sweep-sources SOURCE,SOURCE,...] [--seeds 1,2,...] [--dev-fraction F]
//                                    [--ema DECAY]
//
// --cmn            adds, on a, b and c, the time-mean-normalised variant (--arch small-freq-cmn) of the default
//                  recipe (cmn-P-aug) and the default network with every second window augmented
//                  (default-P-p50, --augment-probability 0.5), and two ensembles (`melguard ensemble`) wherever
//                  their members are trained: the shipped model's form ensemble-P-aug = default-P-aug + cmn-P-aug,
//                  and the alternative ensemble-P-mix = default-P-p50 + cmn-P-aug
// --sweep-sources  holds each named source out in turn (protocol c with --hold-out; split files in WORK/splits)
//                  with the same runs and ensembles: lso-SOURCE-aug, lso-SOURCE-cmn-aug, lso-SOURCE-p50,
//                  lso-SOURCE-ensemble-aug, lso-SOURCE-ensemble-mix (--only sweep: just these)
// --seeds 1,2,...  trains the --cmn runs and ensembles of a, b and c once per seed (seed 1 keeps the plain names,
//                  seed N adds -sN) and adds a table of each recipe's mean and range over the seeds: one seed's
//                  validation EER moves by several points with the seed alone, so compare recipes on the mean
// --dev-fraction F  every run trains with `--dev-fraction F`: early stopping and thresholds use a grouped share of
//                  the training side, so the validation numbers involve no selection (use its own --work folder)
// --ema DECAY      every run trains with `--ema DECAY` (averaged weights; its own --work folder too)
// --train  builds what is missing: the two feature stores (speech16k 4 s windows / 2 s hop; seed preset,
//          first 3 s of each clip), the split files (packages/train/splits/, seed 1) and every run, through
//          the `melguard` CLI. Runs whose model already exists are kept (delete the run folder to redo one).
// Then every run under WORK/runs is evaluated on its own validation side (the split.json the trainer wrote):
// window- and clip-level EER, AUC, accuracy and balanced accuracy at the model's threshold (the clip EER
// threshold of the best epoch) and at 0.5, per source and per method (@melguard/metrics summarise),
// parameters, training throughput and wall time. Writes WORK/protocols.json and WORK/protocols.md.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (k) => args.includes(k);
const opt = (k, d) => (args.indexOf(k) >= 0 ? args[args.indexOf(k) + 1] : d);
const corpus = path.resolve(opt('--corpus', path.join(ROOT, '..', 'shared', 'corpus')));
const work = path.resolve(opt('--work', path.join(ROOT, '..', 'melguard-protocols')));
const splitsDir = path.resolve(opt('--splits', path.join(ROOT, 'packages', 'train', 'splits')));
const store16k = path.resolve(opt('--store16k', path.join(work, 'features-16k')));
const storeSeed = path.resolve(opt('--store-seed', path.join(work, 'features-seed')));
const runsDir = path.join(work, 'runs');
const CLI = path.join(ROOT, 'packages', 'cli', 'dist', 'bin.js');

const SPLITS = { a: 'grouped.json', b: 'leave-methods-out.json', c: 'leave-sources-out.json' };
const PROTOCOLS = {
  a: 'grouped by speaker / source recording / sentence (a real clip and its resynthesised fakes on one side), 20 % validation, seed 1',
  b: 'leave-methods-out: whole generator methods only in validation (seeded choice, ~25 % of fakes), seed 1',
  c: 'leave-sources-out: one whole source (its recordings and its generators) only in validation (seeded choice among sources with both labels), seed 1',
};
const E_DEF = Number(opt('--epochs-default', 8));
const E_SEED = Number(opt('--epochs-seed', 4));
const DEV_FRACTION = opt('--dev-fraction');
const EMA = opt('--ema');
const RUNS = [
  { name: 'default-a', model: 'default', protocol: 'a', epochs: E_DEF },
  { name: 'default-b', model: 'default', protocol: 'b', epochs: E_DEF },
  { name: 'seed-a', model: 'seed', protocol: 'a', epochs: E_SEED },
  { name: 'seed-b', model: 'seed', protocol: 'b', epochs: E_SEED },
  { name: 'default-a-aug', model: 'default', protocol: 'a', epochs: E_DEF, augment: true },
  { name: 'default-b-aug', model: 'default', protocol: 'b', epochs: E_DEF, augment: true },
  { name: 'default-c', model: 'default', protocol: 'c', epochs: E_DEF },
  { name: 'seed-c', model: 'seed', protocol: 'c', epochs: E_SEED },
  { name: 'default-c-aug', model: 'default', protocol: 'c', epochs: E_DEF, augment: true },
];
if (flag('--arch-compare')) {
  for (const arch of ['small', 'small-freq', 'wide-freq']) {
    RUNS.push({ name: `arch-${arch}-a`, model: 'default', arch, protocol: 'a', epochs: Number(opt('--epochs-arch', 4)) });
  }
}
// --cmn: the shipped model's members and their alternatives on a, b and c (one set per --seeds seed).
const SEEDS = opt('--seeds', '1').split(',').map(Number);
if (SEEDS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--seeds wants positive integers, got ${opt('--seeds')}`);
// Seed N > 1 of a run is named RUN-sN; seedOf reads the name back (its recipe and its seed).
const seedSuffix = (seed) => (seed === 1 ? '' : `-s${seed}`);
function seedOf(name) {
  const m = /^(.*?)(?:-s(\d+))?$/.exec(name);
  return { recipe: m[1], seed: m[2] ? Number(m[2]) : 1 };
}
const ENSEMBLES = [];
/** The --cmn runs and their two ensembles under one name prefix (P-... for protocols, lso-SOURCE-... for the sweep). */
function memberRuns(prefixOf, protocol, seed, extra = {}) {
  const sx = seedSuffix(seed);
  const [dflt, cmn, p50] = [`${prefixOf('default')}-aug${sx}`, `${prefixOf('cmn')}-aug${sx}`, `${prefixOf('default')}-p50${sx}`];
  const base = { model: 'default', protocol, epochs: E_DEF, augment: true, seed, ...extra };
  RUNS.push({ ...base, name: cmn, arch: 'small-freq-cmn' }, { ...base, name: p50, augmentProbability: 0.5 });
  if (seed !== 1) RUNS.push({ ...base, name: dflt });
  ENSEMBLES.push({ name: `${prefixOf('ensemble')}-aug${sx}`, protocol, members: [dflt, cmn] });
  ENSEMBLES.push({ name: `${prefixOf('ensemble')}-mix${sx}`, protocol, members: [p50, cmn] });
}
if (flag('--cmn')) {
  for (const seed of SEEDS) for (const protocol of ['a', 'b', 'c']) memberRuns((kind) => `${kind}-${protocol}`, protocol, seed);
}
// --sweep-sources S1,S2,...: each source held out in turn (protocol c with --hold-out S), seed 1.
const SWEEP = opt('--sweep-sources', '') ? opt('--sweep-sources').split(',') : [];
for (const source of SWEEP) {
  const split = path.join(work, 'splits', `leave-out-${source}.json`); // never into the repo's splits/
  RUNS.push({ name: `lso-${source}-aug`, model: 'default', protocol: 'sweep', split, holdOut: source, epochs: E_DEF, augment: true });
  memberRuns((kind) => (kind === 'default' ? `lso-${source}` : `lso-${source}-${kind}`), 'sweep', 1, { split, holdOut: source });
}

function run(cmd, argv) {
  console.error(`$ ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
}
const cli = (...argv) => run(process.execPath, [CLI, ...argv]);

function prepare() {
  const manifest = fs.existsSync(path.join(corpus, 'manifest.tsv')) ? path.join(corpus, 'manifest.tsv') : corpus;
  if (!fs.existsSync(path.join(store16k, 'index.json'))) {
    cli('features', manifest, '--out', store16k, '--preset', 'speech16k', '--window-seconds', '4', '--hop-seconds', '2', '--min-seconds', '1');
  }
  if (!fs.existsSync(path.join(storeSeed, 'index.json'))) {
    cli('features', manifest, '--out', storeSeed, '--preset', 'seed', '--window-seconds', '3', '--first-only');
  }
  fs.mkdirSync(splitsDir, { recursive: true });
  if (!fs.existsSync(path.join(splitsDir, SPLITS.a))) cli('split', manifest, '--policy', 'grouped', '--seed', '1', '--out', path.join(splitsDir, SPLITS.a));
  if (!fs.existsSync(path.join(splitsDir, SPLITS.b))) cli('split', manifest, '--policy', 'leave-methods-out', '--seed', '1', '--out', path.join(splitsDir, SPLITS.b));
  if (!fs.existsSync(path.join(splitsDir, SPLITS.c))) cli('split', manifest, '--policy', 'leave-sources-out', '--seed', '1', '--out', path.join(splitsDir, SPLITS.c));
  for (const r of RUNS.filter((x) => x.holdOut && !fs.existsSync(x.split))) {
    fs.mkdirSync(path.dirname(r.split), { recursive: true });
    cli('split', manifest, '--policy', 'leave-sources-out', '--hold-out', r.holdOut, '--seed', '1', '--out', r.split);
  }
}

function trainRuns(only) {
  for (const r of RUNS.filter((x) => only.includes(x.protocol))) {
    const out = path.join(runsDir, r.name);
    if (fs.existsSync(path.join(out, 'model', 'model.json'))) continue;
    const split = r.split ?? path.join(splitsDir, SPLITS[r.protocol]);
    cli('train', '--features', r.model === 'seed' ? storeSeed : store16k, '--model', r.model, '--out', out,
      '--epochs', String(r.epochs), '--split', split, '--seed', String(r.seed ?? 1), '--patience', '4',
      ...(r.arch ? ['--arch', r.arch] : []), ...(r.augment ? ['--augment'] : []),
      ...(r.augmentProbability ? ['--augment-probability', String(r.augmentProbability)] : []),
      ...(DEV_FRACTION ? ['--dev-fraction', DEV_FRACTION] : []), ...(EMA ? ['--ema', EMA] : []));
  }
  for (const e of ENSEMBLES.filter((x) => only.includes(x.protocol))) {
    const out = path.join(runsDir, e.name);
    const members = e.members.map((m) => path.join(runsDir, m));
    if (!members.every((m) => fs.existsSync(path.join(m, 'model', 'model.json')))) continue;
    if (fs.existsSync(path.join(out, 'model', 'model.json'))) {
      // kept only if it was built from these members (an older work folder may hold another recipe's ensemble)
      const built = JSON.parse(fs.readFileSync(path.join(out, 'model', 'metadata.json'), 'utf8')).training?.members?.map((m) => m.run);
      if (JSON.stringify(built) === JSON.stringify(e.members)) continue;
      fs.rmSync(out, { recursive: true, force: true });
    }
    cli('ensemble', ...members.flatMap((m) => ['--model', m]), '--features', store16k, '--out', out);
  }
}

/** Scores a run's validation windows with its best model and summarises them per window and per clip. */
async function evaluateRun(T, metrics, tf, name) {
  const out = path.join(runsDir, name);
  const loaded = await T.loadTrainedModel(out);
  const meta = loaded.metadata;
  const modelName = meta.training.model;
  const recipe = T.recipeFor(modelName);
  const storeDir = modelName === 'seed' ? storeSeed : store16k;
  const source = new T.StoreSource(T.openStoreFor(storeDir, recipe), recipe);
  try {
    const split = JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8'));
    const byId = new Map(source.files.map((f, i) => [f.id, i]));
    const val = split.val.map((id) => byId.get(id)).filter((i) => i !== undefined).sort((a, b) => a - b);
    const refs = [];
    for (const file of val) for (let window = 0; window < source.files[file].windows; window++) refs.push({ file, window });
    const [h, w, c] = source.inputShape;
    const size = h * w * c;
    const B = 64;
    const buf = new Float32Array(B * size);
    const scores = new Float32Array(refs.length);
    for (let s = 0; s < refs.length; s += B) {
      const part = refs.slice(s, s + B);
      await source.fill(part, buf, { epoch: 0, augment: false });
      const y = tf.tidy(() => loaded.model.predict(tf.tensor4d(buf.subarray(0, part.length * size), [part.length, h, w, c])));
      scores.set(await y.data(), s);
      y.dispose();
    }
    const files = source.files;
    const wl = Uint8Array.from(refs, (r) => files[r.file].label);
    const breakdown = (idx) => ({ groups: { source: idx.map((i) => files[i].source ?? null) }, methods: idx.map((i) => files[i].method ?? null) });
    const windowSummary = metrics.summarise(scores, wl, { threshold: meta.threshold, ...breakdown(refs.map((r) => r.file)) });
    const sums = new Map();
    refs.forEach((r, i) => { const e = sums.get(r.file) ?? [0, 0]; e[0] += scores[i]; e[1]++; sums.set(r.file, e); });
    const clipFiles = [...sums.keys()];
    const clipScores = Float32Array.from(clipFiles, (f) => sums.get(f)[0] / sums.get(f)[1]);
    const cl = Uint8Array.from(clipFiles, (f) => files[f].label);
    const clipSummary = metrics.summarise(clipScores, cl, { threshold: meta.threshold, ...breakdown(clipFiles) });
    const at05 = metrics.summarise(clipScores, cl, { threshold: 0.5 });
    // Protocol b's validation side also holds fakes of trained-on methods (tied to held-out ones by group):
    // the unseen-generator question proper is held-out fakes vs all validation reals.
    const held = new Set(split.heldOutMethods ?? []);
    let heldOut = null;
    if (held.size > 0) {
      const keep = clipFiles.map((f, i) => [f, i]).filter(([f]) => files[f].label === 0 || held.has(files[f].method));
      const hs = metrics.summarise(Float32Array.from(keep, ([, i]) => clipScores[i]), Uint8Array.from(keep, ([f]) => files[f].label), { threshold: meta.threshold });
      heldOut = { methods: [...held], n: hs.n, real: hs.real, fake: hs.fake, eer: hs.eer, auc: hs.auc, accuracy: hs.accuracy, balancedAccuracy: hs.balancedAccuracy };
    }
    const log = fs.existsSync(path.join(out, 'log.jsonl'))
      ? fs.readFileSync(path.join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
    // run.json: candidate architectures trained through the package API by earlier versions of this tool
    const runJson = fs.existsSync(path.join(out, 'run.json')) ? JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) : null;
    const t = meta.training;
    return {
      name, seed: seedOf(name).seed, model: modelName, archName: t.arch ?? runJson?.arch ?? null, members: t.members?.map((m) => m.run) ?? null, arch: t.architecture, preset: t.preset, parameters: loaded.model.countParams(), macs: t.macs,
      protocol: split.policy, splitOrigin: t.split?.origin, augmentation: t.augmentation ?? null,
      trainCounts: t.split?.train, valCounts: t.split?.val,
      // which side picked the epoch and the threshold: a dev side carved from training (--dev-fraction) or validation
      selection: t.split?.selection ?? 'val', devCounts: t.split?.dev ?? null, devFraction: t.split?.devFraction ?? null,
      weightAverage: t.hyperparameters?.weightAverage ?? null,
      // an ensemble has no training log of its own: its members' best epochs
      epochsRun: t.members ? null : log.length, bestEpoch: Array.isArray(t.epochs) ? t.epochs.join('/') : t.epochs,
      samplesPerSec: log.length ? log.reduce((a, h) => a + h.samplesPerSec, 0) / log.length : null,
      wallSeconds: runJson?.wallSeconds ?? log.reduce((a, h) => a + h.seconds, 0),
      threshold: meta.threshold,
      window: { n: refs.length, eer: windowSummary.eer, auc: windowSummary.auc, accuracy: windowSummary.accuracy, balancedAccuracy: windowSummary.balancedAccuracy },
      clip: { n: clipFiles.length, eer: clipSummary.eer, auc: clipSummary.auc, accuracy: clipSummary.accuracy, balancedAccuracy: clipSummary.balancedAccuracy,
        accuracyAt05: at05.accuracy, balancedAccuracyAt05: at05.balancedAccuracy },
      // the same run without epoch selection: its last epoch's clip EER (selection on the validation side
      // that is also reported flatters the best-epoch number; this one is not chosen by it)
      lastEpochClipEer: t.members || !log.length ? null : log[log.length - 1].val?.clipEer ?? null,
      heldOut, clipSummary, windowSummary,
    };
  } finally {
    source.close();
    loaded.model.dispose();
  }
}

const pct = (v) => (v === undefined || v === null ? '—' : `${(100 * v).toFixed(2)}`);

/** Runs of one recipe trained with several seeds (name, name-s2, ...): mean and range of their clip numbers. */
function seedSummary(results) {
  const byBase = new Map();
  for (const r of results) {
    const { recipe, seed } = seedOf(r.name);
    const list = byBase.get(recipe) ?? [];
    list.push({ seed, r });
    byBase.set(recipe, list);
  }
  const stat = (xs) => (xs.some((x) => x === null || x === undefined) ? null
    : { mean: xs.reduce((a, x) => a + x, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) });
  return [...byBase].filter(([, list]) => list.length > 1).map(([base, list]) => ({
    recipe: base, protocol: list[0].r.protocol, seeds: list.map((x) => x.seed).sort((a, b) => a - b),
    clipEer: stat(list.map((x) => x.r.clip.eer)), clipAuc: stat(list.map((x) => x.r.clip.auc)),
    heldOutEer: list[0].r.heldOut ? stat(list.map((x) => x.r.heldOut?.eer)) : null,
  }));
}

function seedTable(rows) {
  if (rows.length === 0) return '';
  const range = (s, f = pct) => (s ? `${f(s.mean)} (${f(s.min)}–${f(s.max)})` : '—');
  const auc = (v) => v.toFixed(4);
  // no '### ' heading: the model card keeps the page up to the first one
  return ['', '**Over seeds**: mean (min–max) of each recipe trained with every seed', '',
    '| recipe | protocol | seeds | clip EER % | clip AUC | held-out-only clip EER % |', '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.recipe} | ${r.protocol} | ${r.seeds.join(', ')} | ${range(r.clipEer)} | ${range(r.clipAuc, auc)} | ${range(r.heldOutEer)} |`),
  ].join('\n') + '\n';
}

function table(results, seedSection = '') {
  const lines = [
    '| run | model | protocol | params | epochs (best) | samples/s | wall s | window EER % | clip EER % | clip EER % last epoch | clip AUC | acc % @thr | bal. acc % @thr | acc % @0.5 | held-out-only clip EER % |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(`| ${r.name} | ${r.model}${r.archName ? `/${r.archName}` : ''}${r.augmentation ? ' +aug' : ''} | ${r.protocol} | ${r.parameters} | ${r.epochsRun ?? '—'} (${r.bestEpoch}${r.selection === 'dev' ? ' on dev' : ''}) | ${r.samplesPerSec?.toFixed(1) ?? '—'} | ${r.wallSeconds ? r.wallSeconds.toFixed(0) : '—'} | ` +
      `${pct(r.window.eer)} | ${pct(r.clip.eer)} | ${pct(r.lastEpochClipEer)} | ${r.clip.auc?.toFixed(4)} | ${pct(r.clip.accuracy)} | ${pct(r.clip.balancedAccuracy)} | ${pct(r.clip.accuracyAt05)} | ${r.heldOut ? pct(r.heldOut.eer) : '—'} |`);
  }
  if (seedSection) lines.push(seedSection.trimEnd());
  for (const r of results) {
    lines.push('', `### ${r.name} — clip level per source (threshold ${r.threshold.toPrecision(4)})`, '', '| source | clips | real | fake | acc % | EER % |', '|---|---:|---:|---:|---:|---:|');
    for (const [s, g] of Object.entries(r.clipSummary.groups.source)) lines.push(`| ${s} | ${g.n} | ${g.real} | ${g.fake} | ${pct(g.accuracy)} | ${pct(g.eer)} |`);
    lines.push('', '| method (fakes vs all val reals) | fakes | detected % | EER % |', '|---|---:|---:|---:|');
    for (const [m, a] of Object.entries(r.clipSummary.attacks)) lines.push(`| ${m} | ${a.n} | ${pct(a.detectionRate)} | ${pct(a.eer)} |`);
  }
  return lines.join('\n') + '\n';
}

async function main() {
  const only = opt('--only', 'a,b,c,sweep').split(',');
  const T = require(process.env.MELGUARD_TRAIN_DIST || path.join(ROOT, 'packages', 'train'));
  if (flag('--train')) {
    prepare();
    trainRuns(only);
  }
  const metrics = require('@melguard/metrics');
  const tf = require('@tensorflow/tfjs');
  const names = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((n) => fs.existsSync(path.join(runsDir, n, 'model', 'model.json'))).sort() : [];
  if (names.length === 0) throw new Error(`no trained runs under ${runsDir} (use --train)`);
  const results = [];
  for (const n of names) {
    console.error(`evaluating ${n}`);
    results.push(await evaluateRun(T, metrics, tf, n));
  }
  const seeds = seedSummary(results);
  const doc = { format: 'melguard-protocols/1', corpus, store16k, storeSeed, protocols: PROTOCOLS, date: new Date().toISOString(), results, seeds };
  fs.writeFileSync(path.join(work, 'protocols.json'), JSON.stringify(doc, null, 1) + '\n');
  const md = table(results, seedTable(seeds));
  fs.writeFileSync(path.join(work, 'protocols.md'), md);
  process.stdout.write(md);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`error${e.code ? ` [${e.code}]` : ''}: ${e.message}`);
    process.exit(1);
  });
}
module.exports = { seedSummary, seedTable };
