// Metrics of hard decisions (0 = real, 1 = fake).
import { checkLabels, checkSameLength, checkScores, checkThreshold, type Numbers } from './validate';

/** Hard decisions from scores: score >= threshold -> 1 (fake). */
export function predict(scores: Numbers, threshold: number): Uint8Array {
  checkScores('scores', scores);
  checkThreshold(threshold);
  const out = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= threshold ? 1 : 0;
  return out;
}

export interface Confusion {
  /** Fakes called fake. */
  tp: number;
  /** Reals called fake. */
  fp: number;
  /** Reals called real. */
  tn: number;
  /** Fakes called real. */
  fn: number;
  /** Rows = true label (0 real, 1 fake), columns = predicted label: [[tn, fp], [fn, tp]]. */
  matrix: [[number, number], [number, number]];
}

export function confusion(pred: Numbers, labels: Numbers): Confusion {
  checkLabels('predictions', pred);
  checkLabels('labels', labels);
  checkSameLength('predictions', pred, 'labels', labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      if (pred[i] === 1) tp++;
      else fn++;
    } else if (pred[i] === 1) fp++;
    else tn++;
  }
  return { tp, fp, tn, fn, matrix: [[tn, fp], [fn, tp]] };
}

/** Fraction of predictions equal to the label. */
export function accuracy(pred: Numbers, labels: Numbers): number {
  const c = confusion(pred, labels);
  return (c.tp + c.tn) / labels.length;
}

/**
 * Mean of the per-class recalls (TPR + TNR) / 2, so a detector that calls everything "fake" on a corpus of
 * 90 % fakes scores 0.5, not 0.9. When only one class is present, it is that class's recall (as scikit-learn).
 */
export function balancedAccuracy(pred: Numbers, labels: Numbers): number {
  const c = confusion(pred, labels);
  const recalls: number[] = [];
  if (c.tp + c.fn > 0) recalls.push(c.tp / (c.tp + c.fn));
  if (c.tn + c.fp > 0) recalls.push(c.tn / (c.tn + c.fp));
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}
