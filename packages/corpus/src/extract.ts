// Feature extraction into a resumable, crash-safe store (see README "Feature store").
//
// Files are hashed (sha256 of their bytes); key = content hash + options hash. Batches of files go to the
// dsp engine (native threads); their windows are appended to a shard buffer that is written atomically
// (tmp + fsync + rename) once it holds `shardRows` rows, and only then recorded in the journal. A rerun
// skips every key already in the journal, so an interrupted run continues and a changed file (new hash)
// is redone. index.json, the file training reads, is written atomically at the end.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FileResult, SpectrogramOptions, WindowingOptions } from '@melguard/dsp';
import { removeStaleTmpFiles, writeFileAtomic, writeFileAtomicAsync } from './atomic';
import { dspExtractor, resolveFeatures, type Extractor, type FeatureSelection } from './dsp-bridge';
import { CorpusError, errorCode, errorMessage } from './errors';
import { canonicalJson, sha256File, sha256Hex, storeKey } from './hashing';
import { f32ToLeBytes } from './f32-io';
import { JournalWriter, JOURNAL_FORMAT, readJournal, SHARD_NAME, shardFileName, type DoneFile, type FailedFile, type JournalHeader, type ShardRecord } from './journal';
import { acquireLock } from './lock';
import type { StoreFailure, StoreFile, StoreIndex } from './store-types';
import type { CorpusEntry } from './types';
import { resolveWindowing, type ResolvedWindowing } from './windows';

export const INDEX_FILE = 'index.json';
export const STORE_FORMAT = 'melguard-features/1';
const SHARD_TARGET_BYTES = 64 * 1024 * 1024;

export type StoreEntry = Pick<CorpusEntry, 'path' | 'label' | 'group'> & Partial<Pick<CorpusEntry, 'id' | 'source' | 'method' | 'speaker'>>;

export interface ExtractProgress {
  /** Files handled so far (extracted, reused from an earlier run, or failed). */
  files: number;
  total: number;
  extracted: number;
  reused: number;
  failed: number;
  filesPerSec: number;
  /** Seconds of audio extracted per second of wall time. */
  xRealtime: number;
  etaSeconds: number;
  elapsedSeconds: number;
}

export interface ExtractOptions extends FeatureSelection {
  outDir: string;
  windowing?: WindowingOptions;
  /** Native worker threads (default: all cores). */
  threads?: number;
  /** Rows per shard (default: ~64 MiB of rows). */
  shardRows?: number;
  /** Files per call into the engine (default: max(32, 16 x threads)). */
  batchFiles?: number;
  onProgress?: (p: ExtractProgress) => void;
  /** Also write seed-style spectrogram PNGs (one per window) into outDir/png/. */
  png?: boolean;
  /** Retry files that failed in an earlier run (default: keep their failure). */
  retryFailures?: boolean;
  /** Stop after the current batch; completed work is kept and the promise rejects with E_ABORTED. */
  signal?: AbortSignal;
  /** Corpus root recorded in the index. */
  root?: string;
  /** How existing shards are checked when resuming: sha256 of every shard (default) or sizes only. */
  verifyOnResume?: 'full' | 'size';
  /** The extractor (default: dsp's spectrogramFiles). Injected by tests. */
  extract?: Extractor;
  /** Already resolved features (skips dsp option resolution). */
  resolved?: { presetName: string | null; features: SpectrogramOptions };
}

export interface ExtractResult {
  dir: string;
  index: StoreIndex;
  extracted: number;
  reused: number;
  failed: number;
  elapsedSeconds: number;
  audioSeconds: number;
  filesPerSec: number;
  xRealtime: number;
}

interface Prepared {
  start: number;
  paths: string[];
  keys: string[];
  shas: string[];
  /** Entry index of each path. */
  which: number[];
  results: Promise<FileResult[]> | null;
}

interface DoneRef {
  shard: number;
  file: DoneFile;
}

/** Expected [bins, frames] of one window, used until the engine reports real shapes. */
export function expectedShape(f: SpectrogramOptions, w: ResolvedWindowing): [number, number] {
  const n = Math.round(w.windowSeconds * f.sr);
  const bins = f.nMels > 0 ? f.nMels : 1 + Math.floor(f.nFft / 2);
  const padded = f.center ? n + 2 * Math.floor(f.nFft / 2) : n;
  const frames = padded < f.nFft ? 0 : 1 + Math.floor((padded - f.nFft) / f.hopLength);
  return [bins, frames];
}

