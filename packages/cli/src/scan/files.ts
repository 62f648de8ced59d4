// Which files a scan covers: files named on the command line, and audio files found recursively in folders.
// Deterministic: folder entries in code-unit order, hidden entries skipped, symlinked folders followed once.
import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from '../lib/errors';

export const AUDIO_EXTENSIONS = ['wav', 'flac', 'ogg', 'opus', 'mp3'] as const;

export function isAudioName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && (AUDIO_EXTENSIONS as readonly string[]).includes(name.slice(dot + 1).toLowerCase());
}

export interface ScanFile {
  /** As shown and written in the output: the argument joined with the path below it. */
  path: string;
  /** Absolute path (resume matching). */
  abs: string;
  /** Shard key: the path relative to the argument it was found under ('/'-separated), or the file's name. */
  key: string;
}

export interface CollectResult {
  files: ScanFile[];
  /** Folders that could not be read (reported, the scan goes on). */
  unreadable: { path: string; code: string }[];
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function collectFiles(args: readonly string[]): CollectResult {
  const files: ScanFile[] = [];
  const unreadable: CollectResult['unreadable'] = [];
  const seen = new Set<string>();
  const add = (display: string, key: string) => {
    const abs = path.resolve(display);
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ path: display, abs, key });
  };
  for (const arg of args) {
    let st: fs.Stats;
    try {
      st = fs.statSync(arg);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ENOENT';
      throw new CliError(code, `cannot scan ${arg}: ${code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`, EXIT.usage);
    }
    if (st.isDirectory()) {
      const seenDirs = new Set<string>();
      walk(arg, '', seenDirs, unreadable, add);
    } else {
      add(path.normalize(arg), path.basename(arg)); // named explicitly: scanned whatever its extension
    }
  }
  return { files, unreadable };
}

function walk(dir: string, rel: string, seenDirs: Set<string>, unreadable: CollectResult['unreadable'], add: (display: string, key: string) => void): void {
  let entries: fs.Dirent[];
  try {
    const real = fs.realpathSync(dir);
    if (seenDirs.has(real)) return; // a symlink cycle
    seenDirs.add(real);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    unreadable.push({ path: dir, code: (err as { code?: string }).code ?? 'EIO' });
    return;
  }
  entries.sort((a, b) => compareStrings(a.name, b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // hidden files, macOS "._x.wav" resource forks
    const full = path.join(dir, e.name);
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = fs.statSync(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isDir) walk(full, childRel, seenDirs, unreadable, add);
    else if (isFile && isAudioName(e.name)) add(full, childRel);
  }
}
