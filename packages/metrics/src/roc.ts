// ROC curve, ROC AUC and equal error rate. Convention everywhere: score >= threshold -> predicted fake (label 1).
import { checkScoresAndLabels, requireBothClasses, type Numbers } from './validate';

export interface RocCurve {
  /** False-positive rate (reals called fake) at each threshold, non-decreasing from 0 to 1. */
  fpr: number[];
  /** True-positive rate (fakes called fake) at each threshold, non-decreasing from 0 to 1. */
  tpr: number[];
  /**
   * thresholds[i] gives (fpr[i], tpr[i]) when predicting fake for score >= thresholds[i].
   * thresholds[0] = +Infinity (nothing called fake); then every distinct score, descending.
   */
  thresholds: number[];
}

interface RocCounts {
  thresholds: number[];
  /** Cumulative false / true positives at each threshold. */
  fp: number[];
  tp: number[];
  positives: number;
  negatives: number;
}

/** One ROC point per distinct score: tied scores cross the threshold together (no staircase inside a tie). */
function rocCounts(scores: Numbers, labels: Numbers, positives: number, negatives: number): RocCounts {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const thresholds = [Infinity];
  const fp = [0];
  const tp = [0];
  let fpCount = 0;
  let tpCount = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) tpCount++;
    else fpCount++;
    const last = k === order.length - 1;
    if (last || scores[order[k + 1]] !== scores[i]) {
      thresholds.push(scores[i]);
      fp.push(fpCount);
      tp.push(tpCount);
    }
  }
  return { thresholds, fp, tp, positives, negatives };
}

export function rocCurve(scores: Numbers, labels: Numbers): RocCurve {
  checkScoresAndLabels(scores, labels);
  const { positives, negatives } = requireBothClasses('ROC curve', labels);
  const c = rocCounts(scores, labels, positives, negatives);
  return {
    fpr: c.fp.map((v) => v / negatives),
    tpr: c.tp.map((v) => v / positives),
    thresholds: c.thresholds,
  };
}

/**
 * ROC AUC as the Mann–Whitney statistic: P(score of a random fake > score of a random real), ties counting 1/2.
 * Computed with mid-ranks in O(n log n); equals the trapezoidal area under rocCurve().
 */
export function rocAuc(scores: Numbers, labels: Numbers): number {
  checkScoresAndLabels(scores, labels);
  const { positives, negatives } = requireBothClasses('ROC AUC', labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    const midRank = (start + 1 + end) / 2; // ranks start+1 .. end share their mean
    for (let k = start; k < end; k++) if (labels[order[k]] === 1) positiveRankSum += midRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface EerResult {
  /** Equal error rate in [0, 1]. */
  eer: number;
  /** Decision threshold (score >= threshold -> fake) of the ROC point nearest the crossing. */
  threshold: number;
  /** The error rates actually obtained at `threshold` (they straddle `eer`). */
  fpr: number;
  fnr: number;
}

/**
 * Equal error rate.
 *
 * Definition: over the ROC points of rocCurve() (one per distinct score, ties crossing together, plus the
 * start point at +Infinity), FNR = 1 − TPR falls and FPR rises as the threshold goes down. Let i be the
 * first point with FPR_i >= FNR_i (it exists: the last point has FPR = 1, FNR = 0). If they are equal, EER is
 * that value. Otherwise the two neighbouring points i−1 and i are joined by a straight line in (FPR, FNR) and
 * EER is where that line crosses FPR = FNR:
 *   d_k = FPR_k − FNR_k,  a = −d_{i−1} / (d_i − d_{i−1}),  EER = FPR_{i−1} + a·(FPR_i − FPR_{i−1}).
 * Threshold: a score threshold can only realise ROC points, so it is the threshold of whichever of the two
 * neighbours has the smaller |FPR − FNR| (on a tie the lower threshold, point i; the +Infinity start point is
 * therefore never returned). `fpr`/`fnr` report the rates at that threshold.
 */
export function eer(scores: Numbers, labels: Numbers): EerResult {
  checkScoresAndLabels(scores, labels);
  const { positives, negatives } = requireBothClasses('EER', labels);
  const c = rocCounts(scores, labels, positives, negatives);
  // Sign of FPR − FNR = fp/N − (P − tp)/P, compared exactly in integers.
  const sign = (k: number): number => c.fp[k] * positives - (positives - c.tp[k]) * negatives;
  let i = 0;
  while (sign(i) < 0) i++;
  const fprAt = (k: number): number => c.fp[k] / negatives;
  const fnrAt = (k: number): number => (positives - c.tp[k]) / positives;
  if (sign(i) === 0) return { eer: fprAt(i), threshold: c.thresholds[i], fpr: fprAt(i), fnr: fnrAt(i) };
  const dPrev = fprAt(i - 1) - fnrAt(i - 1);
  const dCur = fprAt(i) - fnrAt(i);
  const a = -dPrev / (dCur - dPrev);
  const value = fprAt(i - 1) + a * (fprAt(i) - fprAt(i - 1));
  const k = Math.abs(dPrev) < Math.abs(dCur) ? i - 1 : i;
  return { eer: value, threshold: c.thresholds[k], fpr: fprAt(k), fnr: fnrAt(k) };
}
