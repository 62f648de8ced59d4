// The scan loop shared by `melguard scan` and `melguard bench scan`: files -> detector (batched, in order)
// -> one record per file, with running totals.
import type { DetectorPort, FileDetection } from '../lib/ports';
import type { ScanRecord } from './records';
import type { StatedFile } from './resume';

export interface ScanTotals {
  ok: number;
  failed: number;
  fake: number;
  real: number;
  audioSeconds: number;
  /** Sum over files of each stage's wall time (seconds; stages of different files overlap). */
  stages: { decode: number; features: number; inference: number };
  failuresByCode: Record<string, number>;
}

export function emptyTotals(): ScanTotals {
  return { ok: 0, failed: 0, fake: 0, real: 0, audioSeconds: 0, stages: { decode: 0, features: 0, inference: 0 }, failuresByCode: {} };
}

export function toRecord(file: StatedFile, r: FileDetection, withWindows: boolean): ScanRecord {
  if ('error' in r) {
    return { path: file.path, size: file.size, mtime: file.mtime, score: null, label: null, duration: null, error: { code: r.error.code, message: r.error.message } };
  }
  return {
    path: file.path,
    size: file.size,
    mtime: file.mtime,
    score: r.score,
    label: r.label,
    duration: r.duration,
    ...(withWindows ? { windows: r.windows.map((w) => ({ start: w.start, end: w.end, score: w.score })) } : {}),
  };
}

export function addToTotals(t: ScanTotals, r: FileDetection): void {
  if ('error' in r) {
    t.failed++;
    t.failuresByCode[r.error.code] = (t.failuresByCode[r.error.code] ?? 0) + 1;
    return;
  }
  t.ok++;
  if (r.label === 'fake') t.fake++;
  else t.real++;
  t.audioSeconds += r.duration;
  if (r.timing) {
    t.stages.decode += r.timing.decode;
    t.stages.features += r.timing.features;
    t.stages.inference += r.timing.inference;
  }
}

export interface ScanLoopOptions {
  aggregate?: string;
  withWindows: boolean;
  /** Checked between files: true stops the scan (Ctrl-C). */
  stopped?: () => boolean;
  onRecord(record: ScanRecord, result: FileDetection): void;
}

/** Scans `files` in order; returns the totals and whether it was stopped early. */
export async function scanLoop(detector: DetectorPort, files: readonly StatedFile[], o: ScanLoopOptions): Promise<{ totals: ScanTotals; stoppedEarly: boolean }> {
  const totals = emptyTotals();
  const queue = new Map<string, StatedFile[]>();
  for (const f of files) {
    const list = queue.get(f.path);
    if (list) list.push(f);
    else queue.set(f.path, [f]);
  }
  let stoppedEarly = false;
  for await (const r of detector.detectFilesIter(files.map((f) => f.path), o.aggregate ? { aggregate: o.aggregate } : {})) {
    const file = queue.get(r.path)?.shift();
    if (!file) throw new Error(`detector returned an unexpected path: ${r.path}`);
    addToTotals(totals, r);
    o.onRecord(toRecord(file, r, o.withWindows), r);
    if (o.stopped?.()) {
      stoppedEarly = true;
      break;
    }
  }
  return { totals, stoppedEarly };
}
