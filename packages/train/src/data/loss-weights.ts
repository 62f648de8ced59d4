// Per-window loss weights. 'class': each class carries half of an epoch's loss (the imbalance between reals and
// fakes). 'source': the same halves, and inside each class every source carries an equal share, so a source's
// real and fake windows weigh about the same and its recording conditions say little about the label (on this
// corpus msr_speechresearch is 79 % fake and librispeech 100 % real: a per-window loss rewards learning them).
import { TrainError } from '../errors';
import type { SourceFile, WindowRef } from './source';

export type LossBalance = 'class' | 'source';
export const LOSS_BALANCES: readonly LossBalance[] = ['class', 'source'];

/** Weight of each window of file i (indexed like `files`; 0 for files without training windows). Mean 1 over `refs`. */
export function lossWeights(files: readonly SourceFile[], refs: readonly WindowRef[], balance: LossBalance): Float32Array {
  if (!LOSS_BALANCES.includes(balance)) throw new TrainError('E_BAD_OPTION', `balance must be one of ${LOSS_BALANCES.join(', ')}, got ${String(balance)}`);
  const cellOf = (f: SourceFile) => (balance === 'class' ? `${f.label}` : `${f.label}\t${f.source ?? '(none)'}`);
  const windowsPerCell = new Map<string, number>();
  for (const r of refs) {
    const key = cellOf(files[r.file]);
    windowsPerCell.set(key, (windowsPerCell.get(key) ?? 0) + 1);
  }
  const cellsPerClass = [0, 0];
  for (const key of windowsPerCell.keys()) cellsPerClass[Number(key[0])]++;
  if (cellsPerClass[0] === 0 || cellsPerClass[1] === 0) {
    throw new TrainError('E_ONE_CLASS', 'the training side needs both real and fake windows');
  }
  // A cell's windows share 1 / (2 · cells of its class) of the total weight N.
  const weights = new Float32Array(files.length);
  for (const r of refs) {
    const f = files[r.file];
    weights[r.file] = refs.length / (2 * cellsPerClass[f.label] * windowsPerCell.get(cellOf(f))!);
  }
  return weights;
}
