import { colormapLut, heatmapPng, type HeatmapOptions } from '../src';
import { decode, diffPixels, expectCodedError, isColoured } from './helpers';

function grid(rows: number, cols: number, f: (r: number, c: number) => number): Float32Array {
  const d = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) d[r * cols + c] = f(r, c);
  return d;
}

const base = (over: Partial<HeatmapOptions> = {}): HeatmapOptions => ({
  data: grid(40, 60, (r, c) => -80 + r + c * 0.1),
  rows: 40,
  cols: 60,
  title: 'Mean log-mel',
  x: { label: 'Time (s)', min: 0, max: 3 },
  y: { label: 'Frequency (Hz)', ticks: [{ value: 0, label: '0' }, { value: 20, label: '2k' }, { value: 39, label: '8k' }] },
  colorbar: { label: 'dB' },
  ...over,
});

const near = (p: readonly number[], q: readonly number[], tol: number) => p.every((v, i) => Math.abs(v - q[i]) <= tol);
const lutAt = (name: 'viridis' | 'diverging', i: number) => Array.from(colormapLut(name).subarray(3 * i, 3 * i + 3));

/** Coloured pixels of column x, top to bottom. */
function colouredRun(img: ReturnType<typeof decode>, x: number): { y: number; p: [number, number, number] }[] {
  const out: { y: number; p: [number, number, number] }[] = [];
  for (let y = 0; y < img.height; y++) if (isColoured(img.px(x, y))) out.push({ y, p: img.px(x, y) });
  return out;
}

describe('heatmapPng', () => {
  it('decodes to the default and the requested size', () => {
    const a = decode(heatmapPng(base()));
    expect([a.width, a.height]).toEqual([820, 480]);
    const b = decode(heatmapPng(base({ width: 600, height: 300 })));
    expect([b.width, b.height]).toEqual([600, 300]);
  });

  it('draws row 0 at the bottom of the plot area', () => {
    const img = decode(heatmapPng(base({ data: grid(40, 60, (r) => (r === 0 ? 1 : 0)) })));
    const run = colouredRun(img, Math.round(img.width / 2));
    expect(run.length).toBeGreaterThan(200);
    // 3 px inside the 1 px frame, whose anti-aliased edge blends with the image.
    expect(near(run[run.length - 4].p, lutAt('viridis', 255), 2)).toBe(true);
    expect(near(run[3].p, lutAt('viridis', 0), 2)).toBe(true);
  });

  it('has a colour bar right of the plot, vmax at its top and vmin at its bottom', () => {
    const img = decode(heatmapPng(base()));
    // The rightmost group of columns that are mostly colour is the bar (the plot area is further left).
    const bar: number[] = [];
    for (let x = img.width - 1; x > img.width / 2; x--) {
      const tall = colouredRun(img, x).length > 200;
      if (tall) bar.push(x);
      else if (bar.length) break;
    }
    expect(bar.length).toBeGreaterThanOrEqual(10);
    expect(bar[0]).toBeGreaterThan(img.width - 160);
    const run = colouredRun(img, bar[Math.floor(bar.length / 2)]);
    expect(near(run[3].p, lutAt('viridis', 255), 6)).toBe(true);
    expect(near(run[run.length - 4].p, lutAt('viridis', 0), 6)).toBe(true);
    // A bar, not a block: white space separates it from the plot area.
    expect(isColoured(img.px(bar[bar.length - 1] - 3, img.height / 2))).toBe(false);
  });

  it('centres the diverging map on zero by default (0 is white)', () => {
    const img = decode(heatmapPng(base({ colormap: 'diverging', data: grid(40, 60, (r) => (r < 20 ? 0 : 5)) })));
    const x = Math.round(img.width / 2);
    const run = colouredRun(img, x);
    // Top half: +5 = +max -> the dark red end; bottom half: 0 -> white (not "coloured").
    expect(near(run[3].p, lutAt('diverging', 255), 2)).toBe(true);
    const bottom = run[run.length - 1].y;
    const below = img.px(x, bottom + 20);
    expect(Math.min(...below)).toBeGreaterThanOrEqual(245);
  });

  it('renders text: title and axis labels change pixels', () => {
    const blank = heatmapPng(base({ title: ' ' }));
    const titled = heatmapPng(base({ title: 'Mean log-mel of REAL clips' }));
    const titleBand = decode(titled);
    let dark = 0;
    for (let y = 0; y < 36; y++) for (let x = 0; x < titleBand.width; x++) if (titleBand.px(x, y)[0] < 100) dark++;
    expect(dark).toBeGreaterThan(100);
    expect(diffPixels(blank, titled)).toBeGreaterThan(100);
    expect(diffPixels(heatmapPng(base({ x: { label: '', min: 0, max: 3 } })), heatmapPng(base()))).toBeGreaterThan(50);
  });

  it('escapes markup in labels and drops characters XML cannot hold', () => {
    const png = heatmapPng(base({ title: `A & B <c> "d" 'e'\u0001`, colorbar: { label: '<dB>' } }));
    expect(diffPixels(png, heatmapPng(base({ title: ' ', colorbar: { label: '<dB>' } })))).toBeGreaterThan(100);
  });

  it('is deterministic', () => {
    expect(heatmapPng(base()).equals(heatmapPng(base()))).toBe(true);
  });

  it('rejects bad input with typed errors', () => {
    expectCodedError(() => heatmapPng(base({ rows: 41 })), RangeError, /data has 2400 values but rows x cols = 41 x 60/);
    expectCodedError(() => heatmapPng(base({ data: new Float32Array(2400).fill(NaN) })), RangeError, /no finite value/);
    expectCodedError(() => heatmapPng(base({ rows: 0, data: new Float32Array(0) })), RangeError, /rows must be an integer/);
    expectCodedError(() => heatmapPng(base({ x: { label: 't', min: 2, max: 2 } })), RangeError, /x.max \(2\) must be greater than x.min \(2\)/);
    expectCodedError(() => heatmapPng(base({ x: undefined as unknown as HeatmapOptions['x'] })), TypeError, /x must be an object/);
    expectCodedError(() => heatmapPng(base({ y: { label: 'f', ticks: 'no' as unknown as [] } })), TypeError, /y.ticks must be an array/);
    const longTicks = [{ value: 1, label: 'a very long tick label indeed, too long' }];
    expectCodedError(() => heatmapPng(base({ width: 260, height: 150, y: { label: 'f', ticks: longTicks } })), RangeError, /make it larger/);
    expectCodedError(() => heatmapPng(base({ colormap: 'gray' as 'viridis', vmin: 3, vmax: 1 })), RangeError, /vmin \(3\) must not exceed vmax \(1\)/);
  });
});
