// Reading a feature store for training: rows are windows, numbered in index.files order; data is read on
// demand with positioned reads (never the whole store in memory). Only shards listed in index.json are
// ever opened; each is checked against its sha256 before its first row is served (or all at once: verify()).
import * as fs from 'fs';
import * as path from 'path';
import { CorpusError } from './errors';
import { INDEX_FILE, sha256FileSync, STORE_FORMAT } from './extract';
import { leBytesToF32InPlace } from './f32-io';
import type { SplitSide } from './split';
import type { StoreFile, StoreIndex } from './store-types';

export type VerifyMode = 'lazy' | 'full' | 'none';

export interface OpenOptions {
  /**
   * 'lazy' (default): a shard's sha256 is checked the first time a row of it is read; 'full': every shard
   * at open; 'none': sizes only.
   */
  verify?: VerifyMode;
}

export interface Batch {
  rows: Int32Array;
  /** rows.length x bins x frames, row-major. */
  x: Float32Array;
  /** 1 = fake, 0 = real, -1 = unlabelled. */
  y: Int8Array;
}

/** Anything with the ids of each side: a Split, or a plain object. */
export interface SplitLike {
  train: readonly string[];
  val: readonly string[];
}

export class FeatureStore {
  readonly dir: string;
  readonly index: StoreIndex;
  /** Number of rows (windows) over all files. */
  readonly rows: number;
  readonly shape: [bins: number, frames: number];
  /** Floats per row. */
  readonly rowSize: number;
  /** Per row: 1 fake, 0 real, -1 unlabelled. */
  readonly labels: Int8Array;
  /** fileStart[i] = first row of index.files[i]; fileStart[files] = rows. */
  readonly fileStart: Int32Array;
  private readonly fds: (number | null)[];
  private readonly verified: boolean[];
  private byId: Map<string, number> | null = null;

  private constructor(dir: string, index: StoreIndex, verify: VerifyMode) {
    this.dir = dir;
    this.index = index;
    this.shape = index.shape;
    this.rowSize = index.shape[0] * index.shape[1];
    this.fileStart = new Int32Array(index.files.length + 1);
    index.files.forEach((f, i) => {
      this.fileStart[i + 1] = this.fileStart[i]! + f.windows.length;
    });
    this.rows = this.fileStart[index.files.length]!;
    this.labels = new Int8Array(this.rows);
    index.files.forEach((f, i) => this.labels.fill(f.label === 'fake' ? 1 : f.label === 'real' ? 0 : -1, this.fileStart[i]!, this.fileStart[i + 1]!));
    this.fds = index.shards.map(() => null);
    this.verified = index.shards.map(() => verify === 'none');
  }

