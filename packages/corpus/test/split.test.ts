import * as fs from 'fs';
import * as path from 'path';
import { assignGroups, CorpusError, makeSplit, readSplitFile, utteranceInfo, writeSplitFile, type Split, type SplitItem, type SplitPolicy } from '../src';
import { Rng } from '../src/rng';
import { cleanupTmp, tmpDir } from './helpers/tmp';

afterAll(cleanupTmp);

type Item = SplitItem & { speaker?: string };

/** A random corpus: sources with their methods, speakers and LJ-style sentence ids drawn from small pools
 * (so files collide on speakers/sentences and groups form), some byte-identical copies, some unlabelled. */
function randomCorpus(rng: Rng): Item[] {
  const n = 10 + rng.int(250);
  const nSources = 1 + rng.int(5);
  const methods = Array.from({ length: nSources }, (_, s) => Array.from({ length: 1 + rng.int(6) }, (_, m) => `S${s}-M${m}`));
  const speakers = 1 + rng.int(40);
  const sentences = 5 + rng.int(200);
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const s = rng.int(nSources);
    const r = rng.next();
    const label = r < 0.05 ? null : r < 0.5 ? 'real' : 'fake';
    const sent = rng.int(sentences);
    const id = `src${s}/${label ?? 'unk'}/LJ${String(sent).padStart(3, '0')}-0001_${i}.wav`;
    const it: Item = { id, label, group: '', source: `src${s}` };
    if (label === 'fake') it.method = methods[s]![rng.int(methods[s]!.length)]!;
    if (rng.next() < 0.5) it.speaker = `spk${rng.int(speakers)}`;
    if (rng.next() < 0.05 && items.length > 0) it.sha256 = items[rng.int(items.length)]!.sha256 ?? `sha${i}`;
    else it.sha256 = `sha${i}`;
    items.push(it);
  }
  // Files with equal content: give the copy's origin the same hash.
  for (const it of items) if (it.sha256 !== undefined && !items.some((o) => o !== it && o.sha256 === it.sha256)) it.sha256 = `u-${it.id}`;
  return assignGroups(items.map((it) => ({ ...it, path: `/c/${it.id}` }))).map(({ path: _p, ...rest }) => rest as Item);
}

function sideOf(split: Split): Map<string, 'train' | 'val'> {
  const m = new Map<string, 'train' | 'val'>();
  for (const id of split.train) m.set(id, 'train');
  for (const id of split.val) m.set(id, 'val');
  return m;
}

function assertLeakFree(items: Item[], split: Split): void {
  const side = sideOf(split);
  expect(split.train.length + split.val.length).toBe(side.size); // no file on both sides
  const labelled = items.filter((i) => i.label !== null);
  expect(new Set(side.keys())).toEqual(new Set(labelled.map((i) => i.id)));
  const seen = new Map<string, string>();
  const check = (kind: string, key: string | undefined, s: string) => {
    if (key === undefined) return;
    const k = `${kind}:${key}`;
    const prev = seen.get(k);
    if (prev !== undefined && prev !== s) throw new Error(`${k} on both sides`);
    seen.set(k, s);
  };
  for (const it of labelled) {
    const s = side.get(it.id)!;
    check('group', it.group, s);
    check('speaker', it.speaker, s);
    check('sha', it.sha256, s);
    for (const k of utteranceInfo(it).keys) check('sentence', k, s);
  }
  if (split.policy === 'leave-methods-out') {
    const held = new Set(split.heldOutMethods);
    expect(held.size).toBeGreaterThan(0);
    for (const it of labelled) if (it.method !== undefined && held.has(it.method)) expect(side.get(it.id)).toBe('val');
    expect(labelled.some((i) => i.label === 'fake' && side.get(i.id) === 'train')).toBe(true);
  }
  if (split.policy === 'leave-sources-out') {
    const held = new Set(split.heldOutSources);
    expect(held.size).toBeGreaterThan(0);
    for (const it of labelled) if (held.has(it.source ?? '(none)')) expect(side.get(it.id)).toBe('val');
    for (const label of ['real', 'fake']) expect(labelled.some((i) => i.label === label && side.get(i.id) === 'train')).toBe(true);
  }
}

describe('split property test (random corpora, random seeds)', () => {
  it.each<SplitPolicy>(['grouped', 'leave-methods-out', 'leave-sources-out'])('%s: no group, speaker, sentence or file content on both sides; held-out methods or sources never in training; reproducible', (policy) => {
    const rng = new Rng(`property-${policy}`);
    let made = 0;
    let refused = 0;
    for (let trial = 0; trial < 200; trial++) {
      const items = randomCorpus(rng);
      const seed = rng.int(1e9);
      const valFraction = 0.1 + 0.4 * rng.next();
      let split: Split;
      try {
        split = makeSplit(items, { policy, seed, valFraction });
      } catch (err) {
        // Degenerate corpora (one group, a single method…) must be refused with a typed error, never split wrongly.
        expect(err).toBeInstanceOf(CorpusError);
        expect(['E_SPLIT', 'E_NO_LABELS']).toContain((err as CorpusError).code);
        refused++;
        continue;
      }
      made++;
      assertLeakFree(items, split);
      expect(makeSplit(items, { policy, seed, valFraction })).toEqual(split);
      // Input order does not matter.
      expect(makeSplit([...items].reverse(), { policy, seed, valFraction })).toEqual(split);
    }
    expect(made).toBeGreaterThan(130);
    expect(refused).toBeLessThan(70);
  });
});

