// Input checks shared by every metric. Labels: 1 = fake (positive class), 0 = real.
import { rangeError, typeError } from './errors';

export type Numbers = ArrayLike<number>;

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}

export function checkArray(name: string, x: unknown): asserts x is ArrayLike<unknown> {
  if (!isArrayLike(x)) throw typeError('E_METRICS_TYPE', `${name} must be an array or typed array`);
  if (x.length === 0) throw rangeError('E_METRICS_EMPTY', `${name} is empty`);
}

export function checkSameLength(a: string, x: ArrayLike<unknown>, b: string, y: ArrayLike<unknown>): void {
  if (x.length !== y.length) {
    throw rangeError('E_METRICS_LENGTH', `${a} has ${x.length} elements but ${b} has ${y.length}`);
  }
}

/** Labels must be exactly 0 or 1. */
export function checkLabels(name: string, labels: unknown): asserts labels is Numbers {
  checkArray(name, labels);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v !== 0 && v !== 1) {
      throw rangeError('E_METRICS_LABEL', `${name}[${i}] = ${String(v)}: labels must be 0 (real) or 1 (fake)`);
    }
  }
}

/** Scores must be numbers and not NaN (±Infinity is ordered, so allowed). */
export function checkScores(name: string, scores: unknown): asserts scores is Numbers {
  checkArray(name, scores);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i];
    if (typeof v !== 'number') throw typeError('E_METRICS_TYPE', `${name}[${i}] is not a number`);
    if (Number.isNaN(v)) throw rangeError('E_METRICS_NAN', `${name}[${i}] is NaN`);
  }
}

export function checkScoresAndLabels(scores: unknown, labels: unknown): asserts scores is Numbers {
  checkScores('scores', scores);
  checkLabels('labels', labels);
  checkSameLength('scores', scores, 'labels', labels as Numbers);
}

export function countClasses(labels: Numbers): { positives: number; negatives: number } {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  return { positives, negatives: labels.length - positives };
}

/** EER and AUC compare the classes: both must be present. */
export function requireBothClasses(metric: string, labels: Numbers): { positives: number; negatives: number } {
  const counts = countClasses(labels);
  if (counts.positives === 0 || counts.negatives === 0) {
    const only = counts.positives === 0 ? 'real (0)' : 'fake (1)';
    throw rangeError(
      'E_METRICS_ONE_CLASS',
      `${metric} needs both classes, but all ${labels.length} labels are ${only}`,
    );
  }
  return counts;
}

export function checkThreshold(threshold: unknown): asserts threshold is number {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw typeError('E_METRICS_THRESHOLD', `threshold must be a number, got ${String(threshold)}`);
  }
}
