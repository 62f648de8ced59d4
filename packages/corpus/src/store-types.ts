// The feature store's on-disk contract, read by training (streaming) and written by `melguard features`.
import type { SpectrogramOptions, WindowSpan } from '@melguard/dsp';

export type Label = 'real' | 'fake';

export interface StoreFile {
  /** Content key: hash of the file bytes + feature options (a changed file gets a new key and is redone). */
  key: string;
  path: string;
  /** Portable id (path relative to the corpus root, '/'-separated): what split files list. */
  id?: string;
  /** sha256 of the file bytes (hex). Identical files share rows and are kept on one side of a split. */
  sha256?: string;
  label: Label | null;
  source?: string;
  method?: string;
  speaker?: string;
  /** Leak-free grouping key (same group never on both sides of a split). */
  group: string;
  duration: number;
  /** Shard file index and first window row inside it. */
  shard: number;
  row: number;
  windows: WindowSpan[];
}

export interface StoreFailure {
  path: string;
  id?: string;
  code: string;
  message: string;
}

export interface StoreIndex {
  format: 'melguard-features/1';
  presetName: string | null;
  features: SpectrogramOptions;
  windowing: { windowSeconds: number; hopSeconds: number; minSeconds: number; firstOnly: boolean; maxWindows: number | null };
  /** Shape of one window: [bins, frames]. */
  shape: [bins: number, frames: number];
  files: StoreFile[];
  /** Shard files (relative to the store dir), each a raw float32 LE array of rows x bins x frames. */
  shards: { file: string; rows: number; sha256: string }[];
  failures: StoreFailure[];
  createdAt: string;
  /** Hash of features + windowing: part of every file key. */
  optionsHash?: string;
  /** Corpus root the file ids are relative to. */
  root?: string;
}
