// Resume: which files are already done (same path, size and mtime as a record in the output), which
// records must go (stale: the file changed; duplicates; unreadable lines), and whether the output
// must be rewritten before appending.
import path from 'node:path';
import type { ScanRecord } from './records';

export interface StatedFile {
  path: string;
  abs: string;
  size: number;
  mtime: number;
}

export interface ResumePlan<F extends StatedFile> {
  todo: F[];
  /** Files with a matching record: not scanned again. */
  done: F[];
  /** Records to keep in the output. */
  keep: ScanRecord[];
  /** Records dropped: their file changed, they were duplicated, or (with retryErrors) they hold an error. */
  dropped: number;
  /** The output must be rewritten with `keep` only (something was dropped or unreadable). */
  rewrite: boolean;
}

export function planResume<F extends StatedFile>(
  files: readonly F[],
  records: readonly ScanRecord[],
  options: { cwd?: string; invalidLines?: number; retryErrors?: boolean } = {},
): ResumePlan<F> {
  const cwd = options.cwd ?? process.cwd();
  // last record per file wins (an earlier one would be a duplicate)
  const absOf = records.map((r) => path.resolve(cwd, r.path));
  const byAbs = new Map<string, { record: ScanRecord; index: number }>();
  records.forEach((record, index) => byAbs.set(absOf[index], { record, index }));
  let dropped = records.length - byAbs.size;
  const dropIndex = new Set<number>();
  const todo: F[] = [];
  const done: F[] = [];
  for (const f of files) {
    const hit = byAbs.get(f.abs);
    if (!hit) {
      todo.push(f);
    } else if (hit.record.size === f.size && hit.record.mtime === f.mtime && !(options.retryErrors && hit.record.error)) {
      done.push(f);
    } else {
      todo.push(f);
      dropIndex.add(hit.index);
    }
  }
  dropped += dropIndex.size;
  const keep = records.filter((_, i) => byAbs.get(absOf[i])!.index === i && !dropIndex.has(i));
  return { todo, done, keep, dropped, rewrite: dropped > 0 || (options.invalidLines ?? 0) > 0 };
}
