// Axis drawing shared by heat maps and line plots: tick marks, labels (thinned when they would collide),
// axis titles and the optional grid.
import { baselineFor, type SvgDoc } from './svg';
import { fitText, textWidth } from './text';

export const FONT = { title: 16, label: 13, tick: 11, legend: 12 } as const;
export const TICK_LEN = 5;
export const AXIS_COLOR = '#333333';
export const GRID_COLOR = '#e3e3e3';

export interface Area {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A tick already mapped to its pixel coordinate along the axis. */
export interface PlacedTick {
  pos: number;
  label: string;
}

/** Drop ticks (in order) whose labels would overlap the last kept one; `extent` gives a label's size along the axis. */
export function thin(ticks: PlacedTick[], extent: (t: PlacedTick) => number, gap: number): PlacedTick[] {
  const kept: PlacedTick[] = [];
  for (const t of ticks) {
    const prev = kept[kept.length - 1];
    if (prev && Math.abs(t.pos - prev.pos) < (extent(prev) + extent(t)) / 2 + gap) continue;
    kept.push(t);
  }
  return kept;
}

export function drawXAxis(svg: SvgDoc, area: Area, ticks: PlacedTick[], label: string, grid: boolean): void {
  const bottom = area.y + area.h;
  const shown = thin(ticks, (t) => textWidth(t.label, FONT.tick), 8);
  for (const t of shown) {
    if (grid) svg.line(t.pos, area.y, t.pos, bottom, { stroke: GRID_COLOR, width: 1 });
    svg.line(t.pos, bottom, t.pos, bottom + TICK_LEN, { stroke: AXIS_COLOR });
    svg.text(t.pos, bottom + TICK_LEN + FONT.tick + 2, t.label, { size: FONT.tick, anchor: 'middle' });
  }
  svg.text(area.x + area.w / 2, bottom + TICK_LEN + FONT.tick + FONT.label + 12, label, { size: FONT.label, anchor: 'middle' });
}

/** Width the y tick labels need (for the left margin). */
export function yTickWidth(ticks: PlacedTick[]): number {
  return ticks.reduce((m, t) => Math.max(m, textWidth(t.label, FONT.tick)), 0);
}

export function drawYAxis(svg: SvgDoc, area: Area, ticks: PlacedTick[], label: string, grid: boolean, labelX: number): void {
  // Bottom-up so the lowest tick (usually the axis origin) always survives thinning.
  const ordered = [...ticks].sort((a, b) => b.pos - a.pos);
  const shown = thin(ordered, () => FONT.tick, 3);
  for (const t of shown) {
    if (grid) svg.line(area.x, t.pos, area.x + area.w, t.pos, { stroke: GRID_COLOR, width: 1 });
    svg.line(area.x - TICK_LEN, t.pos, area.x, t.pos, { stroke: AXIS_COLOR });
    svg.text(area.x - TICK_LEN - 3, baselineFor(t.pos, FONT.tick), t.label, { size: FONT.tick, anchor: 'end' });
  }
  const cy = area.y + area.h / 2;
  svg.text(labelX, cy, label, { size: FONT.label, anchor: 'middle', rotate: -90 });
}

/** Left margin: outer padding + rotated axis title + tick labels + tick marks. */
export function leftMargin(yTicks: PlacedTick[], hasLabel: boolean): { margin: number; labelX: number } {
  const pad = 12;
  const labelX = pad + FONT.label;
  const margin = (hasLabel ? labelX + 8 : pad) + yTickWidth(yTicks) + TICK_LEN + 4;
  return { margin: Math.ceil(margin), labelX };
}

/** Bottom margin: tick marks + tick labels + axis title + padding. */
export const BOTTOM_MARGIN = TICK_LEN + FONT.tick + FONT.label + 24;

export function titleMargin(title: string | undefined): number {
  return title ? 40 : 16;
}

export function drawTitle(svg: SvgDoc, title: string | undefined, width: number): void {
  if (title) svg.text(width / 2, 26, fitText(title, width - 20, FONT.title, true), { size: FONT.title, anchor: 'middle', bold: true });
}