  static open(dir: string, opts: OpenOptions = {}): FeatureStore {
    const abs = path.resolve(dir);
    const file = path.join(abs, INDEX_FILE);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new CorpusError('E_NO_STORE', `no feature store at ${abs} (missing ${INDEX_FILE}; run \`melguard features\` first)`, { path: abs, cause: err });
    }
    let index: StoreIndex;
    try {
      index = JSON.parse(text);
    } catch (err) {
      throw new CorpusError('E_CORRUPT_STORE', `${file} is not valid JSON`, { path: file, cause: err });
    }
    validateIndex(index, abs);
    const store = new FeatureStore(abs, index, opts.verify ?? 'lazy');
    if (opts.verify === 'full') store.verify();
    return store;
  }

  get files(): StoreFile[] {
    return this.index.files;
  }

  /** Checks every shard's sha256 now (E_CORRUPT_STORE on the first mismatch). */
  verify(): void {
    this.index.shards.forEach((_, s) => this.verifyShard(s, true));
  }

  /** Index of the file that holds `row`. */
  fileOfRow(row: number): number {
    this.checkRow(row);
    let lo = 0;
    let hi = this.index.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.fileStart[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Rows of the given files (by index.files position). */
  rowsOfFiles(fileIndices: Iterable<number>): Int32Array {
    const out: number[] = [];
    for (const f of fileIndices) for (let r = this.fileStart[f]!; r < this.fileStart[f + 1]!; r++) out.push(r);
    return Int32Array.from(out);
  }

  /** Position in index.files of each id (StoreFile.id, or path for stores without ids). */
  fileIndexOf(id: string): number | undefined {
    if (this.byId === null) {
      this.byId = new Map();
      this.index.files.forEach((f, i) => this.byId!.set(f.id ?? f.path, i));
    }
    return this.byId.get(id);
  }

  /** Rows of one side of a split. Ids absent from the store (e.g. files that failed) are skipped. */
  rowsOf(split: SplitLike, side: SplitSide): Int32Array {
    const ids = side === 'train' ? split.train : split.val;
    const files: number[] = [];
    for (const id of ids) {
      const f = this.fileIndexOf(id);
      if (f !== undefined) files.push(f);
    }
    return this.rowsOfFiles(files.sort((a, b) => a - b));
  }

  /** Reads rows into one Float32Array [rows.length][bins][frames]; consecutive rows are read together. */
  readRows(rowIds: ArrayLike<number>, out?: Float32Array): Float32Array {
    const n = rowIds.length;
    const dst = out ?? new Float32Array(n * this.rowSize);
    if (dst.length < n * this.rowSize) throw new CorpusError('E_BAD_ARGUMENT', `output holds ${dst.length} floats, ${n} rows need ${n * this.rowSize}`);
    const rowBytes = this.rowSize * 4;
    const bytes = new Uint8Array(dst.buffer, dst.byteOffset, n * rowBytes);
    let i = 0;
    while (i < n) {
      const { shard, row } = this.locate(rowIds[i]!);
      let run = 1;
      while (i + run < n) {
        const next = this.locate(rowIds[i + run]!);
        if (next.shard !== shard || next.row !== row + run) break;
        run++;
      }
      const fd = this.fd(shard);
      const want = run * rowBytes;
      let got = 0;
      while (got < want) {
        const k = fs.readSync(fd, bytes, i * rowBytes + got, want - got, row * rowBytes + got);
        if (k === 0) throw new CorpusError('E_CORRUPT_STORE', `${this.index.shards[shard]!.file} is shorter than its index says`, { path: this.dir });
        got += k;
      }
      i += run;
    }
    leBytesToF32InPlace(dst.subarray(0, n * this.rowSize));
    return dst;
  }

  /** Streams rows in batches (one buffer reused per batch size; copy `x` to keep it beyond the next step). */
  *batches(rowIds: ArrayLike<number>, batchSize: number): Generator<Batch> {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new CorpusError('E_BAD_ARGUMENT', `batchSize must be a positive integer, got ${batchSize}`);
    const buf = new Float32Array(batchSize * this.rowSize);
    for (let start = 0; start < rowIds.length; start += batchSize) {
      const rows = Int32Array.from({ length: Math.min(batchSize, rowIds.length - start) }, (_, k) => rowIds[start + k]!);
      const x = this.readRows(rows, buf.subarray(0, rows.length * this.rowSize));
      const y = Int8Array.from(rows, (r) => this.labels[r]!);
      yield { rows, x, y };
    }
  }

  close(): void {
    this.fds.forEach((fd, s) => {
      if (fd !== null) fs.closeSync(fd);
      this.fds[s] = null;
    });
  }

  private checkRow(row: number): void {
    if (!(Number.isInteger(row) && row >= 0 && row < this.rows)) throw new CorpusError('E_BAD_ARGUMENT', `row ${row} out of range [0, ${this.rows})`);
  }

  private locate(rowId: number): { shard: number; row: number } {
    const f = this.fileOfRow(rowId);
    const file = this.index.files[f]!;
    return { shard: file.shard, row: file.row + (rowId - this.fileStart[f]!) };
  }

  private fd(shard: number): number {
    if (!this.verified[shard]) this.verifyShard(shard, false);
    let fd = this.fds[shard];
    if (fd === null || fd === undefined) {
      fd = fs.openSync(path.join(this.dir, this.index.shards[shard]!.file), 'r');
      this.fds[shard] = fd;
    }
    return fd;
  }

  private verifyShard(s: number, force: boolean): void {
    if (this.verified[s] && !force) return;
    const sh = this.index.shards[s]!;
    const file = path.join(this.dir, sh.file);
    let sha: string;
    try {
      sha = sha256FileSync(file);
    } catch (err) {
      throw new CorpusError('E_CORRUPT_STORE', `shard ${sh.file} unreadable: ${(err as Error).message}`, { path: file, cause: err });
    }
    if (sha !== sh.sha256) throw new CorpusError('E_CORRUPT_STORE', `shard ${sh.file} does not match its sha256 in ${INDEX_FILE} (damaged or replaced)`, { path: file });
    this.verified[s] = true;
  }
}

function validateIndex(index: StoreIndex, dir: string): void {
  const bad = (why: string) => new CorpusError('E_CORRUPT_STORE', `${path.join(dir, INDEX_FILE)}: ${why}`, { path: dir });
  if (index?.format !== STORE_FORMAT) throw bad(`unknown format ${JSON.stringify(index?.format)} (expected ${STORE_FORMAT})`);
  const [bins, frames] = index.shape ?? [];
  if (!(Number.isInteger(bins) && bins! > 0 && Number.isInteger(frames) && frames! > 0)) throw bad(`bad shape ${JSON.stringify(index.shape)}`);
  if (!Array.isArray(index.files) || !Array.isArray(index.shards) || !Array.isArray(index.failures)) throw bad('files, shards and failures must be lists');
  const rowBytes = bins! * frames! * 4;
  index.shards.forEach((sh) => {
    if (typeof sh.file !== 'string' || sh.file.includes('/') || sh.file.includes('\\') || sh.file.startsWith('.')) throw bad(`bad shard name ${JSON.stringify(sh.file)}`);
    let size: number;
    try {
      size = fs.statSync(path.join(dir, sh.file)).size;
    } catch {
      throw bad(`shard ${sh.file} is missing`);
    }
    if (size !== sh.rows * rowBytes) throw bad(`shard ${sh.file} has ${size} bytes, ${sh.rows} rows need ${sh.rows * rowBytes}`);
  });
  index.files.forEach((f) => {
    const sh = index.shards[f.shard];
    if (!sh || !Number.isInteger(f.row) || f.row < 0 || !Array.isArray(f.windows) || f.row + f.windows.length > sh.rows) {
      throw bad(`file ${f.id ?? f.path} points outside its shard`);
    }
  });
}
