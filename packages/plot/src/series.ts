// Line-plot series: validation, data extent and the runs of plottable points.
import { rangeError, typeError } from './errors';
import { checkObject, checkString, describe, optString } from './validate';

export interface LineSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Lower / upper edge of a shaded band (e.g. a 95 % confidence interval), same length as x. */
  lo?: ArrayLike<number>;
  hi?: ArrayLike<number>;
  dashed?: boolean;
  /** '#rgb' or '#rrggbb'; default: the next colour of a 10-colour categorical palette. */
  color?: string;
  /** Dots at the data points; default: on when the series has at most 25 points. */
  markers?: boolean;
}

/** matplotlib's "tab10": distinct, colour-blind-tolerant for the first few. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const BAND_OPACITY = 0.22;
export const DASH = '7 5';
const MARKER_LIMIT = 25;

export interface Series {
  label: string;
  x: number[];
  y: number[];
  lo?: number[];
  hi?: number[];
  dashed: boolean;
  color: string;
  markers: boolean;
}

function toNumbers(where: string, name: string, value: unknown, length?: number): number[] {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))) {
    throw typeError(where, `${name} must be an array of numbers, got ${describe(value)}`);
  }
  const arr = Array.from(value as ArrayLike<unknown>, (v, i) => {
    if (typeof v !== 'number') throw typeError(where, `${name}[${i}] must be a number, got ${describe(v)}`);
    return v;
  });
  if (length !== undefined && arr.length !== length) {
    throw rangeError(where, `${name} has ${arr.length} values but x has ${length}`);
  }
  return arr;
}

export function checkSeries(where: string, value: unknown): Series[] {
  if (!Array.isArray(value)) throw typeError(where, `series must be an array, got ${describe(value)}`);
  if (value.length === 0) throw rangeError(where, 'series is empty: nothing to plot');
  return value.map((s, i) => {
    const name = `series[${i}]`;
    const o = checkObject(where, name, s);
    const x = toNumbers(where, `${name}.x`, o.x);
    const y = toNumbers(where, `${name}.y`, o.y, x.length);
    const lo = o.lo === undefined ? undefined : toNumbers(where, `${name}.lo`, o.lo, x.length);
    const hi = o.hi === undefined ? undefined : toNumbers(where, `${name}.hi`, o.hi, x.length);
    if ((lo === undefined) !== (hi === undefined)) throw rangeError(where, `${name} needs both lo and hi for a band (got only one)`);
    const color = optString(where, `${name}.color`, o.color) ?? PALETTE[i % PALETTE.length];
    if (!/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(color)) throw rangeError(where, `${name}.color must be '#rgb' or '#rrggbb', got '${color}'`);
    const points = x.filter((v, k) => Number.isFinite(v) && Number.isFinite(y[k])).length;
    return {
      label: checkString(where, `${name}.label`, o.label),
      x,
      y,
      lo,
      hi,
      dashed: o.dashed === true,
      color,
      markers: o.markers === undefined ? points <= MARKER_LIMIT && o.dashed !== true : o.markers === true,
    };
  });
}

/** Finite-range of the plotted values; x <= 0 excluded on a log axis. */
export function dataExtent(series: Series[], log: boolean): { x: [number, number]; y: [number, number] } | undefined {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      const xv = s.x[i];
      if (!Number.isFinite(xv) || (log && xv <= 0)) continue;
      const ys = [s.y[i], s.lo?.[i] ?? NaN, s.hi?.[i] ?? NaN].filter(Number.isFinite);
      if (ys.length === 0) continue;
      x0 = Math.min(x0, xv);
      x1 = Math.max(x1, xv);
      for (const v of ys) {
        y0 = Math.min(y0, v);
        y1 = Math.max(y1, v);
      }
    }
  }
  return x0 === Infinity ? undefined : { x: [x0, x1], y: [y0, y1] };
}

/** Contiguous runs of indices where `ok` holds (a NaN breaks a line instead of joining across the gap). */
export function runs(n: number, ok: (i: number) => boolean): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < n; i++) {
    if (ok(i)) cur.push(i);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}
