import { readFileSync } from 'fs';
import { join } from 'path';
import { colormapLut, spectrogramImage, spectrogramPng } from '../src';
import { decode, expectCodedError } from './helpers';

const VIRIDIS_0 = [68, 1, 84];
const VIRIDIS_1 = [253, 231, 37];

function ramp(bins: number, frames: number, f: (b: number, t: number) => number): Float32Array {
  const d = new Float32Array(bins * frames);
  for (let b = 0; b < bins; b++) for (let t = 0; t < frames; t++) d[b * frames + t] = f(b, t);
  return d;
}

describe('spectrogramPng', () => {
  it('decodes to frames x bins by default and to the requested size', () => {
    const data = ramp(10, 30, (b, t) => b + t);
    const a = decode(spectrogramPng(data, 10, 30));
    expect([a.width, a.height]).toEqual([30, 10]);
    const b = decode(spectrogramPng(data, 10, 30, { width: 128, height: 128 }));
    expect([b.width, b.height]).toEqual([128, 128]);
  });

  it('draws bin 0 (low frequency) on the bottom row', () => {
    const data = ramp(8, 5, (b) => (b === 0 ? 1 : 0));
    const img = decode(spectrogramPng(data, 8, 5));
    for (let x = 0; x < 5; x++) {
      expect(img.px(x, 7)).toEqual(VIRIDIS_1);
      expect(img.px(x, 0)).toEqual(VIRIDIS_0);
    }
  });

  it('maps vmin and vmax to the first and last colormap entries', () => {
    const data = Float32Array.from([-80, -40, 0]);
    const viridis = spectrogramImage(data, 1, 3);
    expect(Array.from(viridis.rgb.subarray(0, 3))).toEqual(VIRIDIS_0);
    expect(Array.from(viridis.rgb.subarray(6, 9))).toEqual(VIRIDIS_1);
    const magma = spectrogramImage(data, 1, 3, { colormap: 'magma' });
    expect(Array.from(magma.rgb.subarray(0, 3))).toEqual([0, 0, 4]);
    expect(Array.from(magma.rgb.subarray(6, 9))).toEqual([252, 253, 191]);
    const gray = spectrogramImage(data, 1, 3, { colormap: 'gray' });
    expect(Array.from(gray.rgb)).toEqual([0, 0, 0, 128, 128, 128, 255, 255, 255]);
  });

  it('uses the matplotlib LUT index floor(t * 256) and clamps outside [vmin, vmax]', () => {
    const lut = colormapLut('viridis');
    // t = 0.5 -> entry 128 (matplotlib viridis(0.5) = #21918c).
    expect(Array.from(lut.subarray(3 * 128, 3 * 128 + 3))).toEqual([0x21, 0x91, 0x8c]);
    const img = spectrogramImage(Float32Array.from([-100, -50, -40, -20, 10]), 1, 5, { vmin: -60, vmax: -20 });
    expect(Array.from(img.rgb.subarray(0, 3))).toEqual(VIRIDIS_0); // below vmin
    expect(Array.from(img.rgb.subarray(6, 9))).toEqual(Array.from(lut.subarray(3 * 128, 3 * 128 + 3))); // t = 0.5
    expect(Array.from(img.rgb.subarray(12, 15))).toEqual(VIRIDIS_1); // above vmax
  });

  it('defaults vmin/vmax to the finite data range (NaN cells take the first colour)', () => {
    const data = Float32Array.from([NaN, -3, 5, 1]);
    const auto = spectrogramImage(data, 2, 2);
    const explicit = spectrogramImage(data, 2, 2, { vmin: -3, vmax: 5 });
    expect(Array.from(auto.rgb)).toEqual(Array.from(explicit.rgb));
    // NaN is bin 0 frame 0 -> bottom-left pixel, first colour.
    expect(Array.from(auto.rgb.subarray(6, 9))).toEqual(VIRIDIS_0);
  });

  it('constant data gives the first colour everywhere', () => {
    const img = spectrogramImage(new Float32Array(6).fill(-12), 2, 3);
    for (let i = 0; i < 6; i++) expect(Array.from(img.rgb.subarray(3 * i, 3 * i + 3))).toEqual(VIRIDIS_0);
  });

  it('shows a rising chirp rising (real librosa log-mel of a 100 -> 7000 Hz sweep)', () => {
    const buf = readFileSync(join(__dirname, 'fixtures/chirp.speech16k.db.f32'));
    const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const bins = 80;
    const frames = data.length / bins;
    expect(frames).toBe(138);
    const img = decode(spectrogramPng(data, bins, frames, { colormap: 'gray' }));
    const peakRow = (x: number) => {
      let best = 0;
      for (let y = 1; y < img.height; y++) if (img.px(x, y)[0] > img.px(x, best)[0]) best = y;
      return best;
    };
    // Silence from 0.4 to 0.7 s = frames 40..70; the click is at frame 77.
    const rows = [10, 20, 30, 90, 110, 130].map(peakRow);
    for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeLessThan(rows[i - 1]); // top row = 0: higher pitch, smaller row
    expect(rows[0]).toBeGreaterThan(img.height / 2);
    expect(rows[rows.length - 1]).toBeLessThan(img.height / 4);
  });

  it('resizes the coloured image bilinearly (colour first, then resize)', () => {
    const data = Float32Array.from([0, 1]); // one bin, two frames
    const img = spectrogramImage(data, 1, 2, { colormap: 'gray', width: 4, height: 1 });
    expect(Array.from(img.rgb.filter((_, i) => i % 3 === 0))).toEqual([0, 64, 191, 255]);
  });

  it('is deterministic', () => {
    const data = ramp(64, 50, (b, t) => Math.sin(b * 0.3) * Math.cos(t * 0.2));
    expect(spectrogramPng(data, 64, 50, { width: 128, height: 128 }).equals(spectrogramPng(data, 64, 50, { width: 128, height: 128 }))).toBe(true);
  });

  it('rejects bad input with typed errors', () => {
    expectCodedError(() => spectrogramPng(new Float32Array(10), 3, 4), RangeError, /data has 10 values but bins x frames = 3 x 4 = 12/);
    expectCodedError(() => spectrogramPng(new Float32Array(0), 0, 4), RangeError, /bins must be an integer in \[1/);
    expectCodedError(() => spectrogramPng(new Float32Array(4).fill(NaN), 2, 2), RangeError, /no finite value/);
    expectCodedError(() => spectrogramPng([1, 2] as unknown as Float32Array, 1, 2), TypeError, /Float32Array/);
    expectCodedError(() => spectrogramPng(new Float32Array(4), 2, 2, { vmin: 1, vmax: 0 }), RangeError, /vmin \(1\) must not exceed vmax \(0\)/);
    expectCodedError(() => spectrogramPng(new Float32Array(4), 2, 2, { colormap: 'jet' as 'gray' }), RangeError, /unknown colormap 'jet'/);
    expectCodedError(() => spectrogramPng(new Float32Array(4), 2, 2, { width: 0 }), RangeError, /width must be an integer/);
    expectCodedError(() => spectrogramPng(new Float32Array(4), 2, 2, { vmax: NaN }), RangeError, /vmax must be finite/);
  });
});
