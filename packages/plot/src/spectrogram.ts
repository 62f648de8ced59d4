// Seed-style spectrogram rasters: values -> colormap -> RGB, highest bin on the top row, optional bilinear resize.
import { checkColormap, colormapLut, lutIndex, type ColormapName } from './colormaps';
import { encodeRgbPng, type RgbImage } from './png';
import { resizeBilinear } from './resize';
import { checkGrid, checkObject, optInt, valueRange } from './validate';

export interface SpectrogramImageOptions {
  colormap?: ColormapName;
  /** Value drawn with the colormap's first colour; default: the data's finite minimum. */
  vmin?: number;
  /** Value drawn with the colormap's last colour; default: the data's finite maximum. */
  vmax?: number;
  /** Output size in pixels; default: one pixel per frame (width) and per bin (height). */
  width?: number;
  height?: number;
}

/**
 * Colour a spectrogram `data` laid out [bins][frames] (row-major, bin 0 = lowest frequency).
 * t = (v - vmin) / (vmax - vmin), clamped to [0, 1], picks LUT entry floor(t * 256) (t = 1 -> 255);
 * NaN and -Infinity take the first colour, +Infinity the last. Bin 0 ends up on the bottom row.
 * When width/height differ from frames/bins the coloured image is resized with resizeBilinear
 * (colour first, then resize: the order the seed project's image pipeline used).
 */
export function spectrogramImage(data: Float32Array, bins: number, frames: number, opts: SpectrogramImageOptions = {}): RgbImage {
  const where = 'spectrogramImage';
  const grid = checkGrid(where, data, bins, frames, ['bins', 'frames']);
  const o = checkObject(where, 'opts', opts);
  const colormap = checkColormap(where, o.colormap, 'viridis');
  const width = optInt(where, 'width', o.width, 1, grid.cols);
  const height = optInt(where, 'height', o.height, 1, grid.rows);
  const [vmin, vmax] = valueRange(where, grid.data, o.vmin, o.vmax);
  const lut = colormapLut(colormap);
  const scale = vmax > vmin ? 1 / (vmax - vmin) : 0;
  // Degenerate scale (vmin = vmax): values above it take the last colour, the rest the first.
  const rgb = new Uint8Array(grid.rows * grid.cols * 3);
  for (let bin = 0; bin < grid.rows; bin++) {
    const row = grid.rows - 1 - bin;
    for (let f = 0; f < grid.cols; f++) {
      const v = grid.data[bin * grid.cols + f];
      const k = 3 * lutIndex(scale > 0 ? (v - vmin) * scale : v > vmax ? 1 : 0);
      const o3 = 3 * (row * grid.cols + f);
      rgb[o3] = lut[k];
      rgb[o3 + 1] = lut[k + 1];
      rgb[o3 + 2] = lut[k + 2];
    }
  }
  if (width === grid.cols && height === grid.rows) return { width, height, rgb };
  return { width, height, rgb: resizeBilinear(rgb, grid.rows, grid.cols, 3, height, width) };
}

/** spectrogramImage encoded as an RGB PNG (no axes, no text: the seed's model-input picture). */
export function spectrogramPng(data: Float32Array, bins: number, frames: number, opts: SpectrogramImageOptions = {}): Buffer {
  return encodeRgbPng(spectrogramImage(data, bins, frames, opts));
}
