// Resume logic as pure functions: parsing an output with a partial trailing record, matching by
// path + size + mtime, and deterministic shards that are disjoint and cover everything.
import fs from 'node:fs';
import path from 'node:path';
import { collectFiles } from '../src/scan/files';
import { loadExistingOutput } from '../src/scan/output';
import { CSV_HEADER, csvRows, formatRecord, parseOutput, type ScanRecord } from '../src/scan/records';
import { planResume } from '../src/scan/resume';
import { inShard, shardOf } from '../src/scan/shard';
import { tmpDir } from './helpers';

const ok = (p: string, score = 0.7, extra: Partial<ScanRecord> = {}): ScanRecord => ({ path: p, size: 100, mtime: 1700000000123.4567, score, label: score >= 0.5 ? 'fake' : 'real', duration: 4.25, ...extra });
const bad = (p: string): ScanRecord => ({ path: p, size: 5, mtime: 1.5, score: null, label: null, duration: null, error: { code: 'E_CORRUPT', message: 'corrupt "stream", line 1\nline 2' } });

describe('records round-trip', () => {
  const tricky = [
    ok('a/plain.wav'),
    ok('b/with, comma "and quotes".flac', 0.1, { windows: [{ start: 0, end: 4, score: 0.1 }] }),
    ok('c/ünïcødé 声音.mp3', 0.99),
    ok('d/new\nline.wav', 0.5),
    bad('e/broken.ogg'),
  ];
  test.each(['jsonl', 'csv'] as const)('%s: every record comes back, one record per write', (format) => {
    const text = (format === 'csv' ? CSV_HEADER : '') + tricky.map((r) => formatRecord(r, format)).join('');
    const parsed = parseOutput(Buffer.from(text), format);
    expect(parsed.partial).toBe(false);
    expect(parsed.invalid).toBe(0);
    expect(parsed.completeBytes).toBe(Buffer.byteLength(text));
    const expected = tricky.map((r) => (format === 'csv' && r.error ? { ...r, error: { ...r.error, message: r.error.message.replace(/\n/g, ' ') } } : r));
    expect(parsed.records).toEqual(expected);
  });

  test.each(['jsonl', 'csv'] as const)('%s: a trailing partial record is cut at the last complete one', (format) => {
    const full = (format === 'csv' ? CSV_HEADER : '') + tricky.slice(0, 3).map((r) => formatRecord(r, format)).join('');
    const next = formatRecord(tricky[3], format);
    for (let cut = 1; cut < Buffer.byteLength(next); cut++) {
      const bytes = Buffer.concat([Buffer.from(full), Buffer.from(next).subarray(0, cut)]);
      const parsed = parseOutput(bytes, format);
      expect(parsed.records).toHaveLength(3);
      expect(parsed.completeBytes).toBe(Buffer.byteLength(full));
      expect(parsed.partial).toBe(true);
    }
  });

  test('complete but unreadable JSONL lines are counted, not fatal', () => {
    const text = `${formatRecord(ok('x.wav'), 'jsonl')}not json\n{"path":"y.wav"}\n${formatRecord(ok('z.wav'), 'jsonl')}`;
    const parsed = parseOutput(Buffer.from(text), 'jsonl');
    expect(parsed.records.map((r) => r.path)).toEqual(['x.wav', 'z.wav']);
    expect(parsed.invalid).toBe(2);
  });

  test('a CSV made by something else is refused', () => {
    expect(() => parseOutput(Buffer.from('a,b,c\n1,2,3\n'), 'csv')).toThrow('header');
  });

  test('csvRows handles quotes, doubled quotes and CRLF', () => {
    expect(csvRows('a,"b,""c""",d\r\n"x\ny",z\n')).toEqual([
      { cells: ['a', 'b,"c"', 'd'], end: 15, complete: true },
      { cells: ['x\ny', 'z'], end: 23, complete: true },
    ]);
  });

  test('loadExistingOutput truncates the file itself', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'out.jsonl');
    const good = formatRecord(ok('a.wav'), 'jsonl');
    fs.writeFileSync(file, `${good}{"path":"b.wav","si`);
    const r = loadExistingOutput(file, 'jsonl');
    expect(r.records).toHaveLength(1);
    expect(r.truncatedBytes).toBe(Buffer.byteLength('{"path":"b.wav","si'));
    expect(fs.readFileSync(file, 'utf8')).toBe(good);
    expect(loadExistingOutput(path.join(dir, 'missing.jsonl'), 'jsonl').records).toEqual([]);
  });
});

