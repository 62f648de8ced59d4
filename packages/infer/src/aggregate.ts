// One clip score from its window scores.
import { MelguardError } from './errors';

/**
 * How window scores (each P(fake) of one window) become the clip's score:
 * - 'mean' (default): the mean of all window scores; robust, uses the whole clip.
 * - 'max': the highest window score; flags a clip when any single window looks fake (more false alarms).
 * - { topK: k } (or the string 'topk:k'): the mean of the k highest window scores (all of them when the clip has
 *   fewer than k windows); between the two, for clips where only a part is synthetic.
 */
export type Aggregate = 'mean' | 'max' | { topK: number } | `topk:${number}`;

/** Validates and normalises an Aggregate (throws MelguardError E_INVALID_ARG). */
export function parseAggregate(a: unknown): 'mean' | 'max' | { topK: number } {
  if (a === undefined || a === 'mean') return 'mean';
  if (a === 'max') return 'max';
  let k: unknown;
  if (typeof a === 'string' && /^topk:/i.test(a)) k = Number(a.slice(5));
  else if (typeof a === 'object' && a !== null && 'topK' in a) k = (a as { topK: unknown }).topK;
  else throw new MelguardError('E_INVALID_ARG', `aggregate must be 'mean', 'max', {topK: k} or 'topk:k', got ${JSON.stringify(a)}`);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new MelguardError('E_INVALID_ARG', `aggregate topK must be a positive integer, got ${JSON.stringify(k)}`);
  }
  return { topK: k };
}

/** The clip score from window scores (at least one). */
export function aggregateScores(scores: ArrayLike<number>, aggregate: Aggregate = 'mean'): number {
  const mode = parseAggregate(aggregate);
  const n = scores.length;
  if (n === 0) throw new MelguardError('E_INVALID_ARG', 'cannot aggregate zero window scores');
  if (mode === 'max') {
    let m = -Infinity;
    for (let i = 0; i < n; i++) if (scores[i] > m) m = scores[i];
    return m;
  }
  let values: ArrayLike<number> = scores;
  let count = n;
  if (mode !== 'mean' && mode.topK < n) {
    values = Float64Array.from(scores).sort().subarray(n - mode.topK);
    count = mode.topK;
  }
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  return sum / count;
}

/** Label by threshold: score >= threshold -> 'fake'. */
export function labelFor(score: number, threshold: number): 'real' | 'fake' {
  return score >= threshold ? 'fake' : 'real';
}
