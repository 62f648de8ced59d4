import * as fs from 'fs';
import * as path from 'path';
import { discoverCorpus, extractFeatures, FeatureStore, makeSplit, planWindows, resolveWindowing, type CorpusEntry, type ExtractOptions, type ExtractProgress } from '../src';
import { contentSeed, expectedValue, fakeExtractor, TEST_RESOLVED, type FakeExtractor } from './helpers/fake-extractor';
import { cleanupTmp, tmpDir } from './helpers/tmp';
import { writeWav } from './helpers/wav';

afterAll(cleanupTmp);

const WINDOWING = { windowSeconds: 0.5, hopSeconds: 0.5, minSeconds: 0.2 };
const RESOLVED_W = resolveWindowing(WINDOWING);
const SHAPE: [number, number] = [8, 32]; // 8 mels; 1 + floor(0.5 s * 16000 / 256) frames

/** 12 good clips of 0.3-1.9 s (1-3 windows), one too short, one that is not audio. */
function corpus(): { root: string; entries: CorpusEntry[] } {
  const root = tmpDir();
  for (let i = 0; i < 12; i++) writeWav(path.join(root, i % 2 ? 'FAKE' : 'REAL', `clip${String(i).padStart(2, '0')}.wav`), 0.3 + (i % 4) * 0.5, 200 + 37 * i, i + 1);
  writeWav(path.join(root, 'FAKE/tiny.wav'), 0.1);
  fs.writeFileSync(path.join(root, 'REAL/broken.wav'), Buffer.from('this is not a wav file at all'));
  return { root, entries: discoverCorpus(root) };
}

function run(entries: CorpusEntry[], outDir: string, fx: FakeExtractor, extra: Partial<ExtractOptions> = {}) {
  return extractFeatures(entries, { outDir, resolved: TEST_RESOLVED, windowing: WINDOWING, extract: fx.extract, batchFiles: 4, shardRows: 7, threads: 2, ...extra });
}

/** Checks every row of the store against the values the extractor derived from each file's bytes. */
function expectStoreMatchesFiles(dir: string, opts: { deadRows?: boolean } = {}): FeatureStore {
  const store = FeatureStore.open(dir, { verify: 'full' });
  expect(store.shape).toEqual(SHAPE);
  store.files.forEach((f, i) => {
    const bytes = fs.readFileSync(f.path);
    const seed = contentSeed(bytes);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    const rows = store.rowsOfFiles([i]);
    expect(rows.length).toBe(f.windows.length);
    const x = store.readRows(rows);
    for (let w = 0; w < rows.length; w++)
      for (let b = 0; b < SHAPE[0]; b++)
        for (let t = 0; t < SHAPE[1]; t += 7) expect(x[(w * SHAPE[0] + b) * SHAPE[1] + t]).toBeCloseTo(expectedValue(seed, w, b, t), 4);
    for (const r of rows) expect(store.labels[r]).toBe(f.label === 'fake' ? 1 : 0);
  });
  // No duplicate rows: one place per key. Without changed/removed files, no dead rows either: the shards
  // hold exactly the windows of the distinct files.
  const place = new Map<string, string>();
  for (const f of store.files) {
    const where = `${f.shard}:${f.row}`;
    expect(place.get(f.key) ?? where).toBe(where);
    place.set(f.key, where);
  }
  const stored = store.index.shards.reduce((a, s) => a + s.rows, 0);
  const needed = [...new Map(store.files.map((f) => [f.key, f.windows.length])).values()].reduce((a, b) => a + b, 0);
  if (opts.deadRows) expect(stored).toBeGreaterThanOrEqual(needed);
  else expect(stored).toBe(needed);
  return store;
}

function extractedPaths(fx: FakeExtractor, calls = fx.calls): string[] {
  return calls.flat().sort();
}

