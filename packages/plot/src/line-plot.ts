// Line charts: per-band mean differences with confidence bands, ROC curves, training curves.
import { AXIS_COLOR, BOTTOM_MARGIN, drawTitle, drawXAxis, drawYAxis, leftMargin, titleMargin, type Area, type PlacedTick } from './axes';
import { rangeError } from './errors';
import { drawLegend, insideCorner, legendSize } from './legend';
import { renderSvg } from './render';
import { BAND_OPACITY, checkSeries, DASH, dataExtent, runs, type LineSeries } from './series';
import { num, SvgDoc } from './svg';
import { linearTicks, logTicks, niceScale, paddedLogDomain, type Tick } from './ticks';
import { checkObject, checkString, optFinite, optInt, optString } from './validate';

export type { LineSeries } from './series';
export { PALETTE } from './series';

export interface LinePlotOptions {
  title?: string;
  /** Limits default to the data range widened to nice round values; `log` uses a base-10 axis (x <= 0 points are skipped). */
  x: { label: string; log?: boolean; min?: number; max?: number };
  y: { label: string; min?: number; max?: number };
  series: LineSeries[];
  /** Default 800 x 480. */
  width?: number;
  height?: number;
  /** Default: shown when there is more than one series. Placed in the emptiest corner, or right of the plot when every corner has data. */
  legend?: boolean;
}

function resolveDomain(where: string, axis: string, auto: [number, number], min?: number, max?: number, log = false): [number, number] {
  const d: [number, number] = [min ?? auto[0], max ?? auto[1]];
  if (!(d[1] > d[0])) throw rangeError(where, `${axis} range is empty: min ${d[0]} must be below max ${d[1]}`);
  if (log && d[0] <= 0) throw rangeError(where, `${axis}.min must be > 0 on a log axis, got ${d[0]}`);
  return d;
}

interface Scale {
  (v: number): number;
}

function makeScale(domain: [number, number], from: number, to: number, log: boolean): Scale {
  const f = log ? Math.log10 : (v: number) => v;
  const a = f(domain[0]);
  const b = f(domain[1]);
  return (v: number) => from + ((f(v) - a) / (b - a)) * (to - from);
}

