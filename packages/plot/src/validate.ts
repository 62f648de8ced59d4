// Argument checks shared by every plot function. Each throws a typed error naming the function and field.
import { rangeError, typeError } from './errors';

/** Largest canvas side we agree to render: bounds memory (a 8192^2 RGBA canvas is 256 MB). */
export const MAX_SIDE = 8192;

export function checkInt(where: string, name: string, value: unknown, min: number, max = MAX_SIDE): number {
  if (typeof value !== 'number') throw typeError(where, `${name} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(where, `${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

export function optInt(where: string, name: string, value: unknown, min: number, fallback: number, max = MAX_SIDE): number {
  return value === undefined ? fallback : checkInt(where, name, value, min, max);
}

export function checkFinite(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw typeError(where, `${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw rangeError(where, `${name} must be finite, got ${value}`);
  return value;
}

export function optFinite(where: string, name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : checkFinite(where, name, value);
}

export function optString(where: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw typeError(where, `${name} must be a string, got ${describe(value)}`);
  return value;
}

export function checkString(where: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw typeError(where, `${name} must be a string, got ${describe(value)}`);
  return value;
}

export function checkObject(where: string, name: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(where, `${name} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export type NumericArray = Float32Array | Float64Array;

/** A rows x cols float grid; at least one finite value (an all-NaN grid has no colour scale). */
export function checkGrid(
  where: string,
  data: unknown,
  rows: unknown,
  cols: unknown,
  names: [rows: string, cols: string] = ['rows', 'cols'],
): { data: NumericArray; rows: number; cols: number } {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw typeError(where, `data must be a Float32Array (or Float64Array), got ${describe(data)}`);
  }
  const r = checkInt(where, names[0], rows, 1, 1 << 20);
  const c = checkInt(where, names[1], cols, 1, 1 << 24);
  if (data.length !== r * c) {
    throw rangeError(where, `data has ${data.length} values but ${names[0]} x ${names[1]} = ${r} x ${c} = ${r * c}`);
  }
  if (finiteRange(data) === undefined) throw rangeError(where, 'data has no finite value (all NaN/Infinity)');
  return { data, rows: r, cols: c };
}

/** [min, max] over finite values, or undefined when there is none. */
export function finiteRange(data: ArrayLike<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) continue; // NaN or ±Infinity (no global lookups in this hot loop)
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? undefined : [lo, hi];
}

/** Colour-scale limits: explicit values win, missing ones come from the data. */
export function valueRange(where: string, data: NumericArray, vmin: unknown, vmax: unknown, fallback?: [number, number]): [number, number] {
  const lo = optFinite(where, 'vmin', vmin);
  const hi = optFinite(where, 'vmax', vmax);
  const auto = fallback ?? (finiteRange(data) as [number, number]);
  const range: [number, number] = [lo ?? auto[0], hi ?? auto[1]];
  if (range[0] > range[1]) throw rangeError(where, `vmin (${range[0]}) must not exceed vmax (${range[1]})`);
  return range;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'number') return String(value);
  return typeof value;
}