describe('feature store: write and read', () => {
  it('round-trips every window of every file, with labels, groups, windows and failures', async () => {
    const { root, entries } = corpus();
    const out = tmpDir();
    const fx = fakeExtractor();
    const progress: ExtractProgress[] = [];
    const res = await run(entries, out, fx, { onProgress: (p) => progress.push(p), root });
    expect(res.extracted).toBe(12);
    expect(res.failed).toBe(2);
    const store = expectStoreMatchesFiles(out);
    expect(store.index.files).toHaveLength(12);
    expect(store.index.root).toBe(root);
    expect(store.index.presetName).toBe('test');
    expect(store.index.windowing).toEqual(RESOLVED_W);
    expect(store.index.failures.map((f) => [f.id, f.code])).toEqual([
      ['FAKE/tiny.wav', 'E_TOO_SHORT'],
      ['REAL/broken.wav', 'E_CORRUPT'],
    ]);
    for (const f of store.files) {
      expect(f.windows).toEqual(planWindows(f.duration, RESOLVED_W));
      expect(f.group).toBe(entries.find((e) => e.id === f.id)!.group);
    }
    expect(store.rows).toBe(store.files.reduce((a, f) => a + f.windows.length, 0));
    expect(store.index.shards.length).toBeGreaterThan(2);
    // Progress: monotone, complete at the end.
    expect(progress[progress.length - 1]).toMatchObject({ files: 14, total: 14, extracted: 12, failed: 2 });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.files).toBeGreaterThanOrEqual(progress[i - 1]!.files);
    expect(progress[progress.length - 1]!.etaSeconds).toBe(0);
    store.close();
  });

  it('serves split sides and streams batches that equal a direct read', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    await run(entries, out, fakeExtractor());
    const store = FeatureStore.open(out);
    const split = makeSplit(store.files.map((f) => ({ ...f, id: f.id! })), { seed: 1, valFraction: 0.3 });
    const train = store.rowsOf(split, 'train');
    const val = store.rowsOf(split, 'val');
    expect(train.length + val.length).toBe(store.rows);
    const valFiles = new Set([...val].map((r) => store.files[store.fileOfRow(r)]!.id));
    expect([...valFiles].sort()).toEqual([...split.val].sort());
    const all = Int32Array.from({ length: store.rows }, (_, i) => i);
    const direct = store.readRows(all);
    const streamed: number[] = [];
    const labels: number[] = [];
    for (const b of store.batches(all, 5)) {
      expect(b.x.length).toBe(b.rows.length * store.rowSize);
      streamed.push(...b.x);
      labels.push(...b.y);
    }
    expect(Float32Array.from(streamed)).toEqual(direct);
    expect(Int8Array.from(labels)).toEqual(store.labels);
    // Out-of-order and repeated rows read what they name.
    const picks = Int32Array.from([3, 0, 3, store.rows - 1]);
    const x = store.readRows(picks);
    picks.forEach((r, k) => expect(x.subarray(k * store.rowSize, (k + 1) * store.rowSize)).toEqual(direct.subarray(r * store.rowSize, (r + 1) * store.rowSize)));
    expect(() => store.readRows([store.rows])).toThrow(expect.objectContaining({ code: 'E_BAD_ARGUMENT' }));
    store.close();
  });

  it('stores byte-identical files once and keeps them on one side of a split', async () => {
    const root = tmpDir();
    writeWav(path.join(root, 'REAL/a.wav'), 0.6, 300, 5);
    fs.mkdirSync(path.join(root, 'FAKE'));
    fs.copyFileSync(path.join(root, 'REAL/a.wav'), path.join(root, 'FAKE/copy.wav'));
    for (let i = 0; i < 6; i++) writeWav(path.join(root, i % 2 ? 'REAL' : 'FAKE', `o${i}.wav`), 0.6, 500 + i, 10 + i);
    const out = tmpDir();
    const fx = fakeExtractor();
    await run(discoverCorpus(root), out, fx);
    expect(extractedPaths(fx).filter((p) => p.endsWith('a.wav') || p.endsWith('copy.wav'))).toHaveLength(1);
    const store = expectStoreMatchesFiles(out);
    const [a, c] = [store.files.find((f) => f.id === 'REAL/a.wav')!, store.files.find((f) => f.id === 'FAKE/copy.wav')!];
    expect([a.shard, a.row, a.key]).toEqual([c.shard, c.row, c.key]);
    for (let seed = 0; seed < 10; seed++) {
      const s = makeSplit(store.files.map((f) => ({ ...f, id: f.id! })), { seed });
      expect(s.train.includes('REAL/a.wav')).toBe(s.train.includes('FAKE/copy.wav'));
    }
    store.close();
  });

  it('writes seed-style PNGs, one per window', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    await run(entries.slice(0, 4), out, fakeExtractor(), { png: true });
    const store = FeatureStore.open(out);
    const pngs: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : pngs.push(path.join(d, e.name))));
    walk(path.join(out, 'png'));
    expect(pngs).toHaveLength(store.rows);
    const first = store.files[0]!;
    const png = fs.readFileSync(path.join(out, 'png', first.id!.replace(/\.wav$/, '.w0.png')));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([SHAPE[1], SHAPE[0]]); // frames wide, bins high
    store.close();
  });
});

