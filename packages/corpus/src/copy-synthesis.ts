// Pseudo-fakes by copy-synthesis: every real clip (or every real on the train side of the given splits) is
// resynthesised through a mel bottleneck and Griffin-Lim (@melguard/dsp copySynthesis) and written as FLAC.
// The output folder is a combined corpus: links to the original files under their ids, the pseudo-fakes under
// copy-synthesis/, and a manifest listing both. Each pseudo-fake keeps its real's source, speaker and original
// path, so a split never separates the two; the given splits are rewritten with the pseudo-fakes added to the
// train side only, so their validation sides (and every EER measured on them) stay as they were.
import type { CopySynthesisOptions } from '@melguard/dsp';
import * as fs from 'fs';
import * as path from 'path';
import { removeStaleTmpFiles, writeFileAtomic } from './atomic';
import { discoverOpts, type CorpusArgs } from './commands';
import { discoverCorpusDetailed } from './discover';
import { dspApi, type CopySynthesisDsp } from './dsp-bridge';
import { CorpusError, errorCode } from './errors';
import { readSplitFile, writeSplitFile, type Split } from './split';
import type { CorpusEntry } from './types';

export const COPY_SYNTHESIS_FOLDER = 'copy-synthesis';
export const COPY_SYNTHESIS_METHOD = 'Griffin-Lim copy-synthesis of a real clip (melguard pseudo-fake)';
const RECORD_FILE = 'copy-synthesis.json';
const RECORD_FORMAT = 'melguard-copy-synthesis/1';

export interface CopySynthesisCommandArgs extends CorpusArgs {
  /** Output folder (the combined corpus); must not lie inside the input corpus. */
  out: string;
  /** Split files: only their train-side reals are resynthesised, and each is rewritten into out/splits/. */
  splits?: string[];
  /** Sample rate of decoding and of the written pseudo-fakes. Default 16000. */
  sr?: number;
  /** nFft, hopLength, nMels, fMin, fMax, nIter, momentum; `seed` seeds every file's initial phase (with its id). */
  options?: CopySynthesisOptions;
  /** Files in flight at once (each one's synthesis runs on the libuv pool). Default 2. */
  concurrency?: number;
  /** After each file: files handled so far (written, reused or failed), as extractFeatures reports them. */
  onProgress?: (p: { files: number; total: number; failed: number; reused: number }) => void;
}

export interface CopySynthesisCommandResult {
  out: string;
  manifest: string;
  /** Reals chosen for resynthesis. */
  reals: number;
  written: number;
  /** Pseudo-fakes already present from an earlier run with the same options. */
  reused: number;
  failures: { id: string; code: string; message: string }[];
  splits: { from: string; to: string; added: number }[];
  elapsedSeconds: number;
}

/** 32-bit FNV-1a of the run seed and a file id: each file's phase seed, independent of processing order. */
function fileSeed(seed: number, id: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}\u0000${id}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function pseudoFakeId(realId: string): string {
  return `${COPY_SYNTHESIS_FOLDER}/${realId.replace(/\.[^./]*$/, '')}.flac`;
}

const cell = (v: string | null | undefined) => (v ?? '').replace(/[\t\r\n]+/g, ' ');

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Links out/<id> to the original file; an existing entry must already be that link. */
function linkOriginal(out: string, e: CorpusEntry): void {
  const target = path.join(out, e.id);
  let existing: string | undefined;
  try {
    existing = fs.readlinkSync(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CorpusError('E_BAD_ARGUMENT', `${target} exists and is not a link to ${e.path}: use an empty --out folder`, { path: target });
    }
  }
  if (existing === e.path) return;
  if (existing !== undefined) throw new CorpusError('E_BAD_ARGUMENT', `${target} links to ${existing}, not ${e.path}: use an empty --out folder`, { path: target });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(e.path, target);
}

/** The options a rerun must match, so one folder never mixes pseudo-fakes made two ways. */
function checkRecord(out: string, record: { settings: object } & Record<string, unknown>): void {
  const file = path.join(out, RECORD_FILE);
  if (fs.existsSync(file)) {
    const before = JSON.parse(fs.readFileSync(file, 'utf8')) as { settings?: unknown };
    if (JSON.stringify(before.settings) !== JSON.stringify(record.settings)) {
      throw new CorpusError('E_BAD_ARGUMENT', `${out} holds pseudo-fakes made with other settings (${JSON.stringify(before.settings)}): use another --out folder`, { path: file });
    }
    return;
  }
  writeFileAtomic(file, JSON.stringify(record, null, 1) + '\n');
}

function extendSplit(split: Split, added: CorpusEntry[]): Split {
  const train = { ...split.counts.train, bySource: { ...split.counts.train.bySource }, byMethod: { ...split.counts.train.byMethod } };
  for (const e of added) {
    train.files++;
    train.fake++;
    const source = e.source ?? '(none)';
    train.bySource[source] = { real: train.bySource[source]?.real ?? 0, fake: (train.bySource[source]?.fake ?? 0) + 1 };
    train.byMethod[COPY_SYNTHESIS_METHOD] = (train.byMethod[COPY_SYNTHESIS_METHOD] ?? 0) + 1;
  }
  return { ...split, train: [...split.train, ...added.map((e) => e.id)], counts: { ...split.counts, train } };
}

