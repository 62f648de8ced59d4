// Argument parsers for commander options: each returns a value or throws InvalidArgumentError with the
// allowed range, so `--threads 0` fails with a message instead of reaching the engine.
import { InvalidArgumentError } from 'commander';

export function int(min = -Infinity, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[-+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`must be an integer${range(min, max)}`);
    if (n < min || n > max) throw new InvalidArgumentError(`must be an integer${range(min, max)}`);
    return n;
  };
}

export function num(min = -Infinity, max = Infinity, { exclusiveMin = false } = {}): (value: string) => number {
  return (value) => {
    const n = Number(value);
    const bad = value.trim() === '' || !Number.isFinite(n) || n > max || (exclusiveMin ? n <= min : n < min);
    if (bad) throw new InvalidArgumentError(`must be a number${exclusiveMin ? ` > ${min}` : ''}${range(exclusiveMin ? -Infinity : min, max)}`);
    return n;
  };
}

export function choice<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of: ${values.join(', ')}`);
    return value as T;
  };
}

/** A number, or one of the given words (e.g. `--top-db none`, `--ref max`). */
export function numOr<W extends string>(words: readonly W[], min = -Infinity): (value: string) => number | W {
  return (value) => {
    if ((words as readonly string[]).includes(value)) return value as W;
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`must be a number${range(min, Infinity)} or one of: ${words.join(', ')}`);
    return n;
  };
}

export type Aggregate = 'mean' | 'max' | `topk:${number}`;

export function aggregate(value: string): Aggregate {
  if (value === 'mean' || value === 'max') return value;
  const m = /^topk:(\d+)$/.exec(value);
  if (m && Number(m[1]) >= 1 && Number.isSafeInteger(Number(m[1]))) return `topk:${Number(m[1])}`;
  throw new InvalidArgumentError('must be mean, max or topk:K (K >= 1)');
}

export interface Shard {
  index: number;
  count: number;
}

/** `i/N` with 0 <= i < N (0-based, like a Kubernetes indexed Job's JOB_COMPLETION_INDEX). */
export function shard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('must be i/N, e.g. 0/4 (0-based shard index / shard count)');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 1_000_000) throw new InvalidArgumentError('shard count N must be in [1, 1000000]');
  if (index >= count) throw new InvalidArgumentError(`shard index must be in [0, ${count - 1}] (0-based)`);
  return { index, count };
}

function range(min: number, max: number): string {
  if (min > -Infinity && max < Infinity) return ` in [${min}, ${max}]`;
  if (min > -Infinity) return ` >= ${min}`;
  if (max < Infinity) return ` <= ${max}`;
  return '';
}
