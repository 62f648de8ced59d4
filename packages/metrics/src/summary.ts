// One call that gives everything a report or model card shows about a set of scored clips.
import { accuracy, balancedAccuracy, confusion, predict, type Confusion } from './classification';
import { perAttack, perGroup, type AttackMetrics, type GroupKeys, type GroupMetrics } from './groups';
import { eer, rocAuc } from './roc';
import { checkScoresAndLabels, checkThreshold, countClasses, type Numbers } from './validate';

export interface SummaryOptions {
  /** Decision threshold for accuracy / confusion; default: the EER threshold (needs both classes). */
  threshold?: number;
  /** Breakdown by group (e.g. source, speaker): metrics inside each group. */
  groups?: Record<string, GroupKeys>;
  /** Generator method of each clip (read for fakes): per-attack EER against all reals. */
  methods?: GroupKeys;
}

export interface Summary {
  n: number;
  real: number;
  fake: number;
  threshold: number;
  thresholdSource: 'given' | 'eer';
  accuracy: number;
  balancedAccuracy: number;
  confusion: Confusion;
  /** Absent when only one class is present. */
  eer?: number;
  eerThreshold?: number;
  auc?: number;
  groups?: Record<string, Record<string, GroupMetrics>>;
  attacks?: Record<string, AttackMetrics>;
}

export function summarise(scores: Numbers, labels: Numbers, options: SummaryOptions = {}): Summary {
  checkScoresAndLabels(scores, labels);
  const { positives, negatives } = countClasses(labels);
  const both = positives > 0 && negatives > 0;
  const e = both ? eer(scores, labels) : undefined;
  let threshold: number;
  if (options.threshold !== undefined) {
    checkThreshold(options.threshold);
    threshold = options.threshold;
  } else {
    // Without both classes there is no EER threshold: asking for it is the caller's error, reported by eer().
    threshold = (e ?? eer(scores, labels)).threshold;
  }
  const pred = predict(scores, threshold);
  const summary: Summary = {
    n: labels.length,
    real: negatives,
    fake: positives,
    threshold,
    thresholdSource: options.threshold !== undefined ? 'given' : 'eer',
    accuracy: accuracy(pred, labels),
    balancedAccuracy: balancedAccuracy(pred, labels),
    confusion: confusion(pred, labels),
  };
  if (e) {
    summary.eer = e.eer;
    summary.eerThreshold = e.threshold;
    summary.auc = rocAuc(scores, labels);
  }
  if (options.groups) {
    summary.groups = {};
    for (const [name, keys] of Object.entries(options.groups)) summary.groups[name] = perGroup(scores, labels, keys, threshold);
  }
  if (options.methods) summary.attacks = perAttack(scores, labels, options.methods, threshold);
  return summary;
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : `${(100 * v).toFixed(2)} %`);

/** Plain-text rendering of a Summary for terminals and logs. */
export function formatSummary(s: Summary): string {
  const lines = [
    `clips ${s.n} (real ${s.real}, fake ${s.fake}); threshold ${s.threshold.toPrecision(4)} (${s.thresholdSource})`,
    `EER ${pct(s.eer)}  AUC ${s.auc === undefined ? '—' : s.auc.toFixed(4)}  accuracy ${pct(s.accuracy)}  balanced ${pct(s.balancedAccuracy)}`,
    `confusion (rows true real/fake, cols predicted real/fake): [[${s.confusion.matrix[0].join(', ')}], [${s.confusion.matrix[1].join(', ')}]]`,
  ];
  for (const [name, groups] of Object.entries(s.groups ?? {})) {
    lines.push(`by ${name}:`);
    for (const [key, g] of Object.entries(groups)) {
      lines.push(`  ${key}: n ${g.n} (real ${g.real}, fake ${g.fake})  accuracy ${pct(g.accuracy)}  EER ${pct(g.eer)}`);
    }
  }
  if (s.attacks) {
    lines.push('by attack (fakes vs all reals):');
    for (const [key, a] of Object.entries(s.attacks)) {
      lines.push(`  ${key}: n ${a.n}  detected ${pct(a.detectionRate)}  EER ${pct(a.eer)}`);
    }
  }
  return lines.join('\n');
}
