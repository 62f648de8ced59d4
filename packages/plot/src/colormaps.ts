// Colour lookup tables: 256 RGB entries each, indexed the way matplotlib does (floor(t * 256), t = 1 -> 255).
import { DIVERGING_ANCHORS_HEX, MAGMA_HEX, VIRIDIS_HEX } from './colormap-data';
import { rangeError, typeError } from './errors';

export type ColormapName = 'viridis' | 'magma' | 'gray' | 'diverging';
export const COLORMAPS: readonly ColormapName[] = ['viridis', 'magma', 'gray', 'diverging'];
export const LUT_SIZE = 256;

function fromHex(hex: string): Uint8Array {
  const lut = new Uint8Array(hex.length / 2);
  for (let i = 0; i < lut.length; i++) lut[i] = parseInt(hex.substr(2 * i, 2), 16);
  return lut;
}

function grayLut(): Uint8Array {
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.fill(i, 3 * i, 3 * i + 3);
  return lut;
}

/** Piecewise-linear interpolation between equally spaced anchors (sRGB, rounded to 8 bits). */
function anchorsLut(anchorsHex: readonly string[]): Uint8Array {
  const anchors = anchorsHex.map(fromHex);
  const lut = new Uint8Array(LUT_SIZE * 3);
  const segments = anchors.length - 1;
  for (let i = 0; i < LUT_SIZE; i++) {
    const pos = (i / (LUT_SIZE - 1)) * segments;
    const k = Math.min(Math.floor(pos), segments - 1);
    const f = pos - k;
    for (let c = 0; c < 3; c++) lut[3 * i + c] = Math.round(anchors[k][c] * (1 - f) + anchors[k + 1][c] * f);
  }
  return lut;
}

const cache = new Map<ColormapName, Uint8Array>();

/** The 256 x 3 table of a colormap (shared: do not mutate). */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    if (name === 'viridis') lut = fromHex(VIRIDIS_HEX);
    else if (name === 'magma') lut = fromHex(MAGMA_HEX);
    else if (name === 'gray') lut = grayLut();
    else lut = anchorsLut(DIVERGING_ANCHORS_HEX);
    cache.set(name, lut);
  }
  return lut;
}

export function checkColormap(where: string, value: unknown, fallback: ColormapName, allowed = COLORMAPS): ColormapName {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw typeError(where, `colormap must be a string, got ${typeof value}`);
  if (!allowed.includes(value as ColormapName)) {
    throw rangeError(where, `unknown colormap '${value}' (expected one of ${allowed.join(', ')})`);
  }
  return value as ColormapName;
}

/** LUT index of a normalised value t (clamped to [0, 1]); a degenerate scale maps everything to 0. */
export function lutIndex(t: number): number {
  if (!(t > 0)) return 0; // also NaN
  if (t >= 1) return LUT_SIZE - 1;
  return (t * LUT_SIZE) | 0;
}

/** Colour of value v on the scale [vmin, vmax] as [r, g, b]. */
export function colorOf(name: ColormapName, v: number, vmin: number, vmax: number): [number, number, number] {
  const lut = colormapLut(name);
  const i = 3 * lutIndex(vmax > vmin ? (v - vmin) / (vmax - vmin) : 0);
  return [lut[i], lut[i + 1], lut[i + 2]];
}
