// Breakdowns by source / method / speaker: where does the detector fail?
import { accuracy, predict } from './classification';
import { typeError } from './errors';
import { eer, rocAuc } from './roc';
import { checkArray, checkSameLength, checkScoresAndLabels, checkThreshold, countClasses, type Numbers } from './validate';

/** Group name used for items whose group is null, undefined or ''. */
export const NO_GROUP = '(none)';

export type GroupKeys = ArrayLike<string | null | undefined>;

export interface GroupMetrics {
  n: number;
  real: number;
  fake: number;
  /** At the given threshold. */
  accuracy: number;
  /** Only when the group holds both classes. */
  eer?: number;
  eerThreshold?: number;
  auc?: number;
}

function groupIndices(groups: GroupKeys): Map<string, number[]> {
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g !== null && g !== undefined && typeof g !== 'string') {
      throw typeError('E_METRICS_TYPE', `groups[${i}] must be a string, null or undefined`);
    }
    const key = g ? g : NO_GROUP;
    let list = byGroup.get(key);
    if (!list) byGroup.set(key, (list = []));
    list.push(i);
  }
  return new Map([...byGroup.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function pick(values: Numbers, idx: number[]): number[] {
  return idx.map((i) => values[i]);
}

function checkGroupInputs(scores: Numbers, labels: Numbers, groups: GroupKeys, threshold: number): void {
  checkScoresAndLabels(scores, labels);
  checkArray('groups', groups);
  checkSameLength('scores', scores, 'groups', groups);
  checkThreshold(threshold);
}

/** Metrics inside each group (sorted by group name). EER/AUC only where a group has both classes. */
export function perGroup(scores: Numbers, labels: Numbers, groups: GroupKeys, threshold: number): Record<string, GroupMetrics> {
  checkGroupInputs(scores, labels, groups, threshold);
  const out: Record<string, GroupMetrics> = {};
  for (const [key, idx] of groupIndices(groups)) {
    const s = pick(scores, idx);
    const l = pick(labels, idx);
    const { positives, negatives } = countClasses(l);
    const m: GroupMetrics = { n: idx.length, real: negatives, fake: positives, accuracy: accuracy(predict(s, threshold), l) };
    if (positives > 0 && negatives > 0) {
      const e = eer(s, l);
      m.eer = e.eer;
      m.eerThreshold = e.threshold;
      m.auc = rocAuc(s, l);
    }
    out[key] = m;
  }
  return out;
}

export interface AttackMetrics {
  /** Fakes of this method. */
  n: number;
  /** Fraction of this method's fakes called fake at the threshold (its recall). */
  detectionRate: number;
  /** This method's fakes against ALL reals (the usual per-attack EER); absent when there are no reals. */
  eer?: number;
  eerThreshold?: number;
  auc?: number;
}

/**
 * Per-attack breakdown: real clips have no generator, so each method's fakes are scored against every real
 * clip (the pooled negatives). `methods` is read for fakes only.
 */
export function perAttack(scores: Numbers, labels: Numbers, methods: GroupKeys, threshold: number): Record<string, AttackMetrics> {
  checkGroupInputs(scores, labels, methods, threshold);
  const reals: number[] = [];
  const fakeIdx: number[] = [];
  const fakeMethods: (string | null | undefined)[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 0) reals.push(i);
    else {
      fakeIdx.push(i);
      fakeMethods.push(methods[i]);
    }
  }
  const out: Record<string, AttackMetrics> = {};
  if (fakeIdx.length === 0) return out;
  for (const [key, local] of groupIndices(fakeMethods)) {
    const idx = local.map((k) => fakeIdx[k]);
    const s = pick(scores, idx);
    const m: AttackMetrics = { n: idx.length, detectionRate: s.filter((v) => v >= threshold).length / idx.length };
    if (reals.length > 0) {
      const both = [...s, ...pick(scores, reals)];
      const l = [...idx.map(() => 1), ...reals.map(() => 0)];
      const e = eer(both, l);
      m.eer = e.eer;
      m.eerThreshold = e.threshold;
      m.auc = rocAuc(both, l);
    }
    out[key] = m;
  }
  return out;
}
