// Heat map with axes and a colour bar: mean spectrograms and their difference (issue 3's analysis).
import { AXIS_COLOR, BOTTOM_MARGIN, drawTitle, drawXAxis, drawYAxis, FONT, leftMargin, TICK_LEN, titleMargin, type Area, type PlacedTick } from './axes';
import { checkColormap, colormapLut, lutIndex, type ColormapName } from './colormaps';
import { rangeError, typeError } from './errors';
import type { RgbImage } from './png';
import { renderSvg } from './render';
import { resampleArea } from './resize';
import { baselineFor, SvgDoc } from './svg';
import { textWidth } from './text';
import { formatTick, linearTicks } from './ticks';
import { checkFinite, checkGrid, checkObject, checkString, finiteRange, optInt, optString, valueRange, type NumericArray } from './validate';

export interface HeatmapOptions {
  /** rows x cols values, row-major; row 0 is drawn at the BOTTOM (lowest frequency). */
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
  title?: string;
  /** Horizontal axis: `min` is the left edge of column 0, `max` the right edge of the last column. */
  x: { label: string; min: number; max: number };
  /**
   * Vertical axis. Tick `value` is a row index (fractional ok) and marks the CENTRE of that row,
   * e.g. the mel bin whose centre frequency is the label. Without ticks, row indices are labelled.
   */
  y: { label: string; ticks?: { value: number; label: string }[] };
  colorbar: { label: string };
  /** Default 'viridis'. 'diverging' centres on 0: default limits are +-max|data| (0 is white). */
  colormap?: ColormapName;
  vmin?: number;
  vmax?: number;
  /** Canvas size in pixels (default 820 x 480). */
  width?: number;
  height?: number;
}

const NAN_RGB = [200, 200, 200];
const BAR_WIDTH = 16;

/** Colour a float grid (top row first) through a LUT; non-finite cells are light grey. */
function colorize(values: ArrayLike<number>, w: number, h: number, cmap: ColormapName, vmin: number, vmax: number, flip: boolean): RgbImage {
  const lut = colormapLut(cmap);
  const scale = vmax > vmin ? 1 / (vmax - vmin) : 0;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = flip ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const v = values[src * w + x];
      const o = 3 * (y * w + x);
      if (v - v === 0) {
        const k = 3 * lutIndex((v - vmin) * scale);
        rgb[o] = lut[k];
        rgb[o + 1] = lut[k + 1];
        rgb[o + 2] = lut[k + 2];
      } else {
        rgb.set(NAN_RGB, o);
      }
    }
  }
  return { width: w, height: h, rgb };
}

function defaultLimits(cmap: ColormapName, data: NumericArray): [number, number] {
  const [lo, hi] = finiteRange(data) as [number, number];
  if (cmap !== 'diverging') return [lo, hi];
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  return m > 0 ? [-m, m] : [-1, 1];
}

function checkYTicks(where: string, value: unknown): { value: number; label: string }[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw typeError(where, 'y.ticks must be an array of {value, label}');
  return value.map((t, i) => {
    const o = checkObject(where, `y.ticks[${i}]`, t);
    return { value: checkFinite(where, `y.ticks[${i}].value`, o.value), label: checkString(where, `y.ticks[${i}].label`, o.label) };
  });
}

