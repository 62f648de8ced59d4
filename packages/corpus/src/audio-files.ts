// Finding audio files on disk: extensions, a deterministic recursive walk, portable ids.
import * as fs from 'fs';
import * as path from 'path';

export const AUDIO_EXTENSIONS = ['wav', 'flac', 'ogg', 'opus', 'mp3'] as const;

export function isAudioFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return false;
  return (AUDIO_EXTENSIONS as readonly string[]).includes(name.slice(dot + 1).toLowerCase());
}

/** Plain code-unit order: identical on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** '/'-separated path of `file` relative to `root`. */
export function toId(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export interface WalkOptions {
  /** Include only files for which this returns true (default: audio files). */
  filter?: (name: string) => boolean;
  maxDepth?: number;
}

/**
 * Every matching file below `root`, sorted. Hidden entries (".x", e.g. macOS "._clip.wav" resource forks) are
 * skipped; symlinked directories are followed once (cycles are cut by real path).
 */
export function walkFiles(root: string, opts: WalkOptions = {}): string[] {
  const filter = opts.filter ?? isAudioFile;
  const maxDepth = opts.maxDepth ?? Infinity;
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const visit = (dir: string, depth: number): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let items: fs.Dirent[];
    try {
      items = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    items.sort((a, b) => compareStrings(a.name, b.name));
    for (const item of items) {
      if (item.name.startsWith('.')) continue;
      const full = path.join(dir, item.name);
      let isDir = item.isDirectory();
      let isFile = item.isFile();
      if (item.isSymbolicLink()) {
        try {
          const st = fs.statSync(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (depth < maxDepth) visit(full, depth + 1);
      } else if (isFile && filter(item.name)) {
        out.push(full);
      }
    }
  };
  visit(root, 0);
  return out.sort(compareStrings);
}
