// Raw RGB -> PNG bytes (pngjs, synchronous, no filtering heuristics that depend on the machine).
import { PNG } from 'pngjs';
import { rangeError, typeError } from './errors';
import { checkInt, checkObject, describe } from './validate';

/** An 8-bit RGB raster, row-major, top row first. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export function checkRgbImage(where: string, name: string, value: unknown): RgbImage {
  const img = checkObject(where, name, value);
  const width = checkInt(where, `${name}.width`, img.width, 1);
  const height = checkInt(where, `${name}.height`, img.height, 1);
  if (!(img.rgb instanceof Uint8Array)) throw typeError(where, `${name}.rgb must be a Uint8Array, got ${describe(img.rgb)}`);
  if (img.rgb.length !== width * height * 3) {
    throw rangeError(where, `${name}.rgb has ${img.rgb.length} bytes but width x height x 3 = ${width * height * 3}`);
  }
  return { width, height, rgb: img.rgb };
}

/**
 * One fixed row filter (Sub) instead of pngjs's per-row search: deterministic, and the search's Math.abs
 * loop is very slow under jest's vm context. Spectrograms are smooth along time, so Sub compresses well.
 */
export function encodeRgbPng(image: RgbImage): Buffer {
  const png = new PNG(); // no size given: pngjs allocates no RGBA buffer we would throw away
  png.width = image.width;
  png.height = image.height;
  png.data = Buffer.from(image.rgb.buffer, image.rgb.byteOffset, image.rgb.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 1 });
}

/** PNG as a data: URI, for embedding rasters in SVG. */
export function pngDataUri(image: RgbImage): string {
  return `data:image/png;base64,${encodeRgbPng(image).toString('base64')}`;
}
