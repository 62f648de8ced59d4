import {
  colormapIndex,
  modelInputLayout,
  resizeBilinear,
  spectrogramFrames,
  toModelInput,
  viridis,
} from '../src/model-input';
import type { InputTransform, ModelInputSpec } from '../src/model-spec';
import type { SpectrogramOptions } from '../src/types';

const rgb = (i: number) => Array.from(viridis.subarray(i * 3, i * 3 + 3));

/** A [bins][frames] window whose value encodes its position: 100*bin + frame. */
function ramp(bins: number, frames: number): Float32Array {
  const w = new Float32Array(bins * frames);
  for (let b = 0; b < bins; b++) for (let f = 0; f < frames; f++) w[b * frames + f] = 100 * b + f;
  return w;
}

const speech16k: SpectrogramOptions = {
  sr: 16000, nFft: 512, hopLength: 160, winLength: 400, window: 'hann', center: true, padMode: 'constant',
  power: 2, nMels: 80, fMin: 20, fMax: 8000, htk: false, norm: 'slaney', scale: 'db', ref: 'max', amin: 1e-10, topDb: 80,
};

describe('viridis table', () => {
  it('has 256 entries with the published endpoints and midpoint', () => {
    expect(viridis.length).toBe(768);
    expect(rgb(0)).toEqual([0x44, 0x01, 0x54]);
    expect(rgb(128)).toEqual([0x21, 0x91, 0x8c]);
    expect(rgb(255)).toEqual([0xfd, 0xe7, 0x25]);
  });

  it('is ordered by lightness: relative luminance rises over every two entries (8-bit rounding allows ties)', () => {
    const linear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const lum = (i: number) => {
      const [r, g, b] = rgb(i).map((v) => linear(v / 255));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (let i = 2; i < 256; i++) expect(lum(i)).toBeGreaterThan(lum(i - 2));
    for (let i = 1; i < 256; i++) expect(lum(i)).toBeGreaterThan(lum(i - 1) - 0.002);
  });

  it('indexes like matplotlib: floor(t*256), clipped, 1.0 -> last entry', () => {
    expect(colormapIndex(-3)).toBe(0);
    expect(colormapIndex(NaN)).toBe(0);
    expect(colormapIndex(0)).toBe(0);
    expect(colormapIndex(1 / 256 - 1e-9)).toBe(0);
    expect(colormapIndex(1 / 256)).toBe(1);
    expect(colormapIndex(0.5)).toBe(128);
    expect(colormapIndex(0.999)).toBe(255);
    expect(colormapIndex(1)).toBe(255);
    expect(colormapIndex(7)).toBe(255);
  });
});

describe('resizeBilinear', () => {
  it('upsamples 2x2 -> 4x4 with half-pixel centres (hand-computed)', () => {
    // src(y, x) = 2y + x is linear, so bilinear reproduces it at the sampled coordinates:
    // dst index d -> source (d + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to 0, 0.25, 0.75, 1.
    const out = resizeBilinear([0, 1, 2, 3], 2, 2, 4, 4);
    const c = [0, 0.25, 0.75, 1];
    const expected = c.flatMap((fy) => c.map((fx) => 2 * fy + fx));
    expect(Array.from(out)).toEqual(expected);
  });

  it('downsamples 1x4 -> 1x2 by averaging neighbours (source x = 0.5 and 2.5)', () => {
    expect(Array.from(resizeBilinear([0, 10, 20, 40], 1, 4, 1, 2))).toEqual([5, 30]);
  });

  it('copies exactly at equal size and writes at an offset without touching the rest', () => {
    const src = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const out = new Float32Array(10).fill(-1);
    resizeBilinear(src, 2, 3, 2, 3, out, 2);
    expect(Array.from(out.subarray(2, 8))).toEqual(Array.from(src));
    expect([out[0], out[1], out[8], out[9]]).toEqual([-1, -1, -1, -1]);
  });

  it('rejects bad sizes and a short output', () => {
    expect(() => resizeBilinear([1, 2], 1, 2, 0, 2)).toThrow(RangeError);
    expect(() => resizeBilinear([1, 2], 1, 3, 1, 2)).toThrow(/src/);
    expect(() => resizeBilinear([1, 2], 1, 2, 2, 2, new Float32Array(3))).toThrow(/out needs 4/);
  });
});

describe('toModelInput: affine', () => {
  const spec = { transform: { kind: 'affine', scale: 0.5, offset: -2 } as InputTransform, shape: [1, 3, 4] as [number, number, number] };

  it('applies x*scale + offset in [1][bins][frames] order', () => {
    const w = ramp(3, 4);
    const out = toModelInput(w, 3, 4, spec);
    expect(out.length).toBe(12);
    for (let i = 0; i < 12; i++) expect(out[i]).toBeCloseTo(w[i] * 0.5 - 2, 6);
    expect(out[0]).toBe(-2); // bin 0, frame 0 stays first: no flip
    expect(out[1 * 4 + 3]).toBeCloseTo((100 + 3) * 0.5 - 2, 6);
  });

  it('writes at an offset of a batch buffer', () => {
    const batch = new Float32Array(36).fill(99);
    toModelInput(ramp(3, 4), 3, 4, spec, batch, 12);
    expect(batch[11]).toBe(99);
    expect(batch[12]).toBe(-2);
    expect(batch[24]).toBe(99);
  });

  it('rejects a shape that contradicts the spec, a short window and a short output', () => {
    expect(() => toModelInput(ramp(3, 5), 3, 5, spec)).toThrow(/\[1,3,5\].*\[1,3,4\]/);
    expect(() => toModelInput(new Float32Array(5), 3, 4, spec)).toThrow(RangeError);
    expect(() => toModelInput(ramp(3, 4), 3, 4, spec, new Float32Array(20), 10)).toThrow(/out needs 12/);
  });
});

describe('toModelInput: image', () => {
  const image = (size: [number, number], vmin = -80, vmax = 0) => ({
    transform: { kind: 'image', colormap: 'viridis', vmin, vmax, size } as InputTransform,
    shape: [3, size[0], size[1]] as [number, number, number],
  });

  it('maps vmin/vmax to the colour map endpoints, channels first', () => {
    // 1 bin x 2 frames: frame 0 at vmin, frame 1 at vmax; below/above the range clip to the ends.
    const out = toModelInput(Float32Array.from([-80, 0]), 1, 2, image([1, 2]));
    const [r0, g0, b0] = rgb(0).map((v) => v / 255);
    const [r1, g1, b1] = rgb(255).map((v) => v / 255);
    expect(Array.from(out)).toEqual(Array.from(Float32Array.from([r0, r1, g0, g1, b0, b1])));
    const clipped = toModelInput(Float32Array.from([-200, 30]), 1, 2, image([1, 2]));
    expect(Array.from(clipped)).toEqual(Array.from(out));
  });

  it('puts low frequencies at the bottom: image row 0 is the highest bin', () => {
    // 3 bins x 2 frames; bin b is constant at a value whose colour index is 0, 128, 255.
    const w = Float32Array.from([-80, -80, -40, -40, 0, 0]);
    const out = toModelInput(w, 3, 2, image([3, 2]));
    const red = (row: number) => out[row * 2]; // channel 0, [row][col 0]
    expect(red(0)).toBeCloseTo(rgb(255)[0] / 255, 6); // top row: bin 2 (highest, 0 dB)
    expect(red(1)).toBeCloseTo(rgb(128)[0] / 255, 6);
    expect(red(2)).toBeCloseTo(rgb(0)[0] / 255, 6); // bottom row: bin 0
    const green = (row: number, col: number) => out[6 + row * 2 + col];
    expect(green(0, 1)).toBeCloseTo(rgb(255)[1] / 255, 6);
    expect(green(2, 1)).toBeCloseTo(rgb(0)[1] / 255, 6);
  });

  it('resizes each coloured channel bilinearly to `size`', () => {
    // 2 bins x 2 frames -> 4 x 4: expected = resize of the coloured, flipped planes.
    const w = Float32Array.from([-80, -20, -60, 0]);
    const out = toModelInput(w, 2, 2, image([4, 4]));
    expect(out.length).toBe(48);
    const idx = [colormapIndex(0), colormapIndex(0.75), colormapIndex(0.25), colormapIndex(1)]; // [bin][frame]
    for (let c = 0; c < 3; c++) {
      // flipped: image row 0 = bin 1
      const plane = [idx[2], idx[3], idx[0], idx[1]].map((k) => viridis[k * 3 + c] / 255);
      const expected = resizeBilinear(plane, 2, 2, 4, 4);
      for (let i = 0; i < 16; i++) expect(out[c * 16 + i]).toBeCloseTo(expected[i], 6);
    }
    // corners keep the source pixels exactly (half-pixel centres clamp at the edges)
    expect(out[0]).toBeCloseTo(rgb(colormapIndex(0.25))[0] / 255, 6); // top-left = bin 1, frame 0
    expect(out[15]).toBeCloseTo(rgb(colormapIndex(0.75))[0] / 255, 6); // bottom-right = bin 0, frame 1
  });

  it('gives the seed shape [3,128,128] and values in [0,1]; rejects vmax <= vmin', () => {
    const w = new Float32Array(128 * 130).map((_, i) => -80 * ((i * 7919) % 1000) / 1000);
    const out = toModelInput(w, 128, 130, image([128, 128]));
    expect(out.length).toBe(3 * 128 * 128);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    expect(() => toModelInput(Float32Array.from([0, 0]), 1, 2, image([1, 2], 0, 0))).toThrow(/vmax > vmin/);
  });
});

describe('modelInputLayout', () => {
  const spec = (transform: InputTransform, shape: [number, number, number]): ModelInputSpec => ({
    features: speech16k,
    windowing: { windowSeconds: 4, hopSeconds: 2, minSeconds: 1 },
    transform,
    inputName: 'input',
    shape,
    outputName: 'output',
  });

  it('derives window samples, bins, frames (librosa framing) and the tensor shape', () => {
    const l = modelInputLayout(spec({ kind: 'affine', scale: 1 / 80, offset: 1 }, [1, 80, 401]));
    expect(l).toEqual({ windowSamples: 64000, bins: 80, frames: 401, shape: [1, 80, 401], size: 80 * 401 });
    const img = modelInputLayout(spec({ kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [128, 128] }, [3, 128, 128]));
    expect(img.size).toBe(3 * 128 * 128);
    expect(spectrogramFrames({ ...speech16k, nMels: 0 }, 64000)).toBe(401);
    expect(spectrogramFrames({ ...speech16k, center: false }, 64000)).toBe(1 + Math.floor((64000 - 512) / 160));
  });

  it('rejects a declared shape that the features do not produce', () => {
    expect(() => modelInputLayout(spec({ kind: 'affine', scale: 1, offset: 0 }, [1, 80, 400]))).toThrow(/inconsistent.*\[1,80,401\]/);
  });
});
