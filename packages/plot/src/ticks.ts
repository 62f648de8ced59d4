// Axis ticks: "nice" steps (1, 2, 5 x 10^k) for linear axes, decades (plus 2 and 5 when few) for log axes.

export interface Tick {
  value: number;
  label: string;
}

/** A step of 1, 2 or 5 x 10^k giving about `target` intervals over `span`. */
export function niceStep(span: number, target = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / target;
  const k = Math.floor(Math.log10(raw));
  const mag = k >= 0 ? Math.pow(10, k) : 1 / Math.pow(10, -k); // 1 / 1e5 is exactly the double nearest 1e-5
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

function decimalsFor(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** Typographic minus: as wide as a digit and easier to read than a hyphen. */
const MINUS = '\u2212';

/** Shortest readable label for a tick value on an axis with spacing `step` (negative values use U+2212). */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  let s: string;
  if (abs >= 1e6 || step < 1e-4) {
    const digits = Math.max(0, Math.floor(Math.log10(abs)) - Math.floor(Math.log10(step) + 1e-9));
    s = abs.toExponential(Math.min(digits, 6)).replace(/\.?0+e/, 'e').replace('e+', 'e').replace('e-', `e${MINUS}`);
  } else {
    s = abs.toFixed(decimalsFor(step));
    if (/^0(\.0*)?$/.test(s)) return '0';
  }
  return value < 0 ? MINUS + s : s;
}

/** Multiples of a nice step (or of `step` when given) inside [min, max], inclusive with a tolerance for float error. */
export function linearTicks(min: number, max: number, target = 5, step = niceStep(max - min, target)): Tick[] {
  const eps = step * 1e-9;
  const first = Math.ceil((min - eps) / step);
  const last = Math.floor((max + eps) / step);
  const ticks: Tick[] = [];
  for (let k = first; k <= last; k++) {
    const value = Number((k * step).toFixed(decimalsFor(step) + 2));
    ticks.push({ value, label: formatTick(value, step) });
  }
  return ticks;
}

/**
 * [min, max] widened outward to multiples of a nice step (d3's `nice()`), and that step: ticks drawn with it
 * start and end exactly at the domain's ends. A single value becomes a small span around it.
 */
export function niceScale(min: number, max: number, target = 5): { domain: [number, number]; step: number } {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceScale(min - pad, max + pad, target);
  }
  const step = niceStep(max - min, target);
  // Rounding of k * step may land a hair inside the data: never cut the data off.
  const lo = Math.min(min, Math.floor(min / step + 1e-9) * step);
  const hi = Math.max(max, Math.ceil(max / step - 1e-9) * step);
  return { domain: [lo, hi], step };
}

export function niceDomain(min: number, max: number, target = 5): [number, number] {
  return niceScale(min, max, target).domain;
}

function formatLogValue(v: number): string {
  if (v >= 1e-4 && v < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential(0).replace('e+', 'e').replace('e-', `e${MINUS}`);
}

/** Ticks for a log axis over [min, max] (both > 0): decades, adding 2x and 5x when fewer than 3 decades show. */
export function logTicks(min: number, max: number): Tick[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  const inRange = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const decades: number[] = [];
  for (let k = lo; k <= hi; k++) decades.push(Number(Math.pow(10, k).toPrecision(12)));
  let values = decades.filter(inRange);
  if (values.length < 3) {
    values = decades.flatMap((d) => [d, 2 * d, 5 * d].map((v) => Number(v.toPrecision(12)))).filter(inRange);
  }
  if (values.length < 2) return linearTicks(min, max, 4).filter((t) => t.value > 0);
  // Many decades: keep every n-th so labels do not collide.
  const stride = Math.ceil(values.length / 8);
  return values.filter((_, i) => i % stride === 0).map((value) => ({ value, label: formatLogValue(value) }));
}

/** Log domain: the data range padded by 3 % of its span in decades (whole decades would waste space). */
export function paddedLogDomain(min: number, max: number): [number, number] {
  if (min === max) return [min / 2, max * 2];
  const pad = Math.pow(10, 0.03 * Math.log10(max / min));
  return [min / pad, max * pad];
}
