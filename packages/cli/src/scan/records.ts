// One scan result per file, as a JSONL line or a CSV row. Both carry size + mtime for resume matching.
import type { WindowScore } from '../lib/ports';

export interface ScanRecord {
  path: string;
  size: number;
  /** Modification time, ms since the epoch (fs.Stats.mtimeMs). */
  mtime: number;
  score: number | null;
  label: 'real' | 'fake' | null;
  duration: number | null;
  windows?: WindowScore[];
  error?: { code: string; message: string };
}

export type OutputFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = ['path', 'size', 'mtime', 'score', 'label', 'duration', 'windows', 'error_code', 'error_message'] as const;
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

export function formatRecord(r: ScanRecord, format: OutputFormat): string {
  if (format === 'jsonl') {
    const o: Record<string, unknown> = { path: r.path, size: r.size, mtime: r.mtime, score: r.score, label: r.label, duration: r.duration };
    if (r.windows) o.windows = r.windows;
    if (r.error) o.error = r.error;
    return `${JSON.stringify(o)}\n`;
  }
  const cells = [
    r.path,
    String(r.size),
    String(r.mtime),
    r.score === null ? '' : String(r.score),
    r.label ?? '',
    r.duration === null ? '' : String(r.duration),
    r.windows ? JSON.stringify(r.windows) : '',
    r.error?.code ?? '',
    r.error ? r.error.message.replace(/[\r\n]+/g, ' ') : '',
  ];
  return `${cells.map(csvCell).join(',')}\n`;
}

function csvCell(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export interface ParsedOutput {
  records: ScanRecord[];
  /** Bytes of the file made of complete records (a trailing partial record is cut off here). */
  completeBytes: number;
  /** The file ended in the middle of a record (a killed writer). */
  partial: boolean;
  /** Complete lines that are not valid records. */
  invalid: number;
}

/** Parses an existing output file (bytes), tolerating a trailing partial line. */
export function parseOutput(bytes: Buffer, format: OutputFormat): ParsedOutput {
  return format === 'jsonl' ? parseJsonl(bytes) : parseCsv(bytes);
}

function parseJsonl(bytes: Buffer): ParsedOutput {
  const end = bytes.lastIndexOf(0x0a) + 1; // '\n' never occurs inside a UTF-8 multibyte sequence
  const text = bytes.subarray(0, end).toString('utf8');
  const records: ScanRecord[] = [];
  let invalid = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      invalid++;
      continue;
    }
    const r = toRecord(value);
    if (r) records.push(r);
    else invalid++;
  }
  return { records, completeBytes: end, partial: end < bytes.length, invalid };
}

function parseCsv(bytes: Buffer): ParsedOutput {
  const text = bytes.toString('utf8');
  const rows = csvRows(text);
  const records: ScanRecord[] = [];
  let invalid = 0;
  let completeChars = 0;
  rows.forEach((row, i) => {
    if (!row.complete) return;
    completeChars = row.end;
    if (i === 0) {
      if (row.cells.join(',') !== CSV_COLUMNS.join(',')) throw Object.assign(new Error('CSV header differs from this version of melguard scan'), { code: 'E_OUTPUT_FORMAT' });
      return;
    }
    const c = row.cells;
    if (c.length !== CSV_COLUMNS.length) {
      invalid++;
      return;
    }
    const obj: Record<string, unknown> = {
      path: c[0],
      size: Number(c[1]),
      mtime: Number(c[2]),
      score: c[3] === '' ? null : Number(c[3]),
      label: c[4] === '' ? null : c[4],
      duration: c[5] === '' ? null : Number(c[5]),
    };
    try {
      if (c[6]) obj.windows = JSON.parse(c[6]);
    } catch {
      invalid++;
      return;
    }
    if (c[7]) obj.error = { code: c[7], message: c[8] };
    const r = toRecord(obj);
    if (r) records.push(r);
    else invalid++;
  });
  const completeBytes = Buffer.byteLength(text.slice(0, completeChars), 'utf8');
  return { records, completeBytes, partial: completeBytes < bytes.length, invalid };
}

/** RFC 4180 rows with their end offsets; a row is complete when its terminating newline was read. */
export function csvRows(text: string): { cells: string[]; end: number; complete: boolean }[] {
  const rows: { cells: string[]; end: number; complete: boolean }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
      rows.push({ cells, end: i + 1, complete: true });
      cells = [];
      cell = '';
    } else cell += ch;
    i++;
  }
  if (cell !== '' || cells.length > 0 || quoted) rows.push({ cells: [...cells, cell], end: text.length, complete: false });
  return rows;
}

function toRecord(v: unknown): ScanRecord | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if (typeof o.path !== 'string' || !o.path) return null;
  if (typeof o.size !== 'number' || !Number.isFinite(o.size) || typeof o.mtime !== 'number' || !Number.isFinite(o.mtime)) return null;
  const r: ScanRecord = {
    path: o.path,
    size: o.size,
    mtime: o.mtime,
    score: typeof o.score === 'number' ? o.score : null,
    label: o.label === 'real' || o.label === 'fake' ? o.label : null,
    duration: typeof o.duration === 'number' ? o.duration : null,
  };
  if (Array.isArray(o.windows)) r.windows = o.windows as WindowScore[];
  const e = o.error as { code?: unknown; message?: unknown } | undefined;
  if (e && typeof e === 'object' && typeof e.code === 'string') r.error = { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  if (!r.error && (r.score === null || r.label === null)) return null;
  return r;
}