export function optionsHashOf(features: SpectrogramOptions, windowing: ResolvedWindowing): string {
  return sha256Hex(canonicalJson({ format: STORE_FORMAT, features, windowing }));
}

export async function extractFeatures(entries: StoreEntry[], opts: ExtractOptions): Promise<ExtractResult> {
  const { presetName, features } = opts.resolved ?? resolveFeatures(opts);
  const windowing = resolveWindowing(opts.windowing, presetName ?? opts.preset ?? null);
  const optionsHash = optionsHashOf(features, windowing);
  const threads = Math.max(1, Math.floor(opts.threads ?? os.availableParallelism()));
  const batchFiles = Math.max(1, Math.floor(opts.batchFiles ?? Math.max(32, 16 * threads)));
  const extract = opts.extract ?? dspExtractor;
  const dir = path.resolve(opts.outDir);
  const ids = entries.map((e) => e.id ?? e.path);
  checkUniqueIds(ids);

  fs.mkdirSync(dir, { recursive: true });
  const release = acquireLock(dir);
  let journal: JournalWriter | undefined;
  try {
    removeStaleTmpFiles(dir);
    const header: JournalHeader = { type: 'header', format: JOURNAL_FORMAT, optionsHash, presetName, features, windowing };
    const state = loadState(dir, header, opts.verifyOnResume ?? 'full');
    journal = new JournalWriter(dir);
    if (!state.hasHeader) journal.append(header);

    let shape = state.shape ?? expectedShape(features, windowing);
    let shapeKnown = state.shape !== null;
    let rowSize = shape[0] * shape[1];
    const shardRows = Math.max(1, Math.floor(opts.shardRows ?? SHARD_TARGET_BYTES / (Math.max(1, rowSize) * 4)));
    const pngDir = path.join(dir, 'png');
    if (opts.png) {
      fs.mkdirSync(pngDir, { recursive: true });
      removeStaleTmpFiles(pngDir, true);
    }

    const keyOf: (string | null)[] = new Array(entries.length).fill(null);
    const hashFailure: (StoreFailure | null)[] = new Array(entries.length).fill(null);
    const queued = new Set<string>();
    let pending = { chunks: [] as Float32Array[], rows: 0, files: [] as DoneFile[], failures: [] as FailedFile[] };
    const counts = { extracted: 0, reused: 0, failed: 0, handled: 0, audioSeconds: 0 };
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;

    const flush = async () => {
      if (pending.rows === 0 && pending.failures.length === 0) return;
      const batch = pending;
      pending = { chunks: [], rows: 0, files: [], failures: [] };
      if (batch.rows === 0) {
        journal!.append({ type: 'failures', failures: batch.failures });
      } else {
        const shard = state.nextShard++;
        const file = shardFileName(shard);
        const bytes = batch.chunks.map(f32ToLeBytes);
        const h = createHash('sha256');
        for (const b of bytes) h.update(b);
        await writeFileAtomicAsync(path.join(dir, file), bytes);
        const record: ShardRecord = { type: 'shard', shard, file, rows: batch.rows, sha256: h.digest('hex'), shape, files: batch.files, failures: batch.failures };
        journal!.append(record);
        state.records.push(record);
        for (const f of batch.files) state.done.set(f.key, { shard, file: f });
      }
      for (const f of batch.failures) state.failed.set(f.key, f);
    };

    const report = () => {
      if (!opts.onProgress) return;
      const t = elapsed();
      const rate = t > 0 ? counts.handled / t : 0;
      opts.onProgress({
        files: counts.handled,
        total: entries.length,
        extracted: counts.extracted,
        reused: counts.reused,
        failed: counts.failed,
        filesPerSec: t > 0 ? counts.extracted / t : 0,
        xRealtime: t > 0 ? counts.audioSeconds / t : 0,
        etaSeconds: rate > 0 ? (entries.length - counts.handled) / rate : Infinity,
        elapsedSeconds: t,
      });
    };

    /** Hashes a batch, decides what needs extracting and starts the extraction (not awaited). */
    const prepare = async (start: number): Promise<Prepared> => {
      const hashes = await hashAll(entries.slice(start, start + batchFiles).map((e) => e.path));
      const p: Prepared = { start, paths: [], keys: [], shas: [], which: [], results: null };
      hashes.forEach((h, j) => {
        const i = start + j;
        if ('error' in h) {
          hashFailure[i] = { path: entries[i]!.path, id: ids[i]!, code: h.error.code, message: h.error.message };
          counts.failed++;
          return;
        }
        const key = storeKey(h.sha, optionsHash);
        keyOf[i] = key;
        if (state.done.has(key) || queued.has(key)) counts.reused++;
        else if (state.failed.has(key) && !opts.retryFailures) counts.failed++;
        else {
          state.failed.delete(key);
          queued.add(key);
          p.paths.push(entries[i]!.path);
          p.keys.push(key);
          p.shas.push(h.sha);
          p.which.push(i);
        }
      });
      if (p.paths.length > 0) {
        p.results = Promise.resolve().then(() => extract(p.paths, features, windowing, { threads, sr: features.sr }));
        p.results.catch(() => undefined); // handled when awaited; never an unhandled rejection meanwhile
      }
      return p;
    };

    const collect = async (p: Prepared) => {
      if (p.results === null) return;
      const results = await p.results;
      if (!Array.isArray(results) || results.length !== p.paths.length) {
        throw new CorpusError('E_EXTRACTOR', `extractor returned ${Array.isArray(results) ? results.length : typeof results} results for ${p.paths.length} files`);
      }
      // Results come back in input order; if an extractor reorders them, match them up by path.
      if (results.some((r, j) => r.path !== p.paths[j])) {
        const byPath = new Map(results.map((r) => [r.path, r]));
        results.splice(0, results.length, ...p.paths.map((q) => byPath.get(q) ?? { path: q, error: { code: 'E_EXTRACTOR', message: 'no result for this file' } }));
      }
      for (let j = 0; j < results.length; j++) {
        const res = results[j]!;
        const key = p.keys[j]!;
        const problem = checkResult(res, shape, shapeKnown);
        if (problem !== null) {
          pending.failures.push({ key, path: p.paths[j]!, ...problem });
          state.failed.set(key, { key, path: p.paths[j]!, ...problem });
          counts.failed++;
          continue;
        }
        const r = res as Extract<FileResult, { data: Float32Array }>;
        if (!shapeKnown) {
          shape = [r.shape[1], r.shape[2]];
          rowSize = shape[0] * shape[1];
          shapeKnown = true;
        }
        const n = r.shape[0];
        pending.chunks.push(r.data.length === n * rowSize ? r.data : r.data.subarray(0, n * rowSize));
        pending.files.push({ key, sha256: p.shas[j]!, duration: r.duration, row: pending.rows, windows: r.windows.slice(0, n) });
        pending.rows += n;
        counts.extracted++;
        counts.audioSeconds += r.duration;
        if (opts.png) writePngs(pngDir, ids[p.which[j]!]!, r.data, n, shape, features);
        if (pending.rows >= shardRows) await flush();
      }
    };

    // Two batches in flight: while one batch's results are collected and written, the next one is being
    // hashed and extracted by the native threads.
    report();
    let next: Promise<Prepared> | null = entries.length > 0 ? prepare(0) : null;
    next?.catch(() => undefined);
    try {
      while (next !== null) {
        const cur: Prepared = await next;
        const after = cur.start + batchFiles;
        next = after < entries.length ? prepare(after) : null;
        next?.catch(() => undefined);
        await collect(cur);
        counts.handled = Math.min(entries.length, after);
        report();
        if (opts.signal?.aborted) throw new CorpusError('E_ABORTED', `feature extraction stopped after ${counts.handled} of ${entries.length} files (rerun to continue)`);
      }
      await flush();
    } catch (err) {
      try {
        await flush(); // keep the work finished before the error
      } catch {
        /* the original error matters more */
      }
      throw err;
    }

    const index = buildIndex({ entries, ids, keyOf, hashFailure, state, presetName, features, windowing, shape, optionsHash, root: opts.root });
    writeFileAtomic(path.join(dir, INDEX_FILE), JSON.stringify(index));
    const t = elapsed();
    return {
      dir,
      index,
      extracted: counts.extracted,
      reused: counts.reused,
      failed: counts.failed,
      elapsedSeconds: t,
      audioSeconds: counts.audioSeconds,
      filesPerSec: t > 0 ? counts.extracted / t : 0,
      xRealtime: t > 0 ? counts.audioSeconds / t : 0,
    };
  } finally {
    journal?.close();
    release();
  }
}

