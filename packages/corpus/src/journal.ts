// The extraction journal: an append-only JSON-lines log of completed shards. A shard counts as done only
// once its record is in the journal (written after the shard file is durable), so an interrupted run
// resumes from the last record and a half-written last line is ignored.
import * as fs from 'fs';
import * as path from 'path';
import type { SpectrogramOptions, WindowSpan } from '@melguard/dsp';
import { CorpusError } from './errors';
import type { ResolvedWindowing } from './windows';

export const JOURNAL_FILE = 'journal.jsonl';
export const JOURNAL_FORMAT = 'melguard-features-journal/1';

export interface JournalHeader {
  type: 'header';
  format: typeof JOURNAL_FORMAT;
  optionsHash: string;
  presetName: string | null;
  features: SpectrogramOptions;
  windowing: ResolvedWindowing;
}

export interface DoneFile {
  key: string;
  sha256: string;
  duration: number;
  /** First row of this file inside the shard. */
  row: number;
  windows: WindowSpan[];
}

export interface FailedFile {
  key: string;
  path: string;
  code: string;
  message: string;
}

export interface ShardRecord {
  type: 'shard';
  shard: number;
  file: string;
  rows: number;
  sha256: string;
  shape: [number, number];
  files: DoneFile[];
  failures: FailedFile[];
}

/** Files that failed while no shard was being written (kept so a rerun does not retry them). */
export interface FailureRecord {
  type: 'failures';
  failures: FailedFile[];
}

export function shardFileName(shard: number): string {
  return `shard-${String(shard).padStart(6, '0')}.f32`;
}

export const SHARD_NAME = /^shard-\d{6,}\.f32$/;

export function readJournal(dir: string): { header: JournalHeader | null; shards: ShardRecord[]; failures: FailedFile[] } {
  const file = path.join(dir, JOURNAL_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { header: null, shards: [], failures: [] };
    throw err;
  }
  const lines = text.split('\n');
  let header: JournalHeader | null = null;
  const shards: ShardRecord[] = [];
  const failures: FailedFile[] = [];
  lines.forEach((line) => {
    if (line.trim() === '') return;
    let rec: JournalHeader | ShardRecord | FailureRecord;
    try {
      rec = JSON.parse(line);
    } catch {
      // A record torn by a crash (the writer starts the next record on a fresh line): its shard never
      // became valid and is redone.
      return;
    }
    if (rec === null || typeof rec !== 'object') return;
    if (rec.type === 'header') header ??= rec;
    else if (rec.type === 'shard') shards.push(rec);
    else if (rec.type === 'failures') failures.push(...rec.failures);
  });
  if (header === null && (shards.length > 0 || failures.length > 0)) throw new CorpusError('E_CORRUPT_STORE', `${file} has no header`, { path: file });
  return { header, shards, failures };
}

/** Appends records durably (fsync) to the journal. */
export class JournalWriter {
  private readonly fd: number;

  constructor(dir: string) {
    const file = path.join(dir, JOURNAL_FILE);
    // A torn last line from a crash would glue onto the next record: start on a fresh line.
    let needsNewline = false;
    try {
      const st = fs.statSync(file);
      if (st.size > 0) {
        const fd = fs.openSync(file, 'r');
        const b = Buffer.alloc(1);
        fs.readSync(fd, b, 0, 1, st.size - 1);
        fs.closeSync(fd);
        needsNewline = b[0] !== 0x0a;
      }
    } catch {
      /* new journal */
    }
    this.fd = fs.openSync(file, 'a');
    if (needsNewline) fs.writeSync(this.fd, '\n');
  }

  append(record: JournalHeader | ShardRecord | FailureRecord): void {
    fs.writeSync(this.fd, JSON.stringify(record) + '\n');
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
