// A detector over text "audio" files for scan tests: a file holding `score duration` is scored,
// anything else fails with E_CORRUPT. Mirrors @melguard/infer's detectFilesIter (in order, batched).
import fs from 'node:fs';
import type { DetectorPort, FileDetection } from '../src/lib/ports';

export function fakeDetector(opts: { batch?: number; delayMs?: number; calls?: string[][] } = {}): DetectorPort {
  const batch = opts.batch ?? 4;
  return {
    metadata: { name: 'fake', version: '1', threshold: 0.5, input: {} as never },
    model: { name: 'fake', version: '1' },
    executionProvider: 'cpu',
    threshold: 0.5,
    detectFile: async () => {
      throw new Error('not used');
    },
    async *detectFilesIter(paths: readonly string[]): AsyncGenerator<FileDetection> {
      for (let i = 0; i < paths.length; i += batch) {
        const chunk = paths.slice(i, i + batch);
        opts.calls?.push([...chunk]);
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        for (const p of chunk) yield score(p);
      }
    },
    dispose: async () => undefined,
  };
}

function score(p: string): FileDetection {
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch {
    return { path: p, error: { code: 'ENOENT', message: `cannot open ${p}` } };
  }
  const m = /^(\d*\.?\d+) (\d*\.?\d+)$/.exec(text.trim());
  if (!m) return { path: p, error: { code: 'E_CORRUPT', message: `${p}: corrupt stream\nsecond line` } };
  const s = Number(m[1]);
  const duration = Number(m[2]);
  return {
    path: p,
    score: s,
    label: s >= 0.5 ? 'fake' : 'real',
    threshold: 0.5,
    windows: [{ start: 0, end: duration, score: s }],
    duration,
    model: { name: 'fake', version: '1' },
    timing: { decode: 0.001, features: 0.001, inference: 0.001 },
  };
}