function checkUniqueIds(ids: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new CorpusError('E_BAD_ARGUMENT', `duplicate corpus entry: ${id}`);
    seen.add(id);
  }
}

interface State {
  hasHeader: boolean;
  records: ShardRecord[];
  done: Map<string, DoneRef>;
  failed: Map<string, FailedFile>;
  nextShard: number;
  shape: [number, number] | null;
}

/** Reads the journal of an earlier run, keeps the shards that are intact, removes everything else. */
function loadState(dir: string, header: JournalHeader, verify: 'full' | 'size'): State {
  const j = readJournal(dir);
  if (j.header !== null && j.header.optionsHash !== header.optionsHash) {
    const changed = [
      ...diffKeys(j.header.features, header.features).map((k) => `${k}: ${JSON.stringify(j.header!.features[k])} -> ${JSON.stringify(header.features[k])}`),
      ...diffKeys(j.header.windowing, header.windowing).map((k) => `windowing.${k}: ${JSON.stringify(j.header!.windowing[k])} -> ${JSON.stringify(header.windowing[k])}`),
    ];
    throw new CorpusError('E_STORE_MISMATCH', `${dir} holds features made with other options (${changed.join(', ') || 'format'}); use another output folder or delete it`, {
      path: dir,
      details: { existing: { features: j.header.features, windowing: j.header.windowing }, requested: { features: header.features, windowing: header.windowing } },
    });
  }
  if (j.header === null && fs.existsSync(path.join(dir, INDEX_FILE))) {
    throw new CorpusError('E_STORE_MISMATCH', `${dir} has an index.json but no journal: not a store this version can resume; use another output folder`, { path: dir });
  }
  const state: State = { hasHeader: j.header !== null, records: [], done: new Map(), failed: new Map(), nextShard: 0, shape: null };
  const valid = new Set<string>();
  for (const rec of j.shards) {
    state.nextShard = Math.max(state.nextShard, rec.shard + 1);
    if (!shardIntact(dir, rec, verify)) continue;
    state.shape ??= rec.shape;
    if (rec.shape[0] !== state.shape[0] || rec.shape[1] !== state.shape[1]) continue;
    valid.add(rec.file);
    state.records.push(rec);
    for (const f of rec.files) state.done.set(f.key, { shard: rec.shard, file: f });
  }
  for (const f of [...j.failures, ...j.shards.filter((r) => valid.has(r.file)).flatMap((r) => r.failures)]) {
    if (!state.done.has(f.key)) state.failed.set(f.key, f);
  }
  // Shard files without a valid journal record (crash between rename and journal append, or damaged).
  for (const name of fs.readdirSync(dir)) {
    if (!SHARD_NAME.test(name)) continue;
    const n = Number.parseInt(name.slice(6), 10);
    state.nextShard = Math.max(state.nextShard, n + 1);
    if (!valid.has(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
  return state;
}

function diffKeys<T extends object>(a: T, b: T): (keyof T)[] {
  return (Object.keys({ ...a, ...b }) as (keyof T)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

function shardIntact(dir: string, rec: ShardRecord, verify: 'full' | 'size'): boolean {
  const file = path.join(dir, rec.file);
  try {
    if (fs.statSync(file).size !== rec.rows * rec.shape[0] * rec.shape[1] * 4) return false;
    return verify === 'size' || sha256FileSync(file) === rec.sha256;
  } catch {
    return false;
  }
}

export function sha256FileSync(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

type HashResult = { sha: string } | { error: { code: string; message: string } };

async function hashAll(paths: string[], concurrency = 16): Promise<HashResult[]> {
  const out: HashResult[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      try {
        out[i] = { sha: await sha256File(paths[i]!) };
      } catch (err) {
        out[i] = { error: { code: errorCode(err, 'E_READ'), message: errorMessage(err) } };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return out;
}

/** null when the result can go into the store, else the failure to record. */
function checkResult(res: FileResult, shape: [number, number], shapeKnown: boolean): { code: string; message: string } | null {
  if ('error' in res) return { code: res.error.code || 'E_UNKNOWN', message: res.error.message };
  const [n, bins, frames] = res.shape;
  if (n === 0) return { code: 'E_TOO_SHORT', message: `no window: the clip (${res.duration.toFixed(3)} s) is shorter than the minimum` };
  if (shapeKnown && (bins !== shape[0] || frames !== shape[1])) {
    return { code: 'E_SHAPE', message: `window shape ${bins}x${frames} differs from the store's ${shape[0]}x${shape[1]}` };
  }
  if (res.data.length < n * bins * frames) return { code: 'E_SHAPE', message: `data holds ${res.data.length} values, shape needs ${n * bins * frames}` };
  return null;
}

/** Seed-style images: viridis, low frequencies at the bottom; dB relative to the window maximum spans [-topDb, 0]. */
function writePngs(pngDir: string, id: string, data: Float32Array, windows: number, shape: [number, number], f: SpectrogramOptions): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plot = require('@melguard/plot') as { spectrogramPng(data: Float32Array, bins: number, frames: number, o?: { colormap?: 'viridis'; vmin?: number; vmax?: number }): Buffer };
  const range = f.scale === 'db' && f.ref === 'max' && f.topDb !== null ? { vmin: -f.topDb, vmax: 0 } : {};
  const safe = id
    .replace(/\.[^./]+$/, '')
    .split('/')
    .map((c) => (c === '..' || c === '.' || c === '' ? '_' : c))
    .join('/');
  const rowSize = shape[0] * shape[1];
  for (let w = 0; w < windows; w++) {
    const file = path.join(pngDir, `${safe}.w${w}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, plot.spectrogramPng(data.subarray(w * rowSize, (w + 1) * rowSize), shape[0], shape[1], { colormap: 'viridis', ...range }));
  }
}

interface IndexInput {
  entries: StoreEntry[];
  ids: string[];
  keyOf: (string | null)[];
  hashFailure: (StoreFailure | null)[];
  state: State;
  presetName: string | null;
  features: SpectrogramOptions;
  windowing: ResolvedWindowing;
  shape: [number, number];
  optionsHash: string;
  root: string | undefined;
}

function buildIndex(x: IndexInput): StoreIndex {
  const records = [...x.state.records].sort((a, b) => a.shard - b.shard);
  const position = new Map(records.map((r, i) => [r.shard, i]));
  const files: StoreFile[] = [];
  const failures: StoreFailure[] = [];
  x.entries.forEach((e, i) => {
    const hf = x.hashFailure[i];
    if (hf) {
      failures.push(hf);
      return;
    }
    const key = x.keyOf[i]!;
    const done = x.state.done.get(key);
    if (!done) {
      const f = x.state.failed.get(key);
      failures.push({ path: e.path, id: x.ids[i]!, code: f?.code ?? 'E_UNKNOWN', message: f?.message ?? 'not extracted' });
      return;
    }
    const sf: StoreFile = {
      key,
      path: e.path,
      id: x.ids[i]!,
      sha256: done.file.sha256,
      label: e.label,
      group: e.group,
      duration: done.file.duration,
      shard: position.get(done.shard)!,
      row: done.file.row,
      windows: done.file.windows,
    };
    if (e.source !== undefined) sf.source = e.source;
    if (e.method !== undefined) sf.method = e.method;
    if (e.speaker !== undefined) sf.speaker = e.speaker;
    files.push(sf);
  });
  const index: StoreIndex = {
    format: STORE_FORMAT,
    presetName: x.presetName,
    features: x.features,
    windowing: x.windowing,
    shape: x.shape,
    files,
    shards: records.map((r) => ({ file: r.file, rows: r.rows, sha256: r.sha256 })),
    failures,
    createdAt: new Date().toISOString(),
    optionsHash: x.optionsHash,
  };
  if (x.root !== undefined) index.root = x.root;
  return index;
}
