// What discovery produces and splits consume.
import type { Label } from './store-types';

export type Layout = 'label-folders' | 'asvspoof' | 'manifest' | 'unlabelled';

export interface CorpusEntry {
  /** Absolute path of the audio file. */
  path: string;
  /** Stable, portable key: the path relative to the corpus root, '/'-separated. Split files list these. */
  id: string;
  label: Label | null;
  /** Where the clip comes from (manifest `source`, folder above the label folder, protocol name). */
  source?: string;
  /** Generator / attack system for fakes (manifest `method`, ASVspoof SYSTEM, folder below FAKE/). */
  method?: string;
  speaker?: string;
  /** Path in the original publication (manifest `original_path`), used to derive sentence keys. */
  originalPath?: string;
  /** Leak-free grouping key: files sharing a speaker or a sentence/recording share a group. */
  group: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Discovery {
  layout: Layout;
  /** Directory that entry ids are relative to. */
  root: string;
  entries: CorpusEntry[];
  /** Audio files seen but not used (e.g. outside any label folder), and why. */
  skipped: SkippedFile[];
}
