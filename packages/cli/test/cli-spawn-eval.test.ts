// detect, evaluate, panel and split through the compiled CLI on a small generated labelled tree.
// The numbers evaluate prints are checked against scores obtained independently (scan) and
// metrics computed here from their definitions.
import fs from 'node:fs';
import path from 'node:path';
import { cli, makeAudioTree, readJsonl, requireBuild } from './spawn-helpers';
import { tmpDir } from './helpers';

let root: string;
let scores: Map<string, { score: number; label: string }>;

beforeAll(() => {
  requireBuild();
  root = tmpDir('melguard-eval-');
  makeAudioTree(root, { real: 12, fake: 12, seconds: 2, corrupt: 2 });
  const out = path.join(tmpDir(), 'scan.jsonl');
  const r = cli(['scan', root, '--out', out]);
  if (r.code !== 0) throw new Error(`scan failed: ${r.stderr}`);
  scores = new Map(readJsonl(out).filter((x) => !x.error).map((x) => [x.path, { score: x.score, label: x.label }]));
});

const truth = (p: string) => (p.includes(`${path.sep}FAKE${path.sep}`) ? 1 : 0);

test('detect: JSON verdict equals the scan record; human output lists every window', () => {
  const file = [...scores.keys()].find((p) => p.includes('FAKE'))!;
  const j = cli(['detect', file, '--json']);
  expect(j.code).toBe(0);
  const r = JSON.parse(j.stdout);
  expect(r.score).toBeCloseTo(scores.get(file)!.score, 6);
  expect(r.label).toBe(scores.get(file)!.label);
  expect(r.windows.length).toBeGreaterThanOrEqual(1);
  const h = cli(['detect', file]);
  expect(h.stdout).toContain(`${file}: ${r.label.toUpperCase()}`);
  expect(h.stdout.split('\n').filter((l) => /^\s+\d+\s+\d+\.\d\d\s+\d+\.\d\d\s+\d\.\d{3} /.test(l))).toHaveLength(r.windows.length);
  const bad = cli(['detect', path.join(root, 'REAL', 'broken', 'bad-000.wav')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^error \[E_[A-Z_]+\]: /);
  expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
});

test('evaluate: accuracy, confusion and AUC agree with the scan scores; the unreadable clips are listed', () => {
  const dir = tmpDir();
  const r = cli(['evaluate', root, '--out', dir, '--json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  const m = report.metrics;
  const rows = [...scores.entries()].map(([p, s]) => ({ y: truth(p), s: s.score }));
  expect(m.n).toBe(24);
  expect(report.failures).toHaveLength(2);
  const t = m.threshold;
  const tp = rows.filter((x) => x.y === 1 && x.s >= t).length;
  const tn = rows.filter((x) => x.y === 0 && x.s < t).length;
  expect(m.confusion.tp).toBe(tp);
  expect(m.confusion.tn).toBe(tn);
  expect(m.accuracy).toBeCloseTo((tp + tn) / 24, 10);
  expect(m.balancedAccuracy).toBeCloseTo((tp / 12 + tn / 12) / 2, 10);
  // AUC from its definition: P(score of a fake > score of a real), ties count 1/2
  let wins = 0;
  for (const f of rows.filter((x) => x.y === 1)) for (const g of rows.filter((x) => x.y === 0)) wins += f.s > g.s ? 1 : f.s === g.s ? 0.5 : 0;
  expect(m.auc).toBeCloseTo(wins / 144, 10);
  // EER lies between the two error rates at its threshold
  const fpr = rows.filter((x) => x.y === 0 && x.s >= m.eerThreshold).length / 12;
  const fnr = rows.filter((x) => x.y === 1 && x.s < m.eerThreshold).length / 12;
  expect(m.eer).toBeGreaterThanOrEqual(Math.min(fpr, fnr) - 1e-12);
  expect(m.eer).toBeLessThanOrEqual(Math.max(fpr, fnr) + 1e-12);
  expect(Object.keys(m.groups.source).length).toBeGreaterThanOrEqual(1);
  const png = fs.readFileSync(path.join(dir, 'roc.png'));
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).metrics).toEqual(m);
  const text = cli(['evaluate', root]);
  expect(text.stdout).toContain('balanced accuracy');
  expect(text.stdout).toMatch(/EER\s+\d+\.\d\d %/);
});

test('split + evaluate --split: only the validation side is scored, with no group on both sides', () => {
  const dir = tmpDir();
  const split = path.join(dir, 'split.json');
  const s = cli(['split', root, '--policy', 'grouped', '--seed', '3', '--out', split]);
  expect(s.code).toBe(0);
  const file = JSON.parse(fs.readFileSync(split, 'utf8'));
  expect(file.val.length).toBeGreaterThan(0);
  const r = cli(['evaluate', root, '--split', split, '--json']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.metrics.n + report.failures.length).toBe(file.val.length);
  expect(report.selection).toContain('val side');
});

test('split --policy leave-sources-out: the held-out source is all in validation; an unknown source is a typed error', () => {
  const dir = tmpDir();
  const tree = makeAudioTree(path.join(dir, 'audio'), { real: 4, fake: 4, seconds: 1 });
  const rows = tree.good.map((f, i) => [path.relative(dir, f), f.includes('FAKE') ? 'fake' : 'real', i % 2 ? 'srcB' : 'srcA', `spk${i}`].join('\t'));
  fs.writeFileSync(path.join(dir, 'manifest.tsv'), ['path\tlabel\tsource\tspeaker', ...rows].join('\n') + '\n');
  const out = path.join(dir, 'split.json');
  const s = cli(['split', path.join(dir, 'manifest.tsv'), '--policy', 'leave-sources-out', '--hold-out', 'srcB', '--out', out]);
  expect(s.code).toBe(0);
  expect(s.stderr).toContain('held-out sources: srcB');
  const file = JSON.parse(fs.readFileSync(out, 'utf8'));
  expect(file.heldOutSources).toEqual(['srcB']);
  expect(Object.keys(file.counts.val.bySource)).toEqual(['srcB']);
  expect(Object.keys(file.counts.train.bySource)).toEqual(['srcA']);
  const bad = cli(['split', path.join(dir, 'manifest.tsv'), '--policy', 'leave-sources-out', '--hold-out', 'srcC', '--out', path.join(dir, 'bad.json')]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^error \[E_SPLIT\]: unknown source\(s\) to hold out: srcC \(known: srcA, srcB\)/);
  expect(fs.existsSync(path.join(dir, 'bad.json'))).toBe(false);
});

test('copy-synth: pseudo-fakes of the train-side reals, a combined manifest and the split extended on its train side', () => {
  const dir = tmpDir();
  const tree = makeAudioTree(path.join(dir, 'audio'), { real: 4, fake: 4, seconds: 1 });
  const rows = tree.good.map((f, i) => [path.relative(dir, f), f.includes('FAKE') ? 'fake' : 'real', 'src', `spk${i % 4}`].join('\t'));
  fs.writeFileSync(path.join(dir, 'manifest.tsv'), ['path\tlabel\tsource\tspeaker', ...rows].join('\n') + '\n');
  const split = path.join(dir, 'split.json');
  expect(cli(['split', path.join(dir, 'manifest.tsv'), '--seed', '2', '--val-fraction', '0.3', '--out', split]).code).toBe(0);
  const before = JSON.parse(fs.readFileSync(split, 'utf8'));
  const trainReals = before.train.filter((id: string) => rows.some((r) => r.startsWith(`${id}\treal`)));
  const out = path.join(tmpDir(), 'pseudo');
  const r = cli(['copy-synth', path.join(dir, 'manifest.tsv'), '--split', split, '--n-iter', '4', '--out', out]);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`${trainReals.length} pseudo-fakes written, 0 reused, 0 failed (of ${trainReals.length} reals)`);
  const manifest = fs.readFileSync(path.join(out, 'manifest.tsv'), 'utf8').trim().split('\n');
  expect(manifest).toHaveLength(1 + rows.length + trainReals.length);
  const after = JSON.parse(fs.readFileSync(path.join(out, 'splits', 'split.json'), 'utf8'));
  expect(after.val).toEqual(before.val);
  expect(after.train).toHaveLength(before.train.length + trainReals.length);
  for (const id of after.train.slice(before.train.length)) expect(fs.statSync(path.join(out, id)).size).toBeGreaterThan(44);
  const inside = cli(['copy-synth', path.join(dir, 'manifest.tsv'), '--out', path.join(dir, 'audio', 'pseudo')]);
  expect(inside.code).not.toBe(0);
  expect(inside.stderr).toMatch(/^error \[E_BAD_ARGUMENT\]: --out .* lies inside the corpus/);
});

test('panel: a PNG grid, reproducible from its seed', () => {
  const dir = tmpDir();
  const a = cli(['panel', root, '--n', '6', '--seed', '5', '--out', path.join(dir, 'a.png')]);
  expect(a.code).toBe(0);
  expect(a.stderr).toMatch(/a\.png: 6 clips, [0-6] wrong/);
  cli(['panel', root, '--n', '6', '--seed', '5', '--out', path.join(dir, 'b.png')]);
  cli(['panel', root, '--n', '6', '--seed', '6', '--out', path.join(dir, 'c.png')]);
  const [pa, pb, pc] = ['a', 'b', 'c'].map((n) => fs.readFileSync(path.join(dir, `${n}.png`)));
  expect(pa.subarray(1, 4).toString()).toBe('PNG');
  expect(pa.equals(pb)).toBe(true);
  expect(pa.equals(pc)).toBe(false);
});
