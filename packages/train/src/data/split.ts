// Which files train and which validate: a split file (corpus makeSplit / `melguard split`), or, when none
// is given, a grouped split made here with the run's seed (and written next to the model for the record).
import { makeSplit, readSplitFile, type Split } from '@melguard/corpus';
import { TrainError } from '../errors';
import type { TrainingSource } from './source';

export interface ResolvedSplit {
  /** Indices into source.files. */
  train: number[];
  val: number[];
  policy: string;
  /** Where it came from: the split file's path, or 'auto (grouped, seed N)'. */
  origin: string;
  /** Split ids that the store does not hold (failed or filtered files). */
  missing: number;
  /** The split itself (written to out/split.json). */
  split: Split | { format: string; policy: string; train: string[]; val: string[] };
}

export function resolveSplit(source: TrainingSource, opts: { file?: string; seed: number; valFraction?: number }): ResolvedSplit {
  const byId = new Map(source.files.map((f, i) => [f.id, i]));
  let split: ResolvedSplit['split'];
  let origin: string;
  if (opts.file) {
    try {
      split = readSplitFile(opts.file);
    } catch (err) {
      const e = err as Error & { code?: string };
      throw new TrainError('E_SPLIT', `cannot use split file ${opts.file}: ${e.message}`, { cause: err, details: { code: e.code } });
    }
    origin = opts.file;
  } else {
    split = makeSplit(
      source.files.map((f) => ({ id: f.id, label: f.label === 1 ? 'fake' : 'real', group: f.group, source: f.source, method: f.method })),
      { policy: 'grouped', seed: opts.seed, valFraction: opts.valFraction ?? 0.2 },
    );
    origin = `auto (grouped, seed ${opts.seed})`;
  }
  let missing = 0;
  const pick = (ids: readonly string[]) => {
    const out: number[] = [];
    for (const id of ids) {
      const i = byId.get(id);
      if (i === undefined) missing++;
      else out.push(i);
    }
    return out.sort((a, b) => a - b);
  };
  const train = pick(split.train);
  const val = pick(split.val);
  for (const [side, list] of [['train', train], ['val', val]] as const) {
    if (list.length === 0) {
      throw new TrainError('E_SPLIT', `the ${side} side of split ${origin} has no files in the feature store ` +
        `(${split[side].length} ids listed, ${source.files.length} labelled files in the store)`);
    }
    const fakes = list.filter((i) => source.files[i].label === 1).length;
    if (fakes === 0 || fakes === list.length) {
      throw new TrainError('E_ONE_CLASS', `the ${side} side of split ${origin} holds only ${fakes === 0 ? 'real' : 'fake'} files ` +
        `(${list.length}); training and EER need both classes`);
    }
  }
  return { train, val, policy: split.policy, origin, missing, split };
}
