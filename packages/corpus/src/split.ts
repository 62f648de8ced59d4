// Leak-free train/validation splits, reproducible from a seed, written as JSON split files.
//
// Policy (README "Splits"):
// - 'grouped': whole groups (see groups.ts: shared speaker or sentence/recording, plus identical file
//   content when known) go to one side. Groups are placed greedily, in seeded random order (large groups
//   first), on whichever side brings each (source, label) stratum closest to `valFraction`; a repair pass
//   then makes sure both sides have both labels and every source with two or more groups appears on both.
// - 'leave-methods-out': the fakes of some generator methods appear only in validation. Methods are given,
//   or picked with the seed round-robin across sources until they cover ~25 % (at most 30 %) of the fakes.
//   Every group that touches a held-out method goes to validation whole; the remaining groups that hold
//   any fake go to training; real-only groups are split as in 'grouped' so validation has reals too.
// - 'leave-sources-out': every file of some sources (corpora / recording origins) appears only in validation,
//   with every group that touches them; the rest is training. It asks whether the detector learned synthesis
//   or the recording conditions of the sources it saw. Sources are given, or one is picked with the seed
//   among those holding both labels.
import * as fs from 'fs';
import { compareStrings } from './audio-files';
import { writeFileAtomic } from './atomic';
import { CorpusError, listForMessage } from './errors';
import { Rng } from './rng';
import type { Label } from './store-types';
import { UnionFind } from './union-find';

export type SplitPolicy = 'grouped' | 'leave-methods-out' | 'leave-sources-out';
const POLICIES: readonly SplitPolicy[] = ['grouped', 'leave-methods-out', 'leave-sources-out'];
export type SplitSide = 'train' | 'val';

export interface SplitItem {
  id: string;
  label: Label | null;
  group: string;
  source?: string;
  method?: string;
  /** Content hash: identical files are kept on one side even when their groups differ. */
  sha256?: string;
}

export interface SplitOptions {
  policy?: SplitPolicy;
  /** Target share of files in validation (grouped) or of reals in validation (leave-methods-out). Default 0.2. */
  valFraction?: number;
  seed?: number | string;
  /** leave-methods-out: methods to hold out; default: a seeded choice covering ~heldOutFraction of fakes. */
  holdOutMethods?: string[];
  /** leave-methods-out: share of fakes whose method is held out when choosing (default 0.25, capped at 0.3). */
  heldOutFraction?: number;
  /** leave-sources-out: sources to hold out; default: one seeded choice among the sources with both labels. */
  holdOutSources?: string[];
}

export interface SideCounts {
  files: number;
  real: number;
  fake: number;
  groups: number;
  bySource: Record<string, { real: number; fake: number }>;
  /** Fakes per method. */
  byMethod: Record<string, number>;
}

export interface Split {
  format: 'melguard-split/1';
  policy: SplitPolicy;
  seed: number | string;
  valFraction: number;
  heldOutMethods: string[];
  /** leave-sources-out only. */
  heldOutSources?: string[];
  train: string[];
  val: string[];
  counts: { train: SideCounts; val: SideCounts; unlabelledExcluded: number };
}

const NO_SOURCE = '(none)';
const NO_METHOD = '(unknown)';

interface Group {
  name: string;
  items: SplitItem[];
  real: number;
  fake: number;
  /** "source|label" -> files */
  strata: Map<string, number>;
  sources: Set<string>;
  methods: Set<string>;
}

/** Checks that a requirement ("has label L", "has source S") holds on a side. */
type Requirement = (g: Group) => boolean;

