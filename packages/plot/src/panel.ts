// Grid of titled image tiles: the seed's prediction panel ("true: FAKE / pred: REAL 0.31"), wrong ones framed red.
import { rangeError, typeError } from './errors';
import { checkRgbImage, type RgbImage } from './png';
import { renderSvg } from './render';
import { resizeBilinear } from './resize';
import { SvgDoc } from './svg';
import { fitText } from './text';
import { checkInt, checkObject, checkString, describe, MAX_SIDE, optInt, optString } from './validate';

export interface PanelTile {
  image: RgbImage;
  title: string;
  subtitle?: string;
  /** Red frame and red title (e.g. a wrong prediction). */
  marked?: boolean;
}

export interface PanelOptions {
  title?: string;
  columns: number;
  tiles: PanelTile[];
  /** Displayed image width in pixels; default: the widest image scaled by an integer so it is >= 180 px. */
  tileWidth?: number;
  /** A line under the grid, e.g. "red frame = wrong prediction". */
  note?: string;
}

export const MARK_COLOR = '#d62728';
const PAD = 14;
const TITLE_SIZE = 13;
const SUBTITLE_SIZE = 11;
const FRAME = 4;

/** Scale to the display size: pixel replication for integer factors (crisp), bilinear otherwise. */
function scaleTo(img: RgbImage, w: number, h: number): RgbImage {
  if (w === img.width && h === img.height) return img;
  if (w % img.width === 0 && h % img.height === 0) {
    const fx = w / img.width;
    const fy = h / img.height;
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      const row = ((y / fy) | 0) * img.width;
      for (let x = 0; x < w; x++) {
        const s = 3 * (row + ((x / fx) | 0));
        const o = 3 * (y * w + x);
        rgb[o] = img.rgb[s];
        rgb[o + 1] = img.rgb[s + 1];
        rgb[o + 2] = img.rgb[s + 2];
      }
    }
    return { width: w, height: h, rgb };
  }
  return { width: w, height: h, rgb: resizeBilinear(img.rgb, img.height, img.width, 3, h, w) };
}

export function panelPng(opts: PanelOptions): Buffer {
  const where = 'panelPng';
  const o = checkObject(where, 'opts', opts);
  const title = optString(where, 'title', o.title);
  const note = optString(where, 'note', o.note);
  const columns = checkInt(where, 'columns', o.columns, 1, 1000);
  if (!Array.isArray(o.tiles)) throw typeError(where, `tiles must be an array, got ${describe(o.tiles)}`);
  if (o.tiles.length === 0) throw rangeError(where, 'tiles is empty: nothing to draw');
  const tiles = o.tiles.map((t, i) => {
    const to = checkObject(where, `tiles[${i}]`, t);
    return {
      image: checkRgbImage(where, `tiles[${i}].image`, to.image),
      title: checkString(where, `tiles[${i}].title`, to.title),
      subtitle: optString(where, `tiles[${i}].subtitle`, to.subtitle),
      marked: to.marked === true,
    };
  });
  const maxW = Math.max(...tiles.map((t) => t.image.width));
  const tileW = optInt(where, 'tileWidth', o.tileWidth, 16, maxW < 180 ? maxW * Math.ceil(180 / maxW) : maxW);
  // Every image keeps its aspect ratio at width tileW; rows are as tall as their tallest image.
  const shown = tiles.map((t) => ({ ...t, h: Math.max(1, Math.round((t.image.height * tileW) / t.image.width)) }));
  const hasSubtitle = shown.some((t) => t.subtitle);
  const header = TITLE_SIZE + 6 + (hasSubtitle ? SUBTITLE_SIZE + 5 : 0) + FRAME + 2;
  const cols = Math.min(columns, shown.length);
  const rows = Math.ceil(shown.length / cols);
  const rowHeights = Array.from({ length: rows }, (_, r) => Math.max(...shown.slice(r * cols, (r + 1) * cols).map((t) => t.h)));
  const cellW = tileW + 2 * FRAME + PAD;
  const top = title ? 44 : PAD;
  const W = PAD + cols * cellW;
  const H = top + rowHeights.reduce((a, h) => a + header + h + FRAME + PAD, 0) + (note ? 24 : 0);
  if (W > MAX_SIDE || H > MAX_SIDE) {
    throw rangeError(where, `the panel would be ${W} x ${H} px (max ${MAX_SIDE}); use fewer tiles, more columns or a smaller tileWidth`);
  }

  const svg = new SvgDoc(W, H);
  if (title) svg.text(W / 2, 28, fitText(title, W - 20, 16, true), { size: 16, anchor: 'middle', bold: true });
  let y = top;
  for (let r = 0; r < rows; r++) {
    shown.slice(r * cols, (r + 1) * cols).forEach((t, c) => {
      const x = PAD + c * cellW;
      const color = t.marked ? MARK_COLOR : '#222222';
      const cx = x + FRAME + tileW / 2;
      svg.text(cx, y + TITLE_SIZE, fitText(t.title, tileW + 2 * FRAME, TITLE_SIZE, true), { size: TITLE_SIZE, anchor: 'middle', bold: true, color });
      if (t.subtitle) {
        svg.text(cx, y + TITLE_SIZE + 5 + SUBTITLE_SIZE, fitText(t.subtitle, tileW + 2 * FRAME, SUBTITLE_SIZE), {
          size: SUBTITLE_SIZE,
          anchor: 'middle',
          color: t.marked ? MARK_COLOR : '#555555',
        });
      }
      const iy = y + header;
      svg.image(x + FRAME, iy, scaleTo(t.image, tileW, t.h));
      if (t.marked) svg.rect(x + FRAME / 2, iy - FRAME / 2, tileW + FRAME, t.h + FRAME, { stroke: MARK_COLOR, width: FRAME });
      else svg.rect(x + FRAME - 0.5, iy - 0.5, tileW + 1, t.h + 1, { stroke: '#9a9a9a', width: 1 });
    });
    y += header + rowHeights[r] + FRAME + PAD;
  }
  if (note) svg.text(W / 2, H - 10, fitText(note, W - 20, 12), { size: 12, anchor: 'middle', color: '#555555' });
  return renderSvg(svg.toString());
}