export function heatmapPng(opts: HeatmapOptions): Buffer {
  const where = 'heatmapPng';
  const o = checkObject(where, 'opts', opts);
  const grid = checkGrid(where, o.data, o.rows, o.cols);
  const title = optString(where, 'title', o.title);
  const xo = checkObject(where, 'x', o.x);
  const xLabel = checkString(where, 'x.label', xo.label);
  const xMin = checkFinite(where, 'x.min', xo.min);
  const xMax = checkFinite(where, 'x.max', xo.max);
  if (!(xMax > xMin)) throw rangeError(where, `x.max (${xMax}) must be greater than x.min (${xMin})`);
  const yo = checkObject(where, 'y', o.y);
  const yLabel = checkString(where, 'y.label', yo.label);
  const yTicksIn = checkYTicks(where, yo.ticks);
  const cbLabel = checkString(where, 'colorbar.label', checkObject(where, 'colorbar', o.colorbar).label);
  const cmap = checkColormap(where, o.colormap, 'viridis');
  const [vmin, vmax] = valueRange(where, grid.data, o.vmin, o.vmax, defaultLimits(cmap, grid.data));
  const W = optInt(where, 'width', o.width, 200, 820);
  const H = optInt(where, 'height', o.height, 150, 480);

  // Tick labels first: their widths decide the margins.
  const rowTicks = (yTicksIn ?? linearTicks(0, grid.rows - 1, 6)).filter((t) => t.value >= -0.5 && t.value <= grid.rows - 0.5);
  const barTicks = vmax > vmin ? linearTicks(vmin, vmax, Math.max(2, Math.round((H - 120) / 50))) : [{ value: vmin, label: formatTick(vmin, Math.abs(vmin) / 10 || 1) }];
  const barTickWidth = barTicks.reduce((m, t) => Math.max(m, textWidth(t.label, FONT.tick)), 0);
  const left = leftMargin(rowTicks.map((t) => ({ pos: 0, label: t.label })), yLabel !== '');
  const right = Math.ceil(18 + BAR_WIDTH + TICK_LEN + 4 + barTickWidth + (cbLabel ? 10 + FONT.label : 0) + 12);
  const top = titleMargin(title);
  const area: Area = { x: left.margin, y: top, w: W - left.margin - right, h: H - top - BOTTOM_MARGIN };
  if (area.w < 40 || area.h < 40) {
    throw rangeError(where, `a ${W} x ${H} canvas leaves a ${area.w} x ${area.h} plot area after axes and colour bar; make it larger`);
  }

  const svg = new SvgDoc(W, H);
  drawTitle(svg, title, W);
  const display = resampleArea(grid.data, grid.rows, grid.cols, area.h, area.w);
  svg.image(area.x, area.y, colorize(display, area.w, area.h, cmap, vmin, vmax, true));
  svg.rect(area.x, area.y, area.w, area.h, { stroke: AXIS_COLOR, width: 1 });

  const xTicks: PlacedTick[] = linearTicks(xMin, xMax, Math.max(2, Math.round(area.w / 90))).map((t) => ({
    pos: area.x + ((t.value - xMin) / (xMax - xMin)) * area.w,
    label: t.label,
  }));
  drawXAxis(svg, area, xTicks, xLabel, false);
  const yTicks: PlacedTick[] = rowTicks.map((t) => ({ pos: area.y + area.h - ((t.value + 0.5) / grid.rows) * area.h, label: t.label }));
  drawYAxis(svg, area, yTicks, yLabel, false, left.labelX);

  drawColorbar(svg, { x: area.x + area.w + 18, y: area.y, w: BAR_WIDTH, h: area.h }, cmap, vmin, vmax, barTicks, cbLabel);
  return renderSvg(svg.toString());
}

function drawColorbar(
  svg: SvgDoc,
  bar: Area,
  cmap: ColormapName,
  vmin: number,
  vmax: number,
  ticks: { value: number; label: string }[],
  label: string,
): void {
  // One row per pixel, top = vmax; value at the pixel centre.
  const values = new Float64Array(bar.h * bar.w);
  for (let y = 0; y < bar.h; y++) values.fill(vmax - ((y + 0.5) / bar.h) * (vmax - vmin), y * bar.w, (y + 1) * bar.w);
  svg.image(bar.x, bar.y, colorize(values, bar.w, bar.h, cmap, vmin, vmax, false));
  svg.rect(bar.x, bar.y, bar.w, bar.h, { stroke: AXIS_COLOR, width: 1 });
  const tx = bar.x + bar.w;
  let labelRight = tx;
  for (const t of ticks) {
    const y = vmax > vmin ? bar.y + bar.h - ((t.value - vmin) / (vmax - vmin)) * bar.h : bar.y + bar.h / 2;
    svg.line(tx, y, tx + TICK_LEN, y, { stroke: AXIS_COLOR });
    svg.text(tx + TICK_LEN + 3, baselineFor(y, FONT.tick), t.label, { size: FONT.tick });
    labelRight = Math.max(labelRight, tx + TICK_LEN + 3 + textWidth(t.label, FONT.tick));
  }
  if (label) svg.text(labelRight + 8 + FONT.label * 0.8, bar.y + bar.h / 2, label, { size: FONT.label, anchor: 'middle', rotate: -90 });
}