export function makeSplit(items: SplitItem[], opts: SplitOptions = {}): Split {
  const policy = opts.policy ?? 'grouped';
  const valFraction = opts.valFraction ?? 0.2;
  const seed = opts.seed ?? 0;
  if (!POLICIES.includes(policy)) throw new CorpusError('E_BAD_ARGUMENT', `unknown split policy "${String(policy)}" (${POLICIES.join(' | ')})`);
  if (opts.holdOutMethods !== undefined && policy !== 'leave-methods-out') throw new CorpusError('E_BAD_ARGUMENT', `holdOutMethods applies to the leave-methods-out policy, not ${policy}`);
  if (opts.holdOutSources !== undefined && policy !== 'leave-sources-out') throw new CorpusError('E_BAD_ARGUMENT', `holdOutSources applies to the leave-sources-out policy, not ${policy}`);
  if (!(valFraction > 0 && valFraction < 1)) throw new CorpusError('E_BAD_ARGUMENT', `valFraction must be in (0, 1), got ${valFraction}`);
  const labelled = items.filter((i) => i.label !== null);
  if (labelled.length === 0) throw new CorpusError('E_NO_LABELS', 'no labelled files to split');
  const ids = new Set<string>();
  for (const it of labelled) {
    if (ids.has(it.id)) throw new CorpusError('E_BAD_ARGUMENT', `duplicate id in split input: ${it.id}`);
    ids.add(it.id);
  }

  const groups = buildGroups(labelled);
  if (groups.length < 2) throw new CorpusError('E_SPLIT', `cannot split: all ${labelled.length} files form a single group (${groups[0]!.name})`);
  const rng = new Rng(seed);
  const inVal = new Set<Group>();
  let heldOut: string[] = [];
  let heldOutSources: string[] | undefined;

  if (policy === 'grouped') {
    placeGreedy(orderGroups(groups, rng), groups, inVal, valFraction, rng);
    repair(groups, inVal, requirementsFor(groups, true), () => true, rng);
  } else if (policy === 'leave-sources-out') {
    heldOutSources = opts.holdOutSources ? checkSources(labelled, opts.holdOutSources) : [chooseSource(labelled, rng)];
    const held = new Set(heldOutSources);
    for (const g of groups) if ([...g.sources].some((s) => held.has(s))) inVal.add(g);
    const trainSide = groups.filter((g) => !inVal.has(g));
    for (const label of ['real', 'fake'] as const) {
      if (!trainSide.some((g) => (label === 'real' ? g.real : g.fake) > 0)) {
        throw new CorpusError('E_SPLIT', `holding out ${listForMessage(heldOutSources)} leaves no ${label} file in training`, { details: { heldOutSources } });
      }
    }
  } else {
    heldOut = opts.holdOutMethods ? checkMethods(labelled, opts.holdOutMethods) : chooseMethods(labelled, groups, Math.min(opts.heldOutFraction ?? 0.25, 0.3), rng);
    const held = new Set(heldOut);
    const pinned = new Set(groups.filter((g) => [...g.methods].some((m) => held.has(m))));
    for (const g of pinned) inVal.add(g);
    const realOnly = groups.filter((g) => !pinned.has(g) && g.fake === 0);
    placeGreedy(orderGroups(realOnly, rng), groups, inVal, valFraction, rng, (s) => s.endsWith('|real'));
    const movable = (g: Group) => !pinned.has(g) && g.fake === 0;
    repair(groups, inVal, requirementsFor(groups, false), movable, rng);
    const trainFakes = groups.some((g) => !inVal.has(g) && g.fake > 0);
    if (!trainFakes) {
      throw new CorpusError('E_SPLIT', `holding out ${listForMessage(heldOut)} leaves no fake in training (their groups reach every other fake)`, { details: { heldOut } });
    }
  }

  const train: SplitItem[] = [];
  const val: SplitItem[] = [];
  for (const g of groups) (inVal.has(g) ? val : train).push(...g.items);
  if (train.length === 0 || val.length === 0) throw new CorpusError('E_SPLIT', `split left the ${train.length === 0 ? 'training' : 'validation'} side empty`);
  return {
    format: 'melguard-split/1',
    policy,
    seed,
    valFraction,
    heldOutMethods: [...heldOut].sort(compareStrings),
    ...(heldOutSources ? { heldOutSources: [...heldOutSources].sort(compareStrings) } : {}),
    train: train.map((i) => i.id).sort(compareStrings),
    val: val.map((i) => i.id).sort(compareStrings),
    counts: { train: countSide(train), val: countSide(val), unlabelledExcluded: items.length - labelled.length },
  };
}