describe('feature store: resume and change detection', () => {
  it('continues an interrupted run: every file extracted exactly once, no duplicate rows', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    const crashing = fakeExtractor({ failOnCall: 3 });
    await expect(run(entries, out, crashing)).rejects.toMatchObject({ code: 'E_SIMULATED' });
    expect(fs.existsSync(path.join(out, 'index.json'))).toBe(false);
    const before = extractedPaths(crashing, crashing.calls.slice(0, 2));
    expect(before.length).toBe(8);

    const fx = fakeExtractor();
    const res = await run(entries, out, fx);
    const all = [...before, ...extractedPaths(fx)].sort();
    expect(all).toEqual(entries.map((e) => e.path).sort()); // each file once over both runs (failures included)
    // Files extracted before the crash are reused; the two bad ones failed then and stay failed.
    expect(res.reused).toBe(before.filter((p) => !/tiny|broken/.test(p)).length);
    const store = expectStoreMatchesFiles(out);
    // Same content as an uninterrupted run.
    const clean = tmpDir();
    await run(entries, clean, fakeExtractor());
    const ref = FeatureStore.open(clean);
    const byId = (s: FeatureStore) => new Map(s.files.map((f, i) => [f.id, Array.from(s.readRows(s.rowsOfFiles([i])))]));
    expect(byId(store)).toEqual(byId(ref));
    expect(store.index.failures).toEqual(ref.index.failures);
    store.close();
    ref.close();
  });

  it('survives a hard crash: torn journal line, orphan shard and temp files are ignored and cleaned', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    await expect(run(entries, out, fakeExtractor({ failOnCall: 2 }))).rejects.toMatchObject({ code: 'E_SIMULATED' });
    fs.appendFileSync(path.join(out, 'journal.jsonl'), '{"type":"shard","shard":57,"file":"shard-0000');
    fs.writeFileSync(path.join(out, 'shard-000057.f32'), Buffer.alloc(8 * 32 * 4 * 3));
    fs.writeFileSync(path.join(out, 'shard-000058.f32.tmp-99-abc'), Buffer.alloc(100));
    fs.writeFileSync(path.join(out, 'index.json.tmp-99-def'), '{"half":');
    await run(entries, out, fakeExtractor());
    const names = fs.readdirSync(out);
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(names).not.toContain('shard-000057.f32');
    expectStoreMatchesFiles(out).close();
  });

  it('redoes a changed file and only that; extracts new files; drops removed ones', async () => {
    const { root, entries } = corpus();
    const out = tmpDir();
    await run(entries, out, fakeExtractor());
    const old = FeatureStore.open(out);
    const oldKey = old.files.find((f) => f.id === 'REAL/clip02.wav')!.key;
    old.close();

    writeWav(path.join(root, 'REAL/clip02.wav'), 1.3, 999, 77); // new content, new duration
    writeWav(path.join(root, 'FAKE/new.wav'), 0.7, 123, 5);
    fs.rmSync(path.join(root, 'FAKE/clip01.wav'));
    const fx = fakeExtractor();
    const res = await run(discoverCorpus(root), out, fx);
    expect(extractedPaths(fx)).toEqual([path.join(root, 'FAKE/new.wav'), path.join(root, 'REAL/clip02.wav')]);
    expect(res.extracted).toBe(2);
    const store = expectStoreMatchesFiles(out, { deadRows: true });
    const changed = store.files.find((f) => f.id === 'REAL/clip02.wav')!;
    expect(changed.key).not.toBe(oldKey);
    expect(changed.windows).toHaveLength(2);
    expect(store.files.find((f) => f.id === 'FAKE/clip01.wav')).toBeUndefined();
    store.close();
  });

  it('keeps failures unless asked to retry them', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    await run(entries, out, fakeExtractor());
    const again = fakeExtractor();
    await run(entries, out, again);
    expect(again.calls).toEqual([]);
    const retry = fakeExtractor();
    const res = await run(entries, out, retry, { retryFailures: true });
    expect(extractedPaths(retry).map((p) => path.basename(p)).sort()).toEqual(['broken.wav', 'tiny.wav']);
    expect(res.failed).toBe(2);
  });

  it('lists files that vanish before extraction (ENOENT) and goes on', async () => {
    const { root, entries } = corpus();
    fs.rmSync(path.join(root, 'REAL/clip04.wav'));
    const out = tmpDir();
    const res = await run(entries, out, fakeExtractor());
    expect(res.index.failures.find((f) => f.id === 'REAL/clip04.wav')).toMatchObject({ code: 'ENOENT' });
    expect(res.index.files).toHaveLength(11);
  });

  it('stops on abort after the current batch, keeping its work; a rerun does the rest', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    const ac = new AbortController();
    const first = fakeExtractor();
    await expect(run(entries, out, first, { signal: ac.signal, onProgress: (p) => p.files > 0 && ac.abort() })).rejects.toMatchObject({ code: 'E_ABORTED' });
    // The first batch was written; the batch already in flight is dropped and redone.
    const kept = [...first.calls[0]!].sort();
    const second = fakeExtractor();
    await run(entries, out, second);
    const redone = extractedPaths(second);
    expect(redone.filter((p) => kept.includes(p))).toEqual([]);
    expect([...kept, ...redone].sort()).toEqual(entries.map((e) => e.path).sort());
    expectStoreMatchesFiles(out).close();
  });

  it('refuses to mix options in one store and to run two writers at once', async () => {
    const { entries } = corpus();
    const out = tmpDir();
    await run(entries, out, fakeExtractor());
    await expect(run(entries, out, fakeExtractor(), { windowing: { windowSeconds: 0.25 } })).rejects.toMatchObject({
      code: 'E_STORE_MISMATCH',
      message: expect.stringContaining('windowing.windowSeconds: 0.5 -> 0.25'),
    });
    fs.writeFileSync(path.join(out, '.lock'), String(process.ppid));
    await expect(run(entries, out, fakeExtractor())).rejects.toMatchObject({ code: 'E_STORE_LOCKED' });
    fs.writeFileSync(path.join(out, '.lock'), '2147483646'); // no such process: a stale lock is taken over
    await run(entries, out, fakeExtractor());
    expect(fs.existsSync(path.join(out, '.lock'))).toBe(false);
  });
});