/** Many small groups: 4 sources x 60 sentences, each sentence a real and 1-3 fakes of the source's methods. */
function tableCorpus(): Item[] {
  const items: Item[] = [];
  for (let s = 0; s < 4; s++) {
    for (let k = 0; k < 60; k++) {
      const sent = `LJ${String(s * 100 + k).padStart(3, '0')}-0001`;
      items.push({ id: `s${s}/real/${sent}.wav`, label: 'real', source: `s${s}`, group: '' });
      for (let m = 0; m < 1 + (k % 3); m++) items.push({ id: `s${s}/fake/m${(k + m) % 5}/${sent}_gen.wav`, label: 'fake', source: `s${s}`, method: `s${s}-m${(k + m) % 5}`, group: '' });
    }
  }
  return assignGroups(items.map((i) => ({ ...i, path: i.id }))).map(({ path: _p, ...rest }) => rest as Item);
}

describe('grouped split', () => {
  it('hits the validation fraction per source and label, and differs between seeds', () => {
    const items = tableCorpus();
    const a = makeSplit(items, { seed: 1, valFraction: 0.2 });
    for (const s of ['s0', 's1', 's2', 's3']) {
      for (const label of ['real', 'fake'] as const) {
        const total = items.filter((i) => i.source === s && i.label === label).length;
        const inVal = a.counts.val.bySource[s]![label];
        expect(Math.abs(inVal / total - 0.2)).toBeLessThan(0.05);
      }
    }
    expect(a.counts.val.files + a.counts.train.files).toBe(items.length);
    const b = makeSplit(items, { seed: 2, valFraction: 0.2 });
    expect(b.val).not.toEqual(a.val);
    assertLeakFree(items, a);
  });

  it('repairs a split so both sides get both labels and every multi-group source', () => {
    // One big real group and small fake groups: greedy alone would leave validation without reals.
    const items: Item[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ id: `a/real/${i}.wav`, label: 'real' as const, source: 'a', group: 'spk:big' })),
      ...Array.from({ length: 4 }, (_, i) => ({ id: `a/real/x${i}.wav`, label: 'real' as const, source: 'a', group: `r${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ id: `b/fake/${i}.wav`, label: 'fake' as const, source: 'b', method: 'm', group: `f${i}` })),
    ];
    for (let seed = 0; seed < 20; seed++) {
      const s = makeSplit(items, { seed, valFraction: 0.2 });
      for (const side of [s.counts.train, s.counts.val]) {
        expect(side.real).toBeGreaterThan(0);
        expect(side.fake).toBeGreaterThan(0);
      }
      expect(s.counts.val.bySource.a).toBeDefined();
      expect(s.counts.val.bySource.b).toBeDefined();
    }
  });

  it('keeps byte-identical files together even across groups, and excludes unlabelled files', () => {
    const items: Item[] = Array.from({ length: 40 }, (_, i) => ({ id: `f${i}.wav`, label: i % 2 ? 'fake' : 'real', group: `g${i}`, sha256: i < 20 ? 'same' : `h${i}` }));
    items.push({ id: 'u.wav', label: null, group: 'gu' });
    for (let seed = 0; seed < 10; seed++) {
      const s = makeSplit(items, { seed });
      const side = sideOf(s);
      expect(new Set(items.slice(0, 20).map((i) => side.get(i.id))).size).toBe(1);
      expect(side.has('u.wav')).toBe(false);
      expect(s.counts.unlabelledExcluded).toBe(1);
    }
  });

  it('refuses impossible or invalid requests with typed errors', () => {
    const one = [
      { id: 'a', label: 'real' as const, group: 'g' },
      { id: 'b', label: 'fake' as const, group: 'g' },
    ];
    expect(() => makeSplit(one)).toThrow(expect.objectContaining({ code: 'E_SPLIT' }));
    expect(() => makeSplit([{ id: 'a', label: null, group: 'g' }])).toThrow(expect.objectContaining({ code: 'E_NO_LABELS' }));
    expect(() => makeSplit(tableCorpus(), { valFraction: 1 })).toThrow(expect.objectContaining({ code: 'E_BAD_ARGUMENT' }));
    expect(() => makeSplit(tableCorpus(), { policy: 'random' as SplitPolicy })).toThrow(expect.objectContaining({ code: 'E_BAD_ARGUMENT' }));
  });
});

describe('leave-methods-out split', () => {
  it('holds out the given methods: all their files and groups are in validation, with reals', () => {
    const items = tableCorpus();
    const s = makeSplit(items, { policy: 'leave-methods-out', holdOutMethods: ['s0-m1', 's2-m3'], seed: 3 });
    expect(s.heldOutMethods).toEqual(['s0-m1', 's2-m3']);
    expect(s.counts.train.byMethod['s0-m1']).toBeUndefined();
    expect(s.counts.train.byMethod['s2-m3']).toBeUndefined();
    expect(s.counts.val.byMethod['s0-m1']).toBe(items.filter((i) => i.method === 's0-m1').length);
    expect(s.counts.val.real).toBeGreaterThan(0);
    expect(s.counts.train.real).toBeGreaterThan(0);
    assertLeakFree(items, s);
  });

  it('chooses methods with the seed to cover about a quarter of the fakes, spread over sources', () => {
    const items = tableCorpus();
    const fakes = items.filter((i) => i.label === 'fake').length;
    const chosen = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const s = makeSplit(items, { policy: 'leave-methods-out', seed });
      const held = items.filter((i) => i.method !== undefined && s.heldOutMethods.includes(i.method)).length;
      expect(held / fakes).toBeGreaterThanOrEqual(0.15);
      expect(held / fakes).toBeLessThanOrEqual(0.3);
      expect(new Set(s.heldOutMethods.map((m) => m.split('-')[0])).size).toBeGreaterThan(1);
      chosen.add(s.heldOutMethods.join(','));
      assertLeakFree(items, s);
    }
    expect(chosen.size).toBeGreaterThan(1);
  });

  it('rejects unknown methods and lists the known ones', () => {
    expect(() => makeSplit(tableCorpus(), { policy: 'leave-methods-out', holdOutMethods: ['nope'] })).toThrow(
      expect.objectContaining({ code: 'E_SPLIT', message: expect.stringContaining('s0-m0') }),
    );
  });
});

describe('leave-sources-out split', () => {
  it('holds out the given sources: all their files in validation, the rest in training', () => {
    const items = tableCorpus();
    const s = makeSplit(items, { policy: 'leave-sources-out', holdOutSources: ['s1', 's3'], seed: 3 });
    expect(s.heldOutSources).toEqual(['s1', 's3']);
    expect(Object.keys(s.counts.val.bySource).sort()).toEqual(['s1', 's3']);
    expect(Object.keys(s.counts.train.bySource).sort()).toEqual(['s0', 's2']);
    expect(s.counts.val.files).toBe(items.filter((i) => i.source === 's1' || i.source === 's3').length);
    expect(s.heldOutMethods).toEqual([]);
    assertLeakFree(items, s);
  });

  it('chooses one source with both labels from the seed', () => {
    const items = [...tableCorpus(), { id: 'real-only/x.wav', label: 'real' as const, source: 'real-only', group: 'solo' }];
    const chosen = new Set<string>();
    for (let seed = 0; seed < 12; seed++) {
      const s = makeSplit(items, { policy: 'leave-sources-out', seed });
      expect(s.heldOutSources).toHaveLength(1);
      chosen.add(s.heldOutSources![0]!);
      assertLeakFree(items, s);
    }
    expect(chosen.has('real-only')).toBe(false);
    expect(chosen.size).toBeGreaterThan(1);
  });

  it('rejects unknown sources and a hold-out that leaves training without a label', () => {
    expect(() => makeSplit(tableCorpus(), { policy: 'leave-sources-out', holdOutSources: ['nope'] })).toThrow(
      expect.objectContaining({ code: 'E_SPLIT', message: expect.stringContaining('known: s0, s1, s2') }),
    );
    expect(() => makeSplit(tableCorpus(), { policy: 'grouped', holdOutSources: ['s1'] })).toThrow(
      expect.objectContaining({ code: 'E_BAD_ARGUMENT', message: 'holdOutSources applies to the leave-sources-out policy, not grouped' }),
    );
    expect(() => makeSplit(tableCorpus(), { policy: 'leave-sources-out', holdOutMethods: ['s0-m1'] })).toThrow(
      expect.objectContaining({ code: 'E_BAD_ARGUMENT', message: 'holdOutMethods applies to the leave-methods-out policy, not leave-sources-out' }),
    );
    expect(() => makeSplit(tableCorpus(), { policy: 'leave-sources-out', holdOutSources: ['s0', 's1', 's2', 's3'] })).toThrow(
      expect.objectContaining({ code: 'E_SPLIT', message: expect.stringContaining('leaves no real file in training') }),
    );
  });
});

describe('split files', () => {
  it('round-trip through JSON and reject damaged files', () => {
    const dir = tmpDir();
    const s = makeSplit(tableCorpus(), { seed: 5 });
    const file = path.join(dir, 'split.json');
    writeSplitFile(file, s);
    expect(readSplitFile(file)).toEqual(s);
    expect(fs.readdirSync(dir)).toEqual(['split.json']);
    fs.writeFileSync(file, '{"format":"melguard-split/1","train":["a"],"val":["a"]}');
    expect(() => readSplitFile(file)).toThrow(expect.objectContaining({ code: 'E_BAD_SPLIT' }));
    fs.writeFileSync(file, '{"train":');
    expect(() => readSplitFile(file)).toThrow(expect.objectContaining({ code: 'E_BAD_SPLIT' }));
    expect(() => readSplitFile(path.join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