describe('planResume', () => {
  const cwd = '/data';
  const file = (p: string, size = 100, mtime = 1700000000123.4567) => ({ path: p, abs: path.resolve(cwd, p), size, mtime });

  test('skips files whose path, size and mtime match; rescans changed and new ones', () => {
    const files = [file('a.wav'), file('b.wav', 101), file('c.wav', 100, 5), file('d.wav')];
    const records = [ok('a.wav'), ok('b.wav'), ok('./c.wav'), ok('gone.wav')];
    const plan = planResume(files, records, { cwd });
    expect(plan.done.map((f) => f.path)).toEqual(['a.wav']);
    expect(plan.todo.map((f) => f.path)).toEqual(['b.wav', 'c.wav', 'd.wav']);
    // stale records of b and c go, the record of a file outside this scan stays
    expect(plan.keep.map((r) => r.path)).toEqual(['a.wav', 'gone.wav']);
    expect(plan.dropped).toBe(2);
    expect(plan.rewrite).toBe(true);
  });

  test('nothing to drop -> no rewrite; all done -> nothing to do', () => {
    const plan = planResume([file('a.wav'), file('b.wav')], [ok('a.wav'), ok('/data/b.wav')], { cwd });
    expect(plan.todo).toEqual([]);
    expect(plan.rewrite).toBe(false);
    expect(plan.keep).toHaveLength(2);
  });

  test('duplicates keep the last record only; unreadable lines force a rewrite', () => {
    const plan = planResume([file('a.wav')], [ok('a.wav', 0.1), ok('a.wav', 0.9)], { cwd });
    expect(plan.keep).toEqual([ok('a.wav', 0.9)]);
    expect(plan.done).toHaveLength(1);
    expect(plan.rewrite).toBe(true);
    expect(planResume([file('a.wav')], [ok('a.wav')], { cwd, invalidLines: 1 }).rewrite).toBe(true);
  });

  test('error records are done unless retryErrors', () => {
    const f = { ...file('e.ogg', 5, 1.5) };
    expect(planResume([f], [bad('e.ogg')], { cwd }).done).toHaveLength(1);
    const retry = planResume([f], [bad('e.ogg')], { cwd, retryErrors: true });
    expect(retry.todo).toHaveLength(1);
    expect(retry.keep).toEqual([]);
  });
});

describe('shards', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `speaker${i % 37}/clip-${i}.flac`);
  test.each([1, 2, 3, 4, 7, 16])('N=%i: disjoint, covering, every shard used', (n) => {
    const files = keys.map((key) => ({ key }));
    const shards = Array.from({ length: n }, (_, i) => inShard(files, { index: i, count: n }).map((f) => f.key));
    const all = shards.flat();
    expect(all).toHaveLength(keys.length);
    expect(new Set(all).size).toBe(keys.length);
    for (const s of shards) expect(s.length).toBeGreaterThan(keys.length / n / 2);
  });

  test('keys are relative to the scanned folder, so the mount point does not matter', () => {
    const a = tmpDir();
    const b = tmpDir();
    for (const root of [a, b]) {
      fs.mkdirSync(path.join(root, 'REAL'), { recursive: true });
      fs.writeFileSync(path.join(root, 'REAL', 'x.wav'), '');
      fs.writeFileSync(path.join(root, 'y.flac'), '');
    }
    const ka = collectFiles([a]).files.map((f) => [f.key, shardOf(f.key, 3)]);
    const kb = collectFiles([b]).files.map((f) => [f.key, shardOf(f.key, 3)]);
    expect(ka).toEqual(kb);
    expect(ka.map((k) => k[0])).toEqual(['REAL/x.wav', 'y.flac']);
  });
});

describe('collectFiles', () => {
  test('recursive, every audio extension in any case, hidden and non-audio skipped, sorted, cycle-safe', () => {
    const root = tmpDir();
    const mk = (p: string) => {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), '');
    };
    ['b/2.WAV', 'b/1.flac', 'a/deep/er/3.Ogg', 'a/4.opus', 'a/5.MP3', 'c.txt', '.hidden.wav', 'a/._6.wav', 'z.wav.bak'].forEach(mk);
    fs.symlinkSync(root, path.join(root, 'a', 'loop'));
    const { files } = collectFiles([root]);
    expect(files.map((f) => f.key)).toEqual(['a/4.opus', 'a/5.MP3', 'a/deep/er/3.Ogg', 'b/1.flac', 'b/2.WAV']);
    expect(files.every((f) => path.isAbsolute(f.abs) && f.path.startsWith(root))).toBe(true);
    // a file named explicitly is scanned whatever its extension; duplicates collapse
    const again = collectFiles([path.join(root, 'c.txt'), root, path.join(root, 'b', '1.flac')]);
    expect(again.files.map((f) => f.key)).toEqual(['c.txt', 'a/4.opus', 'a/5.MP3', 'a/deep/er/3.Ogg', 'b/1.flac', 'b/2.WAV']);
  });
});
