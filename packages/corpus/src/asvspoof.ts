// ASVspoof protocol files. 2019 LA/PA CM protocols have 5 columns: `SPEAKER UTT_ID - SYSTEM KEY`
// (SYSTEM '-' for bonafide); 2021 LA/DF keys (trial_metadata.txt) have more:
// `SPEAKER UTT_ID CODEC SOURCE ATTACK KEY TRIM SUBSET …`. In both, KEY is the last bonafide|spoof token and
// the attack system is the column just before it.
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings, walkFiles } from './audio-files';
import { CorpusError, listForMessage } from './errors';
import type { CorpusEntry, SkippedFile } from './types';

export interface ProtocolRow {
  line: number;
  speaker: string;
  utt: string;
  method?: string;
  label: 'real' | 'fake';
}

/** Parses one protocol line; null for blank/comment lines; a string describing the problem otherwise. */
export function parseProtocolLine(text: string, line: number): ProtocolRow | null | string {
  const t = text.trim();
  if (t === '' || t.startsWith('#')) return null;
  const tok = t.split(/\s+/);
  if (tok.length < 5) return `line ${line}: expected at least 5 columns, got ${tok.length}`;
  let k = -1;
  for (let i = tok.length - 1; i >= 2; i--) {
    const v = tok[i]!.toLowerCase();
    if (v === 'bonafide' || v === 'spoof') {
      k = i;
      break;
    }
  }
  if (k < 0) return `line ${line}: no bonafide/spoof key`;
  const label = tok[k]!.toLowerCase() === 'spoof' ? 'fake' : 'real';
  const row: ProtocolRow = { line, speaker: tok[0]!, utt: tok[1]!, label };
  const sys = tok[k - 1]!;
  if (label === 'fake' && sys !== '-' && sys.toLowerCase() !== 'spoof') row.method = sys;
  return row;
}

/** True when the first meaningful line of `file` parses as a protocol row. */
export function looksLikeProtocol(file: string): boolean {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  for (const [i, l] of head.split(/\r?\n/).entries()) {
    const r = parseProtocolLine(l, i + 1);
    if (r === null) continue;
    return typeof r === 'object';
  }
  return false;
}

/** Protocol files below `dir` (a few levels deep), by name, sorted. */
export function findProtocolFiles(dir: string): string[] {
  const isCandidate = (n: string) => /\.(trn|trl)\.txt$/i.test(n) || /^trial_metadata\.txt$/i.test(n) || /protocol.*\.txt$/i.test(n);
  return walkFiles(dir, { filter: isCandidate, maxDepth: 3 }).filter(looksLikeProtocol);
}

/** "ASVspoof2019.LA.cm.train.trn.txt" -> "ASVspoof2019.LA"; keys/DF/CM/trial_metadata.txt -> "ASVspoof.DF". */
export function protocolSource(file: string): string {
  const m = path.basename(file).match(/ASVspoof\s*(\d{4})[._-]?(LA|PA|DF)?/i);
  if (m) return `ASVspoof${m[1]}${m[2] ? '.' + m[2].toUpperCase() : ''}`;
  const track = file.split(/[\\/]/).reverse().find((c) => /^(LA|PA|DF)$/i.test(c));
  return track ? `ASVspoof.${track.toUpperCase()}` : 'ASVspoof';
}

export interface ProtocolOptions {
  /** Folder holding UTT_ID.flac (searched recursively). Default: the folder above the protocol's folder. */
  audioDir?: string;
  allowMissing?: boolean;
  /** Source name for every entry (default derived from the protocol file name). */
  source?: string;
}

export interface ProtocolResult {
  audioRoot: string;
  entries: Omit<CorpusEntry, 'group' | 'id'>[];
  skipped: SkippedFile[];
}

export function readProtocols(protocolFiles: string[], opts: ProtocolOptions = {}): ProtocolResult {
  if (protocolFiles.length === 0) throw new CorpusError('E_LAYOUT', 'no ASVspoof protocol file given');
  const first = path.resolve(protocolFiles[0]!);
  const audioRoot = path.resolve(opts.audioDir ?? path.dirname(path.dirname(first)));
  if (!fs.existsSync(audioRoot)) throw new CorpusError('ENOENT', `audio folder not found: ${audioRoot}`, { path: audioRoot });
  const byStem = new Map<string, string>();
  for (const f of walkFiles(audioRoot)) {
    const stem = path.basename(f).replace(/\.[^.]+$/, '');
    if (!byStem.has(stem)) byStem.set(stem, f);
  }

  const entries: Omit<CorpusEntry, 'group' | 'id'>[] = [];
  const skipped: SkippedFile[] = [];
  const missing: string[] = [];
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const pf of [...protocolFiles].map((p) => path.resolve(p)).sort(compareStrings)) {
    let text: string;
    try {
      text = fs.readFileSync(pf, 'utf8');
    } catch (err) {
      throw new CorpusError('ENOENT', `protocol not readable: ${pf}`, { path: pf, cause: err });
    }
    const source = opts.source ?? protocolSource(pf);
    text.split(/\r?\n/).forEach((l, i) => {
      const row = parseProtocolLine(l, i + 1);
      if (row === null) return;
      if (typeof row === 'string') {
        bad.push(`${path.basename(pf)} ${row}`);
        return;
      }
      if (seen.has(row.utt)) return; // the same trial listed by two protocols (e.g. LA and DF keys)
      seen.add(row.utt);
      const file = byStem.get(row.utt);
      if (file === undefined) {
        missing.push(row.utt);
        skipped.push({ path: path.join(audioRoot, `${row.utt}.flac`), reason: `${path.basename(pf)} line ${row.line}: audio not found` });
        return;
      }
      const e: Omit<CorpusEntry, 'group' | 'id'> = { path: file, label: row.label, source, speaker: row.speaker };
      if (row.method !== undefined) e.method = row.method;
      entries.push(e);
    });
  }
  if (bad.length > 0) {
    throw new CorpusError('E_BAD_PROTOCOL', `${bad.length} malformed protocol line(s): ${listForMessage(bad)}`, { details: { lines: bad } });
  }
  if (missing.length > 0 && !opts.allowMissing) {
    throw new CorpusError('E_MISSING_FILES', `${missing.length} protocol trial(s) have no audio file under ${audioRoot}: ${listForMessage(missing)}`, {
      path: audioRoot,
      details: { missing },
    });
  }
  return { audioRoot, entries, skipped };
}