function buildGroups(items: SplitItem[]): Group[] {
  // Union the given groups with "same content" so byte-identical copies never straddle the split.
  const names = [...new Set(items.map((i) => i.group))].sort(compareStrings);
  const index = new Map(names.map((n, i) => [n, i]));
  const uf = new UnionFind(names.length);
  const bySha = new Map<string, number>();
  for (const it of items) {
    if (!it.sha256) continue;
    const g = index.get(it.group)!;
    const first = bySha.get(it.sha256);
    if (first === undefined) bySha.set(it.sha256, g);
    else uf.union(first, g);
  }
  // A merged group is named after its smallest member name (names are sorted: the first one seen).
  const nameOf = new Map<number, string>();
  names.forEach((n, i) => {
    const r = uf.find(i);
    if (!nameOf.has(r)) nameOf.set(r, n);
  });
  const byRoot = new Map<number, Group>();
  for (const it of items) {
    const root = uf.find(index.get(it.group)!);
    let g = byRoot.get(root);
    if (!g) {
      g = { name: nameOf.get(root)!, items: [], real: 0, fake: 0, strata: new Map(), sources: new Set(), methods: new Set() };
      byRoot.set(root, g);
    }
    g.items.push(it);
    const source = it.source ?? NO_SOURCE;
    g.sources.add(source);
    if (it.label === 'real') g.real++;
    else {
      g.fake++;
      g.methods.add(it.method ?? NO_METHOD);
    }
    const s = `${source}|${it.label}`;
    g.strata.set(s, (g.strata.get(s) ?? 0) + 1);
  }
  return [...byRoot.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/** Seeded random order, larger groups first (by power-of-two size class) so small groups can fine-tune. */
function orderGroups(groups: Group[], rng: Rng): Group[] {
  const cls = (g: Group) => Math.floor(Math.log2(g.items.length));
  const shuffled = rng.shuffle([...groups]);
  return shuffled.map((g, i) => ({ g, i })).sort((a, b) => cls(b.g) - cls(a.g) || a.i - b.i).map((x) => x.g);
}

/**
 * Greedy: a group goes to validation when that brings the selected strata closer to valFraction of their
 * totals over `all` groups (groups already in validation count); then a few passes of single moves
 * (either way) and swaps that lower the squared error further.
 */
function placeGreedy(order: Group[], all: Group[], inVal: Set<Group>, valFraction: number, rng: Rng, stratum: (s: string) => boolean = () => true): void {
  const target = new Map<string, number>();
  const cur = new Map<string, number>();
  for (const g of all) {
    for (const [s, n] of g.strata) {
      if (!stratum(s)) continue;
      target.set(s, (target.get(s) ?? 0) + valFraction * n);
      if (inVal.has(g)) cur.set(s, (cur.get(s) ?? 0) + n);
    }
  }
  /** Change of the squared error when g's files are added (sign +1) to or removed (-1) from validation. */
  const delta = (g: Group, sign: number) => {
    let d = 0;
    for (const [s, n] of g.strata) {
      if (!stratum(s)) continue;
      const c = (cur.get(s) ?? 0) - target.get(s)!;
      d += (c + sign * n) ** 2 - c * c;
    }
    return d;
  };
  const move = (g: Group, toVal: boolean) => {
    if (toVal) inVal.add(g);
    else inVal.delete(g);
    for (const [s, n] of g.strata) if (stratum(s)) cur.set(s, (cur.get(s) ?? 0) + (toVal ? n : -n));
  };
  for (const g of order) if (!inVal.has(g) && delta(g, +1) < 0) move(g, true);
  for (let pass = 0; pass < 4; pass++) {
    let improved = false;
    for (const g of order) {
      const toVal = !inVal.has(g);
      if (delta(g, toVal ? +1 : -1) < -1e-9) {
        move(g, toVal);
        improved = true;
      }
    }
    // Swaps (one group out, another in) escape what single moves cannot; candidates are sampled so the
    // cost stays linear in the number of groups.
    for (const g of order) {
      if (!inVal.has(g)) continue;
      const out = delta(g, -1);
      move(g, false);
      let best: Group | null = null;
      let bestDelta = -out - 1e-9;
      for (let k = 0; k < SWAP_CANDIDATES; k++) {
        const h = order[rng.int(order.length)]!;
        if (h === g || inVal.has(h)) continue;
        const d = delta(h, +1);
        if (d < bestDelta) {
          best = h;
          bestDelta = d;
        }
      }
      move(best ?? g, true);
      if (best !== null) improved = true;
    }
    if (!improved) break;
  }
}

const SWAP_CANDIDATES = 32;

/** Both labels on both sides; with `bySource`, every source spread over >= 2 groups on both sides. */
function requirementsFor(groups: Group[], bySource: boolean): Requirement[] {
  const reqs: Requirement[] = [];
  const hasReal: Requirement = (g) => g.real > 0;
  const hasFake: Requirement = (g) => g.fake > 0;
  for (const r of [hasReal, hasFake]) if (groups.filter(r).length >= 2) reqs.push(r);
  if (bySource) {
    const sources = [...new Set(groups.flatMap((g) => [...g.sources]))].sort(compareStrings);
    for (const s of sources) {
      const r: Requirement = (g) => g.sources.has(s);
      if (groups.filter(r).length >= 2) reqs.push(r);
    }
  }
  return reqs;
}

/** Moves the smallest suitable group across until every requirement holds on both sides (or nothing can move). */
function repair(groups: Group[], inVal: Set<Group>, reqs: Requirement[], movable: (g: Group) => boolean, rng: Rng): void {
  const side = (g: Group) => inVal.has(g);
  for (let pass = 0; pass < groups.length + reqs.length; pass++) {
    let changed = false;
    for (const r of reqs) {
      for (const wantVal of [true, false]) {
        if (groups.some((g) => side(g) === wantVal && r(g))) continue;
        // Candidates on the other side that satisfy r, whose departure keeps every requirement met there.
        const candidates = groups.filter((g) => side(g) !== wantVal && r(g) && movable(g) && reqs.every((q) => !q(g) || groups.some((h) => h !== g && side(h) === side(g) && q(h))));
        if (candidates.length === 0) continue;
        const tie = new Map(candidates.map((g) => [g, rng.next()]));
        candidates.sort((a, b) => a.items.length - b.items.length || tie.get(a)! - tie.get(b)!);
        const g = candidates[0]!;
        if (wantVal) inVal.add(g);
        else inVal.delete(g);
        changed = true;
      }
    }
    if (!changed) return;
  }
}

function methodStats(items: SplitItem[]): Map<string, { fakes: number; sources: Set<string> }> {
  const stats = new Map<string, { fakes: number; sources: Set<string> }>();
  for (const it of items) {
    if (it.label !== 'fake' || it.method === undefined) continue;
    const s = stats.get(it.method) ?? { fakes: 0, sources: new Set<string>() };
    s.fakes++;
    s.sources.add(it.source ?? NO_SOURCE);
    stats.set(it.method, s);
  }
  return stats;
}

function checkMethods(items: SplitItem[], methods: string[]): string[] {
  const stats = methodStats(items);
  const unknown = methods.filter((m) => !stats.has(m));
  if (unknown.length > 0) {
    throw new CorpusError('E_SPLIT', `unknown method(s) to hold out: ${listForMessage(unknown)} (known: ${listForMessage([...stats.keys()].sort(compareStrings), 10)})`, {
      details: { unknown, known: [...stats.keys()] },
    });
  }
  if (methods.length === 0) throw new CorpusError('E_SPLIT', 'holdOutMethods is empty');
  return [...new Set(methods)];
}

function checkSources(items: SplitItem[], sources: string[]): string[] {
  const known = [...new Set(items.map((i) => i.source ?? NO_SOURCE))].sort(compareStrings);
  if (sources.length === 0) throw new CorpusError('E_SPLIT', 'holdOutSources is empty');
  const unknown = sources.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new CorpusError('E_SPLIT', `unknown source(s) to hold out: ${listForMessage(unknown)} (known: ${listForMessage(known, 10)})`, { details: { unknown, known } });
  }
  return [...new Set(sources)];
}

/** One seeded source among those with both real and fake files (the question needs both sides of it). */
function chooseSource(items: SplitItem[], rng: Rng): string {
  const labels = new Map<string, Set<string>>();
  for (const it of items) {
    const src = it.source ?? NO_SOURCE;
    labels.set(src, (labels.get(src) ?? new Set()).add(it.label!));
  }
  const both = [...labels].filter(([, l]) => l.size === 2).map(([s]) => s).sort(compareStrings);
  if (both.length < 2) {
    throw new CorpusError('E_SPLIT', `leave-sources-out needs at least 2 sources with both real and fake files (found ${both.length}); name them with holdOutSources`);
  }
  return rng.shuffle(both)[0]!;
}

/**
 * Seeded round-robin over sources, one random method at a time, until ~fraction of all fakes is held out.
 * A method is skipped when holding it out would leave its source without fakes in training (through the
 * groups that tie methods together), unless the source has a single method.
 */
function chooseMethods(items: SplitItem[], groups: Group[], fraction: number, rng: Rng): string[] {
  const stats = methodStats(items);
  if (stats.size < 2) throw new CorpusError('E_SPLIT', `leave-methods-out needs fakes from at least 2 named methods (found ${stats.size})`);
  const totalFakes = items.filter((i) => i.label === 'fake').length;
  const target = fraction * totalFakes;
  const cap = Math.max(0.3 * totalFakes, 1);
  const bySource = new Map<string, string[]>();
  for (const [m, s] of [...stats.entries()].sort((a, b) => compareStrings(a[0], b[0]))) {
    const src = [...s.sources].sort(compareStrings)[0]!;
    bySource.set(src, [...(bySource.get(src) ?? []), m]);
  }
  const sourceSize = new Map([...bySource].map(([src, ms]) => [src, ms.length]));
  const sources = rng.shuffle([...bySource.keys()].sort(compareStrings));
  for (const s of sources) rng.shuffle(bySource.get(s)!);
  const held: string[] = [];
  let heldFakes = 0;
  let progress = true;
  while (heldFakes < target && progress) {
    progress = false;
    for (const s of sources) {
      if (heldFakes >= target) break;
      const queue = bySource.get(s)!;
      while (queue.length > 0) {
        // A source with several methods keeps at least one of them for training.
        if (queue.length === 1 && sourceSize.get(s)! > 1) break;
        const m = queue.shift()!;
        const n = stats.get(m)!.fakes;
        if (heldFakes + n > cap) continue;
        if (held.length + 1 >= stats.size) continue; // keep at least one method for training
        if (sourceSize.get(s)! > 1 && !keepsTrainFakes(groups, new Set([...held, m]), s)) continue;
        held.push(m);
        heldFakes += n;
        progress = true;
        break;
      }
    }
  }
  if (held.length === 0) {
    // Every method alone exceeds the cap: hold out the smallest one.
    const smallest = [...stats.entries()].sort((a, b) => a[1].fakes - b[1].fakes || compareStrings(a[0], b[0]))[0]!;
    held.push(smallest[0]);
  }
  return held;
}

/** Whether `source` still has a fake in a group untouched by the held-out methods. */
function keepsTrainFakes(groups: Group[], held: Set<string>, source: string): boolean {
  return groups.some((g) => ![...g.methods].some((m) => held.has(m)) && g.items.some((i) => i.label === 'fake' && (i.source ?? NO_SOURCE) === source));
}

function countSide(items: SplitItem[]): SideCounts {
  const c: SideCounts = { files: items.length, real: 0, fake: 0, groups: new Set(items.map((i) => i.group)).size, bySource: {}, byMethod: {} };
  for (const it of items) {
    const src = it.source ?? NO_SOURCE;
    const s = (c.bySource[src] ??= { real: 0, fake: 0 });
    if (it.label === 'real') {
      c.real++;
      s.real++;
    } else {
      c.fake++;
      s.fake++;
      const m = it.method ?? NO_METHOD;
      c.byMethod[m] = (c.byMethod[m] ?? 0) + 1;
    }
  }
  return c;
}

export function writeSplitFile(file: string, split: Split): void {
  writeFileAtomic(file, JSON.stringify(split, null, 1) + '\n');
}

export function readSplitFile(file: string): Split {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT' : 'E_BAD_SPLIT';
    throw new CorpusError(code, `cannot read split file ${file}: ${(err as Error).message}`, { path: file, cause: err });
  }
  const s = raw as Partial<Split>;
  if (s?.format !== 'melguard-split/1' || !Array.isArray(s.train) || !Array.isArray(s.val)) {
    throw new CorpusError('E_BAD_SPLIT', `${file} is not a melguard split file (format melguard-split/1 with train and val lists)`, { path: file });
  }
  const train = new Set(s.train);
  const both = s.val.filter((id) => train.has(id));
  if (both.length > 0) throw new CorpusError('E_BAD_SPLIT', `${file}: ${both.length} file(s) on both sides: ${listForMessage(both)}`, { path: file });
  return s as Split;
}
