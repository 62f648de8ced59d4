// Corpus discovery: label folders, ASVspoof protocols, manifests and plain folders, auto-detected.
import * as fs from 'fs';
import * as path from 'path';
import { compareStrings, toId, walkFiles } from './audio-files';
import { findProtocolFiles, looksLikeProtocol, readProtocols } from './asvspoof';
import { CorpusError } from './errors';
import { assignGroups, type GroupingOptions } from './groups';
import { labelFromFolderName } from './labels';
import { readManifest } from './manifest';
import type { CorpusEntry, Discovery, Layout, SkippedFile } from './types';

export interface DiscoverOptions {
  /** Force a layout instead of detecting it. */
  layout?: Layout | 'auto';
  /** ASVspoof: folder holding UTT_ID.flac (searched recursively). */
  audioDir?: string;
  /** Manifest/protocol rows without a file are skipped (and listed) instead of failing with E_MISSING_FILES. */
  allowMissing?: boolean;
  grouping?: GroupingOptions;
}

const MANIFEST_NAMES = ['manifest.tsv', 'manifest.csv'];
/** Folder names that say nothing about where a clip comes from (not used as `source`). */
const GENERIC_FOLDERS = new Set(['audio', 'audios', 'data', 'dataset', 'datasets', 'wav', 'wavs', 'flac', 'clips', 'files', 'kaggle', 'samples']);

export function discoverCorpus(target: string, opts: DiscoverOptions = {}): CorpusEntry[] {
  return discoverCorpusDetailed(target, opts).entries;
}

export function discoverCorpusDetailed(target: string, opts: DiscoverOptions = {}): Discovery {
  const abs = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch (err) {
    throw new CorpusError('ENOENT', `corpus not found: ${abs}`, { path: abs, cause: err });
  }
  // One walk of the tree serves both detection and listing.
  let walked: string[] | undefined;
  const files = () => (walked ??= walkFiles(abs));
  const layout = opts.layout && opts.layout !== 'auto' ? opts.layout : detectLayout(abs, stat, files);
  let result: Omit<Discovery, 'entries'> & { entries: Omit<CorpusEntry, 'group'>[] };

  switch (layout) {
    case 'manifest': {
      const manifest = stat.isDirectory() ? findManifest(abs) : abs;
      if (manifest === null) throw new CorpusError('E_LAYOUT', `no manifest.tsv or manifest.csv in ${abs}`, { path: abs });
      const m = readManifest(manifest, { allowMissing: opts.allowMissing ?? false });
      result = { layout, root: m.root, entries: m.entries, skipped: m.skipped };
      break;
    }
    case 'asvspoof': {
      const protocols = stat.isDirectory() ? findProtocolFiles(abs) : [abs];
      if (protocols.length === 0) throw new CorpusError('E_LAYOUT', `no ASVspoof protocol file found in ${abs}`, { path: abs });
      const audioDir = opts.audioDir ?? (stat.isDirectory() ? abs : undefined);
      const p = readProtocols(protocols, { ...(audioDir !== undefined ? { audioDir } : {}), allowMissing: opts.allowMissing ?? false });
      result = { layout, root: p.audioRoot, entries: p.entries.map((e) => ({ ...e, id: toId(p.audioRoot, e.path) })), skipped: p.skipped };
      break;
    }
    case 'label-folders':
    case 'unlabelled': {
      if (!stat.isDirectory()) throw new CorpusError('E_LAYOUT', `${layout} layout needs a folder, got a file: ${abs}`, { path: abs });
      result = layout === 'label-folders' ? fromLabelFolders(abs, files()) : fromPlainFolder(abs, files());
      break;
    }
    default:
      throw new CorpusError('E_BAD_ARGUMENT', `unknown layout "${String(layout)}"`);
  }

  if (result.entries.length === 0) {
    throw new CorpusError('E_EMPTY_CORPUS', `no usable audio files (${layout} layout) in ${abs}`, { path: abs, details: { skipped: result.skipped } });
  }
  const sorted = [...result.entries].sort((a, b) => compareStrings(a.id, b.id));
  return { ...result, entries: assignGroups(sorted, opts.grouping) };
}

function detectLayout(abs: string, stat: fs.Stats, files: () => string[]): Layout {
  if (stat.isFile()) {
    if (/\.(tsv|csv)$/i.test(abs)) return 'manifest';
    if (looksLikeProtocol(abs)) return 'asvspoof';
    throw new CorpusError('E_LAYOUT', `cannot tell what ${abs} is: expected a folder, a manifest (.tsv/.csv) or an ASVspoof protocol`, { path: abs });
  }
  if (findManifest(abs) !== null) return 'manifest';
  if (files().some((f) => labelOf(toId(abs, f)) !== null)) return 'label-folders';
  if (findProtocolFiles(abs).length > 0) return 'asvspoof';
  return 'unlabelled';
}

function findManifest(dir: string): string | null {
  for (const n of MANIFEST_NAMES) {
    const p = path.join(dir, n);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** Nearest label folder above the file: its label and position among the id's components. */
function labelOf(id: string): { label: 'real' | 'fake'; at: number } | null {
  const parts = id.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    const label = labelFromFolderName(parts[i]!);
    if (label !== null) return { label, at: i };
  }
  return null;
}

function fromLabelFolders(root: string, files: string[]): Omit<Discovery, 'entries'> & { entries: Omit<CorpusEntry, 'group'>[] } {
  const entries: Omit<CorpusEntry, 'group'>[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const id = toId(root, file);
    const found = labelOf(id);
    if (found === null) {
      skipped.push({ path: file, reason: 'not below a REAL/FAKE (bonafide/spoof) folder' });
      continue;
    }
    const parts = id.split('/');
    const e: Omit<CorpusEntry, 'group'> = { path: file, id, label: found.label };
    // Folders above the label folder name the source; for fakes, the folder right below it names the method.
    const source = parts.slice(0, found.at).filter((p) => !GENERIC_FOLDERS.has(p.toLowerCase()));
    if (source.length > 0) e.source = source.join('/');
    if (found.label === 'fake' && found.at + 2 < parts.length) e.method = parts[found.at + 1]!;
    entries.push(e);
  }
  return { layout: 'label-folders', root, entries, skipped };
}

function fromPlainFolder(root: string, files: string[]): Omit<Discovery, 'entries'> & { entries: Omit<CorpusEntry, 'group'>[] } {
  const entries = files.map((file) => ({ path: file, id: toId(root, file), label: null }));
  return { layout: 'unlabelled', root, entries, skipped: [] };
}