export function linePlotPng(opts: LinePlotOptions): Buffer {
  const where = 'linePlotPng';
  const o = checkObject(where, 'opts', opts);
  const title = optString(where, 'title', o.title);
  const xo = checkObject(where, 'x', o.x);
  const yo = checkObject(where, 'y', o.y);
  const xLabel = checkString(where, 'x.label', xo.label);
  const yLabel = checkString(where, 'y.label', yo.label);
  const log = xo.log === true;
  const series = checkSeries(where, o.series);
  const W = optInt(where, 'width', o.width, 200, 800);
  const H = optInt(where, 'height', o.height, 150, 480);
  const showLegend = o.legend === undefined ? series.length > 1 : o.legend === true;

  const extent = dataExtent(series, log);
  if (!extent) throw rangeError(where, `no plottable point: every (x, y) pair has a NaN/Infinity${log ? ' or x <= 0 on the log axis' : ''}`);
  const xMin = optFinite(where, 'x.min', xo.min);
  const xMax = optFinite(where, 'x.max', xo.max);
  const yMin = optFinite(where, 'y.min', yo.min);
  const yMax = optFinite(where, 'y.max', yo.max);
  // The same tick targets for the domain and the ticks, so nice domains end on ticks.
  const top = titleMargin(title);
  const xTarget = Math.max(2, Math.round((W - 120) / 90));
  const yTarget = Math.max(2, Math.round((H - top - BOTTOM_MARGIN) / 55));
  const xScale = log ? undefined : niceScale(xMin ?? extent.x[0], xMax ?? extent.x[1], xTarget);
  const xAuto = xScale ? xScale.domain : paddedLogDomain(...extent.x);
  const xDomain = resolveDomain(where, 'x', xAuto, xMin, xMax, log);
  const yScale = niceScale(yMin ?? extent.y[0], yMax ?? extent.y[1], yTarget);
  const yDomain = resolveDomain(where, 'y', yScale.domain, yMin, yMax);
  const yTickValues: Tick[] = linearTicks(yDomain[0], yDomain[1], yTarget, yScale.step);
  const left = leftMargin(yTickValues.map((t) => ({ pos: 0, label: t.label })), yLabel !== '');
  const legend = showLegend ? legendSize(series) : undefined;
  const xOk = (v: number) => Number.isFinite(v) && (!log || v > 0);

  // Lay out with the legend inside; move it outside only when every inside corner would cover data.
  const layout = (rightMargin: number) => {
    const area: Area = { x: left.margin, y: top, w: W - left.margin - rightMargin, h: H - top - BOTTOM_MARGIN };
    if (area.w < 40 || area.h < 40) {
      throw rangeError(where, `a ${W} x ${H} canvas leaves a ${Math.round(area.w)} x ${Math.round(area.h)} plot area; make it larger`);
    }
    return { area, sx: makeScale(xDomain, area.x, area.x + area.w, log), sy: makeScale(yDomain, area.y + area.h, area.y, false) };
  };
  let { area, sx, sy } = layout(24);
  let legendAt: [number, number] | undefined;
  if (legend) {
    legendAt = insideCorner(series, legend, area, sx, sy, xOk);
    if (!legendAt) {
      ({ area, sx, sy } = layout(legend.w + 24));
      legendAt = [area.x + area.w + 12, area.y];
    }
  }

  const svg = new SvgDoc(W, H);
  drawTitle(svg, title, W);
  const xTicks: PlacedTick[] = (log ? logTicks(xDomain[0], xDomain[1]) : linearTicks(xDomain[0], xDomain[1], xTarget, xScale?.step)).map((t) => ({
    pos: sx(t.value),
    label: t.label,
  }));
  const yTicks: PlacedTick[] = yTickValues.map((t) => ({ pos: sy(t.value), label: t.label }));
  drawXAxis(svg, area, xTicks, xLabel, true);
  drawYAxis(svg, area, yTicks, yLabel, true, left.labelX);
  if (yDomain[0] < 0 && yDomain[1] > 0) svg.line(area.x, sy(0), area.x + area.w, sy(0), { stroke: '#9a9a9a', width: 1 });

  const clip = svg.clipRect(area.x, area.y, area.w, area.h);
  for (const s of series) {
    if (!s.lo || !s.hi) continue;
    const lo = s.lo;
    const hi = s.hi;
    for (const run of runs(s.x.length, (i) => xOk(s.x[i]) && Number.isFinite(lo[i]) && Number.isFinite(hi[i]))) {
      const upper = run.map((i) => `${num(sx(s.x[i]))} ${num(sy(hi[i]))}`);
      const lower = [...run].reverse().map((i) => `${num(sx(s.x[i]))} ${num(sy(lo[i]))}`);
      svg.path(`M${upper.join('L')}L${lower.join('L')}Z`, { fill: s.color, opacity: BAND_OPACITY }, clip);
    }
  }
  for (const s of series) {
    for (const run of runs(s.x.length, (i) => xOk(s.x[i]) && Number.isFinite(s.y[i]))) {
      const d = run.map((i, k) => `${k ? 'L' : 'M'}${num(sx(s.x[i]))} ${num(sy(s.y[i]))}`).join('');
      svg.path(d, { stroke: s.color, width: 2, dash: s.dashed ? DASH : undefined }, clip);
    }
  }
  // Markers unclipped (a point on the frame stays a full dot) but only for points inside the domain.
  const tol = (d: [number, number]) => (d[1] - d[0]) * 1e-9;
  const inside = (xv: number, yv: number) =>
    xv >= xDomain[0] - tol(xDomain) && xv <= xDomain[1] + tol(xDomain) && yv >= yDomain[0] - tol(yDomain) && yv <= yDomain[1] + tol(yDomain);
  for (const s of series) {
    if (!s.markers) continue;
    for (let i = 0; i < s.x.length; i++) if (xOk(s.x[i]) && Number.isFinite(s.y[i]) && inside(s.x[i], s.y[i])) svg.circle(sx(s.x[i]), sy(s.y[i]), 3, s.color);
  }
  svg.rect(area.x, area.y, area.w, area.h, { stroke: AXIS_COLOR, width: 1 });
  if (legend && legendAt) drawLegend(svg, series, legendAt[0], legendAt[1], legend);
  return renderSvg(svg.toString());
}
