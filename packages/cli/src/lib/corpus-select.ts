// Labelled clips of a corpus, optionally restricted to one side of a split file.
import { CliError, EXIT } from './errors';
import { corpus, type CorpusEntry } from './ports';

export interface Selection {
  entries: CorpusEntry[];
  layout: string;
  root: string;
  /** e.g. "val side of split.json (policy grouped)" */
  description: string;
}

export function selectLabelled(target: string, opts: { split?: string; subset?: 'train' | 'val' | 'all'; requireLabels?: boolean }): Selection {
  const c = corpus();
  const found = c.discoverCorpusDetailed(target);
  let entries = found.entries;
  if (opts.requireLabels !== false) {
    entries = entries.filter((e) => e.label !== null);
    if (entries.length === 0) throw new CliError('E_NO_LABELS', `${target}: no labelled clips found (layout ${found.layout}); evaluation needs REAL/FAKE folders, a manifest or an ASVspoof protocol`);
  }
  let description = `${found.layout} corpus ${found.root}`;
  if (opts.split) {
    const split = c.readSplitFile(opts.split);
    const subset = opts.subset ?? 'val';
    if (subset !== 'all') {
      const ids = new Set(split[subset]);
      entries = entries.filter((e) => ids.has(e.id));
      if (entries.length === 0) {
        throw new CliError('E_SPLIT_MISMATCH', `none of the ${ids.size} ${subset} ids of ${opts.split} is in ${target} (was the split made for another corpus?)`, EXIT.failed);
      }
      if (entries.length < ids.size) process.stderr.write(`warning: ${ids.size - entries.length} ${subset} ids of ${opts.split} are not in ${target}\n`);
    }
    description += `, ${subset} side of ${opts.split} (policy ${split.policy})`;
  }
  return { entries, layout: found.layout, root: found.root, description };
}

/** Seeded PRNG (mulberry32): the same seed picks the same clips everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** k distinct items chosen uniformly with a seeded partial Fisher-Yates shuffle, in chosen order. */
export function sample<T>(items: readonly T[], k: number, seed: number): T[] {
  const a = [...items];
  const rand = mulberry32(seed);
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}