export async function copySynthesisCommand(a: CopySynthesisCommandArgs, dsp?: CopySynthesisDsp): Promise<CopySynthesisCommandResult> {
  const started = performance.now();
  const api = dsp ?? dspApi();
  const sr = a.sr ?? 16000;
  const concurrency = a.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new CorpusError('E_BAD_ARGUMENT', `concurrency must be an integer >= 1 (got ${String(concurrency)})`);
  const { seed = 0, ...rest } = a.options ?? {};
  let resolved: Required<CopySynthesisOptions>;
  try {
    resolved = api.resolveCopySynthesisOptions(sr, { ...rest, seed });
  } catch (err) {
    throw new CorpusError('E_BAD_ARGUMENT', `copy synthesis: ${(err as Error).message}`, { cause: err });
  }

  const discovery = discoverCorpusDetailed(a.corpus, discoverOpts(a));
  const out = path.resolve(a.out);
  if (isInside(out, discovery.root)) {
    throw new CorpusError('E_BAD_ARGUMENT', `--out ${out} lies inside the corpus ${discovery.root}: the pseudo-fakes would become part of it; choose a folder outside`);
  }
  const labelled = discovery.entries.filter((e) => e.label !== null);
  const clash = labelled.find((e) => e.id.startsWith(`${COPY_SYNTHESIS_FOLDER}/`));
  if (clash) throw new CorpusError('E_BAD_ARGUMENT', `the corpus already has a ${COPY_SYNTHESIS_FOLDER}/ folder (${clash.id}); it cannot be copy-synthesised again into the same namespace`);

  const splits = (a.splits ?? []).map((file) => ({ file, split: readSplitFile(file) }));
  let chosen = labelled.filter((e) => e.label === 'real');
  if (splits.length > 0) {
    const trainIds = new Set(splits.flatMap((s) => s.split.train));
    chosen = chosen.filter((e) => trainIds.has(e.id));
  }
  if (chosen.length === 0) throw new CorpusError('E_NO_LABELS', `no real clips to resynthesise in ${discovery.root}${splits.length ? ' on the train side of the given splits' : ''}`);

  fs.mkdirSync(out, { recursive: true });
  checkRecord(out, { format: RECORD_FORMAT, corpus: discovery.root, settings: { sr, ...resolved }, createdAt: new Date().toISOString() });
  for (const e of labelled) linkOriginal(out, e);
  // An interrupted run can leave half-written pseudo-fakes under their temporary names; they were never listed.
  removeStaleTmpFiles(path.join(out, COPY_SYNTHESIS_FOLDER), true);

  const made = new Map<string, CorpusEntry>(); // real id -> its pseudo-fake entry
  const failures: CopySynthesisCommandResult['failures'] = [];
  let written = 0;
  let reused = 0;
  let next = 0;
  const report = () => a.onProgress?.({ files: made.size + failures.length, total: chosen.length, failed: failures.length, reused });
  const worker = async () => {
    while (next < chosen.length) {
      const real = chosen[next++];
      const id = pseudoFakeId(real.id);
      const file = path.join(out, id);
      try {
        if (fs.existsSync(file)) reused++;
        else {
          const audio = await api.loadAudio(real.path, { sr });
          const samples = await api.copySynthesis(audio.samples, sr, { ...resolved, seed: fileSeed(resolved.seed, real.id) });
          const bytes = await api.encodeAudio(samples, sr, 'flac');
          fs.mkdirSync(path.dirname(file), { recursive: true });
          writeFileAtomic(file, bytes);
          written++;
        }
        made.set(real.id, { ...real, id, path: file, label: 'fake', method: COPY_SYNTHESIS_METHOD, originalPath: real.originalPath ?? real.id });
      } catch (err) {
        failures.push({ id: real.id, code: errorCode(err), message: (err as Error).message });
      }
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chosen.length) }, worker));

  // (real, pseudo-fake) pairs in corpus order, whatever order the workers finished in
  const pairs = chosen.flatMap((real) => (made.has(real.id) ? [{ real, fake: made.get(real.id)! }] : []));
  const header = ['path', 'label', 'source', 'method', 'speaker', 'original_path', 'origin'];
  const rows = [...labelled.map((e) => ({ e, origin: e.path })), ...pairs.map(({ real, fake }) => ({ e: fake, origin: `copy-synthesis of ${real.id}` }))];
  const manifest = path.join(out, 'manifest.tsv');
  writeFileAtomic(manifest, [header.join('\t'), ...rows.map(({ e, origin }) => [e.id, e.label, e.source, e.method, e.speaker, e.originalPath, origin].map(cell).join('\t'))].join('\n') + '\n');

  const splitResults: CopySynthesisCommandResult['splits'] = [];
  if (splits.length > 0) fs.mkdirSync(path.join(out, 'splits'), { recursive: true });
  for (const { file, split } of splits) {
    const train = new Set(split.train);
    const added = pairs.filter(({ real }) => train.has(real.id)).map(({ fake }) => fake);
    const to = path.join(out, 'splits', path.basename(file));
    writeSplitFile(to, extendSplit(split, added));
    splitResults.push({ from: file, to, added: added.length });
  }
  return { out, manifest, reals: chosen.length, written, reused, failures, splits: splitResults, elapsedSeconds: (performance.now() - started) / 1000 };
}
