// Leak-free groups: connected components over "shares a speaker" OR "shares a sentence/recording key".
import { compareStrings } from './audio-files';
import type { CorpusEntry } from './types';
import { UnionFind } from './union-find';
import { utteranceInfo } from './utterance';

export interface GroupingOptions {
  /** Link files of the same speaker (default true). */
  bySpeaker?: boolean;
  /** Link files of the same sentence / source recording (default true). */
  bySentence?: boolean;
}

type GroupInput = Omit<CorpusEntry, 'group'> & { group?: string };

/**
 * Sets `group` (and `speaker`, when an id reveals it and none was given) on every entry. A group is named after
 * one of its keys, chosen by a fixed rule, so names are readable ("lj:LJ048-0107", "spk:librispeech-1221") and
 * independent of input order.
 */
export function assignGroups<T extends GroupInput>(entries: T[], opts: GroupingOptions = {}): (T & { group: string })[] {
  const bySpeaker = opts.bySpeaker ?? true;
  const bySentence = opts.bySentence ?? true;
  const uf = new UnionFind(entries.length);
  const firstOwner = new Map<string, number>();
  const keysOf: string[][] = [];
  const out = entries.map((e) => ({ ...e }) as T & { group: string });

  out.forEach((e, i) => {
    const info = utteranceInfo(e);
    if (e.speaker === undefined && info.speaker !== undefined) e.speaker = info.speaker;
    const keys: string[] = [];
    if (bySpeaker && e.speaker) keys.push(`spk:${e.speaker}`);
    if (bySentence) keys.push(...info.keys);
    if (keys.length === 0) keys.push(`file:${e.id}`);
    keysOf.push(keys);
    for (const k of keys) {
      const owner = firstOwner.get(k);
      if (owner === undefined) firstOwner.set(k, i);
      else uf.union(owner, i);
    }
  });

  const nameOfRoot = new Map<number, string>();
  out.forEach((_, i) => {
    const root = uf.find(i);
    for (const k of keysOf[i]!) {
      const cur = nameOfRoot.get(root);
      if (cur === undefined || betterName(k, cur)) nameOfRoot.set(root, k);
    }
  });
  out.forEach((e, i) => {
    e.group = nameOfRoot.get(uf.find(i))!;
  });
  return out;
}

/** Readable names first: a speaker, then a plain sentence key, then a table-column key ("*" = any system). */
function betterName(a: string, b: string): boolean {
  const rank = (k: string) => (k.startsWith('spk:') ? 0 : k.includes('*') ? 2 : 1);
  return rank(a) - rank(b) < 0 || (rank(a) === rank(b) && compareStrings(a, b) < 0);
}

export interface GroupSummary {
  groups: number;
  largest: { group: string; files: number }[];
  /** Histogram: group size -> number of groups. */
  sizes: Record<number, number>;
}

export function summarizeGroups(entries: Pick<CorpusEntry, 'group'>[], top = 5): GroupSummary {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.group, (counts.get(e.group) ?? 0) + 1);
  const sizes: Record<number, number> = {};
  for (const n of counts.values()) sizes[n] = (sizes[n] ?? 0) + 1;
  const largest = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
    .slice(0, top)
    .map(([group, files]) => ({ group, files }));
  return { groups: counts.size, largest, sizes };
}