describe('feature store: damage detection', () => {
  async function store(): Promise<string> {
    const { entries } = corpus();
    const out = tmpDir();
    await run(entries, out, fakeExtractor());
    return out;
  }

  it('a changed byte in a shard is E_CORRUPT_STORE when that shard is first read (or at open with verify full)', async () => {
    const out = await store();
    const s0 = FeatureStore.open(out);
    const victim = s0.index.shards[1]!.file;
    const fileInVictim = s0.files.findIndex((f) => f.shard === 1);
    const fileElsewhere = s0.files.findIndex((f) => f.shard === 0);
    s0.close();
    const p = path.join(out, victim);
    const bytes = fs.readFileSync(p);
    bytes[13] ^= 0x40;
    fs.writeFileSync(p, bytes);
    const s = FeatureStore.open(out);
    expect(() => s.readRows(s.rowsOfFiles([fileElsewhere]))).not.toThrow();
    expect(() => s.readRows(s.rowsOfFiles([fileInVictim]))).toThrow(expect.objectContaining({ code: 'E_CORRUPT_STORE', message: expect.stringContaining(victim) }));
    s.close();
    expect(() => FeatureStore.open(out, { verify: 'full' })).toThrow(expect.objectContaining({ code: 'E_CORRUPT_STORE' }));
  });

  it('a damaged shard is redone on the next extraction run (only its files)', async () => {
    const out = await store();
    const s0 = FeatureStore.open(out);
    const victim = s0.index.shards[0]!.file;
    const inVictim = s0.files.filter((f) => f.shard === 0).map((f) => f.path);
    s0.close();
    const p = path.join(out, victim);
    const bytes = fs.readFileSync(p);
    bytes[0] ^= 1;
    fs.writeFileSync(p, bytes);
    const { entries } = { entries: discoverCorpus(path.dirname(path.dirname(inVictim[0]!))) };
    const fx = fakeExtractor();
    await run(entries, out, fx);
    expect(extractedPaths(fx)).toEqual([...inVictim].sort());
    expectStoreMatchesFiles(out).close();
  });

  it('truncated or missing shards, a missing or garbled index are typed errors', async () => {
    const out = await store();
    const idx = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    fs.truncateSync(path.join(out, idx.shards[0].file), 100);
    expect(() => FeatureStore.open(out)).toThrow(expect.objectContaining({ code: 'E_CORRUPT_STORE', message: expect.stringContaining('bytes') }));
    fs.rmSync(path.join(out, idx.shards[0].file));
    expect(() => FeatureStore.open(out)).toThrow(expect.objectContaining({ code: 'E_CORRUPT_STORE', message: expect.stringContaining('missing') }));
    fs.writeFileSync(path.join(out, 'index.json'), '{"format":"melguard-features/1"');
    expect(() => FeatureStore.open(out)).toThrow(expect.objectContaining({ code: 'E_CORRUPT_STORE' }));
    fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify({ ...idx, shards: [{ ...idx.shards[1], file: '../../etc/passwd' }] }));
    expect(() => FeatureStore.open(out)).toThrow(expect.objectContaining({ code: 'E_CORRUPT_STORE', message: expect.stringContaining('shard name') }));
    fs.rmSync(path.join(out, 'index.json'));
    expect(() => FeatureStore.open(out)).toThrow(expect.objectContaining({ code: 'E_NO_STORE' }));
  });
});
