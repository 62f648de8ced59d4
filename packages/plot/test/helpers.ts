// Test helpers: decode PNGs and read pixels.
import { PNG } from 'pngjs';

export interface Decoded {
  width: number;
  height: number;
  data: Buffer;
  px(x: number, y: number): [number, number, number];
}

export function decode(png: Buffer): Decoded {
  const img = PNG.sync.read(png);
  return {
    width: img.width,
    height: img.height,
    data: img.data,
    px(x: number, y: number) {
      const o = 4 * (y * img.width + x);
      return [img.data[o], img.data[o + 1], img.data[o + 2]];
    },
  };
}

/** Pixels within `tol` (per channel) of `rgb` inside the rectangle [x0, x1) x [y0, y1). */
export function countNear(img: Decoded, rgb: readonly number[], tol: number, x0 = 0, y0 = 0, x1 = img.width, y1 = img.height): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = img.px(x, y);
      if (Math.abs(p[0] - rgb[0]) <= tol && Math.abs(p[1] - rgb[1]) <= tol && Math.abs(p[2] - rgb[2]) <= tol) n++;
    }
  }
  return n;
}

/** A pixel with colour (channels differ), as opposed to white background, grey grid or black text. */
export function isColoured(p: readonly number[]): boolean {
  return Math.max(p[0], p[1], p[2]) - Math.min(p[0], p[1], p[2]) > 40;
}

/** Number of differing pixels between two PNGs of the same size. */
export function diffPixels(a: Buffer, b: Buffer): number {
  const A = decode(a);
  const B = decode(b);
  if (A.width !== B.width || A.height !== B.height) throw new Error('sizes differ');
  let n = 0;
  for (let i = 0; i < A.data.length; i += 4) {
    if (A.data[i] !== B.data[i] || A.data[i + 1] !== B.data[i + 1] || A.data[i + 2] !== B.data[i + 2]) n++;
  }
  return n;
}

export function expectCodedError(fn: () => unknown, type: typeof TypeError | typeof RangeError, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(message);
  expect((caught as { code?: string }).code).toBe('E_INVALID_ARG');
}
