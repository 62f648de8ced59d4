import { resampleArea, resizeBilinear } from '../src';
import { expectCodedError } from './helpers';

describe('resizeBilinear (half-pixel centres, edge clamp)', () => {
  it('upsamples 1 x 2 -> 1 x 4 as hand-computed', () => {
    // dst x -> src (x + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    const out = resizeBilinear(Float32Array.from([0, 100]), 1, 2, 1, 1, 4);
    expect(Array.from(out)).toEqual([0, 25, 75, 100]);
  });

  it('upsamples 2 x 2 -> 4 x 4 as hand-computed: v(y, x) = 100 cx + 200 cy with c = [0, .25, .75, 1]', () => {
    const out = resizeBilinear(Float64Array.from([0, 100, 200, 300]), 2, 2, 1, 4, 4);
    const c = [0, 0.25, 0.75, 1];
    const expected: number[] = [];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expected.push(100 * c[x] + 200 * c[y]);
    expect(Array.from(out)).toEqual(expected);
    expect(out[1 * 4 + 2]).toBe(125);
  });

  it('downsamples 1 x 4 -> 1 x 2 by averaging neighbour pairs (src x = 0.5 and 2.5)', () => {
    expect(Array.from(resizeBilinear(Float32Array.from([0, 10, 20, 30]), 1, 4, 1, 1, 2))).toEqual([5, 25]);
  });

  it('keeps channels separate in interleaved images', () => {
    const src = Float32Array.from([0, 10, 100, 40, 50, 200]); // 1 x 2, 3 channels
    const out = resizeBilinear(src, 1, 2, 3, 1, 4);
    expect(Array.from(out)).toEqual([0, 10, 100, 10, 20, 125, 30, 40, 175, 40, 50, 200]);
  });

  it('returns Uint8Array rounded half up for byte input', () => {
    const out = resizeBilinear(Uint8Array.from([0, 2]), 1, 2, 1, 1, 4); // 0, 0.5, 1.5, 2
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Array.from(out)).toEqual([0, 1, 2, 2]);
  });

  it('is the identity at the same size', () => {
    const src = Float32Array.from({ length: 24 }, (_, i) => i * 1.5);
    expect(Array.from(resizeBilinear(src, 2, 4, 3, 2, 4))).toEqual(Array.from(src));
  });

  it('rejects bad arguments with typed errors', () => {
    expectCodedError(() => resizeBilinear(new Float32Array(5), 2, 2, 1, 4, 4), RangeError, /src has 5 values but srcH x srcW x channels = 2 x 2 x 1 = 4/);
    expectCodedError(() => resizeBilinear(new Float32Array(4), 2, 2, 1, 0, 4), RangeError, /dstH must be an integer/);
    expectCodedError(() => resizeBilinear(new Float32Array(4), 2, 2.5, 1, 4, 4), RangeError, /srcW must be an integer/);
    expectCodedError(() => resizeBilinear([1, 2, 3, 4] as unknown as Float32Array, 2, 2, 1, 4, 4), TypeError, /src must be a Uint8Array/);
  });
});

describe('resampleArea', () => {
  it('keeps cells as blocks when upscaling by an integer factor', () => {
    expect(Array.from(resampleArea([1, 2, 3, 4], 2, 2, 4, 4))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('averages covered cells when downscaling, with fractional overlap', () => {
    expect(Array.from(resampleArea([0, 10, 20, 30], 1, 4, 1, 2))).toEqual([5, 25]);
    // 3 -> 2: pixel 0 covers cells [0, 1.5) = 0 (weight 1) + 1 (weight .5)
    const out = resampleArea([0, 30, 60], 1, 3, 1, 2);
    expect(out[0]).toBeCloseTo(10, 12);
    expect(out[1]).toBeCloseTo(50, 12);
  });

  it('ignores NaN cells and returns NaN where nothing finite is covered', () => {
    const out = resampleArea([NaN, 4, NaN, NaN], 1, 4, 1, 2);
    expect(out[0]).toBe(4);
    expect(out[1]).toBeNaN();
  });
});
