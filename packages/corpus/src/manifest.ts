// Manifest TSV/CSV: a header with `path` and `label` columns, optional `source`, `method`, `speaker`
// (and `original_path`, used for grouping) — the format of melguard's development corpus manifest.tsv.
import * as fs from 'fs';
import * as path from 'path';
import { toId } from './audio-files';
import { CorpusError, listForMessage } from './errors';
import { parseLabelValue } from './labels';
import { parseTable } from './table';
import type { CorpusEntry, SkippedFile } from './types';

const COLUMN_ALIASES = {
  path: ['path', 'file', 'filename', 'file_name', 'filepath', 'file_path', 'audio', 'audio_path'],
  label: ['label', 'class', 'target', 'key'],
  source: ['source', 'dataset', 'corpus'],
  method: ['method', 'system', 'attack', 'generator', 'system_id'],
  speaker: ['speaker', 'speaker_id', 'spk'],
  originalPath: ['original_path'],
} as const;

type Column = keyof typeof COLUMN_ALIASES;

export interface ManifestOptions {
  /** Skip rows whose file does not exist (they are listed in `skipped`) instead of failing with E_MISSING_FILES. */
  allowMissing?: boolean;
}

export interface ManifestResult {
  root: string;
  entries: Omit<CorpusEntry, 'group'>[];
  skipped: SkippedFile[];
}

export function readManifest(manifestPath: string, opts: ManifestOptions = {}): ManifestResult {
  const file = path.resolve(manifestPath);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CorpusError('ENOENT', `manifest not readable: ${file}`, { path: file, cause: err });
  }
  const table = parseTable(text, /\.tsv$/i.test(file) ? '\t' : /\.csv$/i.test(file) ? ',' : undefined);
  const header = table.header.map((h) => h.toLowerCase());
  const col = {} as Record<Column, number>;
  for (const name of Object.keys(COLUMN_ALIASES) as Column[]) {
    col[name] = header.findIndex((h) => (COLUMN_ALIASES[name] as readonly string[]).includes(h));
  }
  if (col.path < 0 || col.label < 0) {
    throw new CorpusError('E_BAD_MANIFEST', `manifest ${file} needs a header with "path" and "label" columns (found: ${table.header.join(', ') || 'nothing'})`, { path: file });
  }

  const root = path.dirname(file);
  const entries: Omit<CorpusEntry, 'group'>[] = [];
  const skipped: SkippedFile[] = [];
  const missing: string[] = [];
  const badRows: string[] = [];
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  const cell = (cells: string[], c: Column): string | undefined => {
    const v = col[c] >= 0 ? cells[col[c]]?.trim() : undefined;
    return v === undefined || v === '' ? undefined : v;
  };

  for (const { line, cells } of table.rows) {
    const rel = cell(cells, 'path');
    if (rel === undefined) {
      badRows.push(`line ${line}: empty path`);
      continue;
    }
    const label = parseLabelValue(cells[col.label] ?? '');
    if (label === undefined) {
      badRows.push(`line ${line}: label "${cells[col.label]}" (expected real|fake|bonafide|spoof|0|1)`);
      continue;
    }
    const abs = path.resolve(root, rel);
    const id = toId(root, abs);
    if (seen.has(id)) {
      duplicates.push(`${rel} (lines ${seen.get(id)} and ${line})`);
      continue;
    }
    seen.set(id, line);
    if (!isFile(abs)) {
      missing.push(abs);
      skipped.push({ path: abs, reason: `manifest line ${line}: file not found` });
      continue;
    }
    const e: Omit<CorpusEntry, 'group'> = { path: abs, id, label };
    const source = cell(cells, 'source');
    const method = cell(cells, 'method');
    const speaker = cell(cells, 'speaker');
    const originalPath = cell(cells, 'originalPath');
    if (source !== undefined) e.source = source;
    if (method !== undefined && method !== '-') e.method = method;
    if (speaker !== undefined && speaker !== '-') e.speaker = speaker;
    if (originalPath !== undefined) e.originalPath = originalPath;
    entries.push(e);
  }

  if (badRows.length > 0) {
    throw new CorpusError('E_BAD_MANIFEST', `manifest ${file}: ${badRows.length} bad row(s): ${listForMessage(badRows)}`, { path: file, details: { rows: badRows } });
  }
  if (duplicates.length > 0) {
    throw new CorpusError('E_BAD_MANIFEST', `manifest ${file}: duplicate paths: ${listForMessage(duplicates)}`, { path: file, details: { duplicates } });
  }
  if (missing.length > 0 && !opts.allowMissing) {
    throw new CorpusError('E_MISSING_FILES', `manifest ${file}: ${missing.length} listed file(s) not found: ${listForMessage(missing)}`, { path: file, details: { missing } });
  }
  return { root, entries, skipped };
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
