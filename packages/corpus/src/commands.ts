// What the CLI's `melguard features`, `melguard analyze` and `melguard split` call: argument objects in,
// results out (the CLI only parses flags and prints).
import type { PresetName, SpectrogramOptions, WindowingOptions } from '@melguard/dsp';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeCorpus, type AnalysisResult } from './analyze';
import { discoverCorpusDetailed, type DiscoverOptions } from './discover';
import type { Extractor } from './dsp-bridge';
import { CorpusError } from './errors';
import { extractFeatures, INDEX_FILE, sha256FileSync, type ExtractProgress, type ExtractResult } from './extract';
import { summarizeGroups, type GroupSummary } from './groups';
import { makeSplit, writeSplitFile, type Split, type SplitPolicy } from './split';
import { FeatureStore } from './store';
import type { Discovery, Layout } from './types';

export interface CorpusArgs {
  /** Corpus folder, manifest file or ASVspoof protocol file. */
  corpus: string;
  layout?: Layout | 'auto';
  audioDir?: string;
  allowMissing?: boolean;
}

export interface FeatureArgs {
  preset?: PresetName;
  /** Explicit spectrogram options (override the preset). */
  options?: Partial<SpectrogramOptions>;
  windowing?: WindowingOptions;
  threads?: number;
}

export interface DiscoverySummary {
  layout: Layout;
  root: string;
  files: number;
  real: number;
  fake: number;
  unlabelled: number;
  sources: Record<string, { real: number; fake: number; unlabelled: number }>;
  groups: GroupSummary;
  skipped: number;
}

export function summarizeDiscovery(d: Discovery): DiscoverySummary {
  const sources: DiscoverySummary['sources'] = {};
  let real = 0;
  let fake = 0;
  for (const e of d.entries) {
    const s = (sources[e.source ?? '(none)'] ??= { real: 0, fake: 0, unlabelled: 0 });
    if (e.label === 'real') {
      real++;
      s.real++;
    } else if (e.label === 'fake') {
      fake++;
      s.fake++;
    } else s.unlabelled++;
  }
  return { layout: d.layout, root: d.root, files: d.entries.length, real, fake, unlabelled: d.entries.length - real - fake, sources, groups: summarizeGroups(d.entries), skipped: d.skipped.length };
}

/** The discovery options a command's corpus arguments carry. */
export function discoverOpts(a: CorpusArgs): DiscoverOptions {
  return {
    ...(a.layout !== undefined ? { layout: a.layout } : {}),
    ...(a.audioDir !== undefined ? { audioDir: a.audioDir } : {}),
    ...(a.allowMissing !== undefined ? { allowMissing: a.allowMissing } : {}),
  };
}

export function describeCorpus(a: CorpusArgs): DiscoverySummary {
  return summarizeDiscovery(discoverCorpusDetailed(a.corpus, discoverOpts(a)));
}

export interface FeaturesCommandArgs extends CorpusArgs, FeatureArgs {
  out: string;
  shardRows?: number;
  png?: boolean;
  retryFailures?: boolean;
  onProgress?: (p: ExtractProgress) => void;
  signal?: AbortSignal;
  /** Replaces dsp's extractor (tests). */
  extract?: Extractor;
}

/** `melguard features <corpus> --preset NAME --out DIR [--png]` */
export async function featuresCommand(a: FeaturesCommandArgs): Promise<ExtractResult & { discovery: DiscoverySummary }> {
  const d = discoverCorpusDetailed(a.corpus, discoverOpts(a));
  const result = await extractFeatures(d.entries, {
    outDir: a.out,
    root: d.root,
    ...(a.preset !== undefined ? { preset: a.preset } : {}),
    ...(a.options !== undefined ? { options: a.options } : {}),
    ...(a.windowing !== undefined ? { windowing: a.windowing } : {}),
    ...(a.threads !== undefined ? { threads: a.threads } : {}),
    ...(a.shardRows !== undefined ? { shardRows: a.shardRows } : {}),
    ...(a.png !== undefined ? { png: a.png } : {}),
    ...(a.retryFailures !== undefined ? { retryFailures: a.retryFailures } : {}),
    ...(a.onProgress !== undefined ? { onProgress: a.onProgress } : {}),
    ...(a.signal !== undefined ? { signal: a.signal } : {}),
    ...(a.extract !== undefined ? { extract: a.extract } : {}),
  });
  return { ...result, discovery: summarizeDiscovery(d) };
}

export interface AnalyzeCommandArgs extends FeatureArgs {
  /** A corpus (folder / manifest / protocol) or a feature store folder. */
  input: string;
  out: string;
  layout?: Layout | 'auto';
  audioDir?: string;
  allowMissing?: boolean;
  onProgress?: (p: ExtractProgress) => void;
  /** Replaces dsp's extractor (tests). */
  extract?: Extractor;
}

/** `melguard analyze <corpus|features> --out DIR`: writes PNGs + analysis.json into DIR. */
export function analyzeCommand(a: AnalyzeCommandArgs): Promise<AnalysisResult> {
  return analyzeCorpus(a.input, a.out, {
    discover: discoverOpts({ corpus: a.input, ...a }),
    ...(a.preset !== undefined ? { preset: a.preset } : {}),
    ...(a.options !== undefined ? { options: a.options } : {}),
    ...(a.windowing !== undefined ? { windowing: a.windowing } : {}),
    ...(a.threads !== undefined ? { threads: a.threads } : {}),
    ...(a.onProgress !== undefined ? { onProgress: a.onProgress } : {}),
    ...(a.extract !== undefined ? { extract: a.extract } : {}),
  });
}

export interface SplitCommandArgs {
  /** A corpus (folder / manifest / protocol) or a feature store folder (adds content-hash grouping). */
  input: string;
  out: string;
  policy?: SplitPolicy;
  valFraction?: number;
  seed?: number | string;
  holdOutMethods?: string[];
  holdOutSources?: string[];
  layout?: Layout | 'auto';
  audioDir?: string;
  allowMissing?: boolean;
  /**
   * For a corpus input: hash every file so byte-identical copies stay on one side (default true; a feature
   * store already has the hashes). The development corpus has such a pair in two different demo pages.
   */
  hashContent?: boolean;
}

/** `melguard split <corpus|features> --policy grouped|leave-methods-out|leave-sources-out --seed N --out split.json` */
export function splitCommand(a: SplitCommandArgs): Split {
  const input = path.resolve(a.input);
  let items;
  if (fs.existsSync(path.join(input, INDEX_FILE))) {
    const store = FeatureStore.open(input, { verify: 'none' });
    items = store.files.map((f) => ({ ...f, id: f.id ?? f.path }));
    store.close();
  } else {
    const entries = discoverCorpusDetailed(input, discoverOpts({ corpus: input, ...a })).entries;
    items = a.hashContent === false ? entries : entries.map((e) => ({ ...e, sha256: sha256FileSync(e.path) }));
  }
  if (items.length === 0) throw new CorpusError('E_EMPTY_CORPUS', `nothing to split in ${input}`);
  const split = makeSplit(items, {
    ...(a.policy !== undefined ? { policy: a.policy } : {}),
    ...(a.valFraction !== undefined ? { valFraction: a.valFraction } : {}),
    ...(a.seed !== undefined ? { seed: a.seed } : {}),
    ...(a.holdOutMethods !== undefined ? { holdOutMethods: a.holdOutMethods } : {}),
    ...(a.holdOutSources !== undefined ? { holdOutSources: a.holdOutSources } : {}),
  });
  writeSplitFile(a.out, split);
  return split;
}
