// Line-plot legend: size, drawing, and the choice of a corner that hides no data.
import { FONT, type Area } from './axes';
import { BAND_OPACITY, DASH, runs, type Series } from './series';
import { baselineFor, type SvgDoc } from './svg';
import { fitText, textWidth } from './text';

type Scale = (v: number) => number;

export interface Legend {
  w: number;
  h: number;
}

const LEGEND_ROW = 18;
const SWATCH = 26;

export function legendSize(series: Series[]): Legend {
  const labelW = series.reduce((m, s) => Math.max(m, textWidth(s.label, FONT.legend)), 0);
  return { w: Math.ceil(10 + SWATCH + 8 + Math.min(labelW, 260) + 10), h: series.length * LEGEND_ROW + 10 };
}

export function drawLegend(svg: SvgDoc, series: Series[], x: number, y: number, size: Legend): void {
  svg.rect(x, y, size.w, size.h, { fill: '#ffffff', stroke: '#c8c8c8', width: 1 });
  series.forEach((s, i) => {
    const cy = y + 5 + LEGEND_ROW * i + LEGEND_ROW / 2;
    const sx = x + 10;
    if (s.lo) svg.rect(sx, cy - 6, SWATCH, 12, { fill: s.color, opacity: BAND_OPACITY });
    svg.line(sx, cy, sx + SWATCH, cy, { stroke: s.color, width: 2, dash: s.dashed ? DASH : undefined });
    if (s.markers) svg.circle(sx + SWATCH / 2, cy, 3, s.color);
    svg.text(sx + SWATCH + 8, baselineFor(cy, FONT.legend), fitText(s.label, 260, FONT.legend), { size: FONT.legend });
  });
}

/** Pixel samples along every drawn line and band edge, to find a legend corner that hides nothing. */
function samplePixels(series: Series[], sx: Scale, sy: Scale, xOk: (v: number) => boolean): [number, number][] {
  const pts: [number, number][] = [];
  for (const s of series) {
    for (const ys of [s.y, s.lo, s.hi]) {
      if (!ys) continue;
      for (const run of runs(s.x.length, (i) => xOk(s.x[i]) && Number.isFinite(ys[i]))) {
        for (let k = 0; k < run.length; k++) {
          const p = [sx(s.x[run[k]]), sy(ys[run[k]])];
          pts.push([p[0], p[1]]);
          if (k + 1 < run.length) {
            const q = [sx(s.x[run[k + 1]]), sy(ys[run[k + 1]])];
            const steps = Math.min(200, Math.ceil(Math.hypot(q[0] - p[0], q[1] - p[1]) / 4));
            for (let j = 1; j < steps; j++) pts.push([p[0] + ((q[0] - p[0]) * j) / steps, p[1] + ((q[1] - p[1]) * j) / steps]);
          }
        }
      }
    }
  }
  return pts;
}

/**
 * Top-left position of the legend inside `area`: the corner covering no data and farthest from it
 * (order of preference on ties: top right, top left, bottom right, bottom left), or undefined when every
 * corner covers data or the legend would fill most of the plot.
 */
export function insideCorner(series: Series[], legend: Legend, area: Area, sx: Scale, sy: Scale, xOk: (v: number) => boolean): [number, number] | undefined {
  const pts = samplePixels(series, sx, sy, xOk);
  const inset = 8;
  const corners: [number, number][] = [
    [area.x + area.w - inset - legend.w, area.y + inset],
    [area.x + inset, area.y + inset],
    [area.x + area.w - inset - legend.w, area.y + area.h - inset - legend.h],
    [area.x + inset, area.y + area.h - inset - legend.h],
  ];
  // Fewest covered samples first, then the corner farthest from any data (breathing room).
  const scored = corners.map(([cx, cy]) => {
    let hits = 0;
    let gap = Infinity;
    for (const [px, py] of pts) {
      const dx = Math.max(cx - px, 0, px - (cx + legend.w));
      const dy = Math.max(cy - py, 0, py - (cy + legend.h));
      const d = Math.hypot(dx, dy);
      if (d <= 4) hits++;
      gap = Math.min(gap, d);
    }
    return { hits, gap };
  });
  let best = 0;
  for (let i = 1; i < scored.length; i++) {
    const a = scored[i];
    const b = scored[best];
    if (a.hits < b.hits || (a.hits === b.hits && a.gap > b.gap)) best = i;
  }
  return scored[best].hits === 0 && legend.w < area.w * 0.6 && legend.h < area.h * 0.6 ? corners[best] : undefined;
}
