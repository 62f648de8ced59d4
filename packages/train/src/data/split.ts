// Which files train and which validate: a split file (corpus makeSplit / `melguard split`), or, when none
// is given, a grouped split made here with the run's seed (and written next to the model for the record).
import { makeSplit, readSplitFile, type Split, type SplitItem } from '@melguard/corpus';
import { TrainError } from '../errors';
import type { SourceFile, TrainingSource } from './source';

export interface ResolvedSplit {
  /** Indices into source.files. */
  train: number[];
  val: number[];
  /**
   * Model-selection side carved out of the training side (grouped, seeded) when a dev fraction is asked for:
   * early stopping and the decision threshold use it, so the validation side is only ever measured. Else null.
   */
  dev: number[] | null;
  policy: string;
  /** Where it came from: the split file's path, or 'auto (grouped, seed N)'. */
  origin: string;
  /** Split ids that the store does not hold (failed or filtered files). */
  missing: number;
  /** The split itself (written to out/split.json). */
  split: (Split | { format: string; policy: string; train: string[]; val: string[] }) & { dev?: string[]; devFraction?: number };
}

export function resolveSplit(source: TrainingSource, opts: { file?: string; seed: number; valFraction?: number; devFraction?: number }): ResolvedSplit {
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
      source.files.map((f) => splitItem(f, f.id)),
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
  let train = pick(split.train);
  const val = pick(split.val);
  let dev: number[] | null = null;
  if (split.dev) {
    // a run's own split.json: the dev side was carved when it trained
    if (opts.devFraction) throw new TrainError('E_SPLIT', `split ${origin} already has a dev side; drop the dev fraction`);
    dev = pick(split.dev);
  } else if (opts.devFraction) {
    // carved with the split's seed, not the run's, so runs that differ only by seed train on the same files
    const splitSeed = (split as { seed?: unknown }).seed;
    ({ train, dev } = carveDev(source, train, opts.devFraction, typeof splitSeed === 'number' ? splitSeed : opts.seed));
    split = { ...split, train: train.map((i) => source.files[i].id), dev: dev.map((i) => source.files[i].id), devFraction: opts.devFraction };
  }
  const sides: ['train' | 'val' | 'dev', number[]][] = [['train', train], ['val', val]];
  if (dev) sides.push(['dev', dev]);
  for (const [side, list] of sides) {
    if (list.length === 0) {
      throw new TrainError('E_SPLIT', `the ${side} side of split ${origin} has no files in the feature store ` +
        `(${split[side]?.length ?? 0} ids listed, ${source.files.length} labelled files in the store)`);
    }
    const fakes = list.filter((i) => source.files[i].label === 1).length;
    if (fakes === 0 || fakes === list.length) {
      throw new TrainError('E_ONE_CLASS', `the ${side} side of split ${origin} holds only ${fakes === 0 ? 'real' : 'fake'} files ` +
        `(${list.length}); training and EER need both classes`);
    }
  }
  return { train, val, dev, policy: split.policy, origin, missing, split };
}

/** What corpus makeSplit needs to know about a file, under the given id. */
function splitItem(f: SourceFile, id: string): SplitItem {
  return { id, label: f.label === 1 ? 'fake' : 'real', group: f.group, source: f.source, method: f.method };
}

/** A grouped, seeded share of the training side (no speaker or recording on both sides) for model selection. */
function carveDev(source: TrainingSource, train: number[], devFraction: number, seed: number): { train: number[]; dev: number[] } {
  if (!(devFraction > 0 && devFraction < 1)) throw new TrainError('E_SPLIT', `devFraction must be in (0, 1) (got ${devFraction})`);
  let carved;
  try {
    carved = makeSplit(
      train.map((i) => splitItem(source.files[i], String(i))),
      { policy: 'grouped', seed, valFraction: devFraction },
    );
  } catch (err) {
    throw new TrainError('E_SPLIT', `cannot carve a dev side out of the training side: ${(err as Error).message}`, { cause: err });
  }
  const toIndices = (ids: string[]) => ids.map(Number).sort((a, b) => a - b);
  return { train: toIndices(carved.train), dev: toIndices(carved.val) };
}
