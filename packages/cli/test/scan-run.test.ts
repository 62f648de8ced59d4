// The scan command end to end in-process with a fake detector: one record per file, corrupt files
// recorded with their code, resume after a killed run, changed files redone, shards, CSV, lock.
import fs from 'node:fs';
import path from 'node:path';
import { runScan, type ScanOptions } from '../src/commands/scan';
import { parseOutput } from '../src/scan/records';
import { fakeDetector } from './fake-detector';
import { tmpDir } from './helpers';

function corpus(n: number, corruptEvery = 10): string {
  const root = tmpDir('melguard-scan-');
  for (let i = 0; i < n; i++) {
    const dir = path.join(root, i % 2 ? 'REAL' : 'FAKE', `spk${i % 5}`);
    fs.mkdirSync(dir, { recursive: true });
    const body = i % corruptEvery === 3 ? 'garbage' : `${((i * 37) % 100) / 100} ${1 + (i % 4)}`;
    fs.writeFileSync(path.join(dir, `clip${String(i).padStart(3, '0')}.wav`), body);
  }
  return root;
}

async function scan(paths: string[], opts: ScanOptions, calls?: string[][]): Promise<number> {
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await runScan(paths, { quiet: true, ...opts }, { loadDetector: async () => fakeDetector({ calls }) });
  } finally {
    err.mockRestore();
  }
}

function records(file: string, format: 'jsonl' | 'csv' = 'jsonl') {
  return parseOutput(fs.readFileSync(file), format).records;
}

test('every file once; >= 5 % corrupt files get their error code and the scan goes on', async () => {
  const root = corpus(60);
  const out = path.join(tmpDir(), 'results.jsonl');
  expect(await scan([root], { out, windows: true })).toBe(0);
  const rs = records(out);
  expect(rs).toHaveLength(60);
  expect(new Set(rs.map((r) => r.path)).size).toBe(60);
  const failed = rs.filter((r) => r.error);
  expect(failed.length).toBe(6);
  expect(failed.every((r) => r.error!.code === 'E_CORRUPT' && r.score === null)).toBe(true);
  const good = rs.filter((r) => !r.error);
  expect(good.every((r) => r.windows?.length === 1 && r.size > 0 && r.mtime > 0)).toBe(true);
  expect(good.find((r) => r.path.endsWith('clip001.wav'))).toMatchObject({ score: 0.37, label: 'real', duration: 2 });
  expect(fs.existsSync(`${out}.lock`)).toBe(false);
  // deterministic order: the sorted walk
  expect(rs.map((r) => r.path)).toEqual([...rs.map((r) => r.path)].sort());
});

test('rerun after a killed run: partial last line dropped, done files skipped, every file exactly once', async () => {
  const root = corpus(40);
  const out = path.join(tmpDir(), 'results.jsonl');
  await scan([root], { out });
  const full = fs.readFileSync(out, 'utf8');
  const lines = full.split('\n').filter(Boolean);
  // what a kill -9 leaves: 13 complete lines and half of the 14th
  fs.writeFileSync(out, `${lines.slice(0, 13).join('\n')}\n${lines[13].slice(0, 20)}`);
  const calls: string[][] = [];
  expect(await scan([root], { out }, calls)).toBe(0);
  expect(calls.flat()).toHaveLength(27);
  expect(fs.readFileSync(out, 'utf8')).toBe(full); // same records, same order, nothing twice
  // a third run has nothing to do and does not load the detector
  const none: string[][] = [];
  await scan([root], { out }, none);
  expect(none).toEqual([]);
  expect(fs.readFileSync(out, 'utf8')).toBe(full);
});

test('a changed file is scanned again and keeps a single record', async () => {
  const root = corpus(12);
  const out = path.join(tmpDir(), 'r.jsonl');
  await scan([root], { out });
  const target = path.join(root, 'REAL', 'spk1', 'clip001.wav');
  fs.writeFileSync(target, '0.91 3');
  const calls: string[][] = [];
  await scan([root], { out }, calls);
  expect(calls.flat()).toEqual([target]);
  const rs = records(out);
  expect(rs).toHaveLength(12);
  expect(rs.filter((r) => r.path === target)).toEqual([expect.objectContaining({ score: 0.91, duration: 3, size: 6 })]);
});

test('--retry-errors rescans only the failed files', async () => {
  const root = corpus(20, 4);
  const out = path.join(tmpDir(), 'r.jsonl');
  await scan([root], { out });
  const calls: string[][] = [];
  await scan([root], { out, retryErrors: true }, calls);
  expect(calls.flat()).toHaveLength(5);
  expect(records(out)).toHaveLength(20);
});

test('shards i/3 are disjoint and together cover every file exactly once', async () => {
  const root = corpus(50);
  const dir = tmpDir();
  for (let i = 0; i < 3; i++) await scan([root], { out: path.join(dir, `s${i}.jsonl`), shard: { index: i, count: 3 } });
  const parts = [0, 1, 2].map((i) => records(path.join(dir, `s${i}.jsonl`)).map((r) => r.path));
  expect(parts.every((p) => p.length > 5)).toBe(true);
  const all = parts.flat();
  expect(all).toHaveLength(50);
  expect(new Set(all).size).toBe(50);
});

test('CSV output: header once, resumable like JSONL', async () => {
  const root = corpus(15);
  const out = path.join(tmpDir(), 'r.csv');
  await scan([root], { out });
  const text = fs.readFileSync(out, 'utf8');
  expect(text.startsWith('path,size,mtime,score,label,duration,windows,error_code,error_message\n')).toBe(true);
  fs.writeFileSync(out, text.slice(0, text.length - 30));
  await scan([root], { out });
  expect(fs.readFileSync(out, 'utf8')).toBe(text);
  expect(text.match(/^path,/gm)).toHaveLength(1);
  expect(records(out, 'csv')).toHaveLength(15);
});

test('another live scan holding the output lock -> E_LOCKED; a stale lock is taken over', async () => {
  const root = corpus(3);
  const out = path.join(tmpDir(), 'r.jsonl');
  fs.writeFileSync(`${out}.lock`, `${process.ppid}\n`);
  await expect(scan([root], { out })).rejects.toMatchObject({ code: 'E_LOCKED' });
  fs.writeFileSync(`${out}.lock`, '999999999\n');
  expect(await scan([root], { out })).toBe(0);
  expect(records(out)).toHaveLength(3);
});
