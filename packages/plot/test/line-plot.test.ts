import { linePlotPng, PALETTE, type LinePlotOptions } from '../src';
import { countNear, decode, diffPixels, expectCodedError } from './helpers';

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
const BLUE = hex(PALETTE[0]);
const xs = Array.from({ length: 50 }, (_, i) => i);

const base = (over: Partial<LinePlotOptions> = {}): LinePlotOptions => ({
  title: 'Per-band difference',
  x: { label: 'Band' },
  y: { label: 'dB' },
  series: [{ label: 'FAKE - REAL', x: xs, y: xs.map((i) => Math.sin(i / 5)) }],
  ...over,
});

describe('linePlotPng', () => {
  it('decodes to the default and the requested size', () => {
    const a = decode(linePlotPng(base()));
    expect([a.width, a.height]).toEqual([800, 480]);
    const b = decode(linePlotPng(base({ width: 400, height: 300 })));
    expect([b.width, b.height]).toEqual([400, 300]);
  });

  it('draws the series in its palette colour', () => {
    expect(countNear(decode(linePlotPng(base())), BLUE, 10)).toBeGreaterThan(300);
    const red = linePlotPng(base({ series: [{ label: 's', x: xs, y: xs, color: '#ff0000' }] }));
    expect(countNear(decode(red), [255, 0, 0], 10)).toBeGreaterThan(300);
  });

  it('draws dashed lines with fewer ink pixels than solid ones', () => {
    const series = (dashed: boolean) => [{ label: 's', x: xs, y: xs.map((i) => i * 0.1), dashed, markers: false }];
    const solid = countNear(decode(linePlotPng(base({ series: series(false) }))), BLUE, 10);
    const dashed = countNear(decode(linePlotPng(base({ series: series(true) }))), BLUE, 10);
    expect(dashed).toBeLessThan(solid * 0.8);
    expect(dashed).toBeGreaterThan(solid * 0.3);
  });

  it('shades the lo/hi band in a light tint of the series colour', () => {
    const y = xs.map(() => 0);
    const banded = linePlotPng(base({ series: [{ label: 'mean', x: xs, y, lo: y.map((v) => v - 1), hi: y.map((v) => v + 1) }] }));
    // 22 % of the colour over white.
    const tint = BLUE.map((c) => Math.round(255 - 0.22 * (255 - c)));
    const img = decode(banded);
    expect(countNear(img, tint, 4)).toBeGreaterThan(0.2 * img.width * img.height);
    expect(countNear(decode(linePlotPng(base({ series: [{ label: 'mean', x: xs, y }] }))), tint, 4)).toBe(0);
  });

  it('supports a log x axis and skips x <= 0 there', () => {
    const png = linePlotPng(base({ x: { label: 'Hz', log: true }, series: [{ label: 'a', x: [0, 10, 100, 1000], y: [5, 1, 2, 3] }] }));
    expect(decode(png).width).toBe(800);
    expectCodedError(() => linePlotPng(base({ x: { label: 'Hz', log: true, min: 0, max: 10 } })), RangeError, /x.min must be > 0 on a log axis/);
    expectCodedError(() => linePlotPng(base({ x: { label: 'Hz', log: true }, series: [{ label: 'a', x: [0, -1], y: [1, 2] }] })), RangeError, /no plottable point/);
  });

  it('shows a legend for several series (or on request) and its labels render', () => {
    const two = (b: string) =>
      linePlotPng(base({ series: [{ label: 'train loss', x: xs, y: xs.map((i) => 1 / (i + 1)) }, { label: b, x: xs, y: xs.map((i) => 0.5 + 0.01 * i) }] }));
    expect(diffPixels(two('val loss'), two('validation EER'))).toBeGreaterThan(30);
    expect(diffPixels(linePlotPng(base()), linePlotPng(base({ legend: true })))).toBeGreaterThan(100);
  });

  it('puts the legend in a corner free of data (ROC: bottom right)', () => {
    const fpr = Array.from({ length: 21 }, (_, i) => i / 20);
    const png = linePlotPng({
      x: { label: 'FPR', min: 0, max: 1 },
      y: { label: 'TPR', min: 0, max: 1 },
      series: [
        { label: 'model (AUC 0.95)', x: fpr, y: fpr.map((v) => Math.pow(v, 0.15)) },
        { label: 'chance', x: [0, 1], y: [0, 1], dashed: true, color: '#888888' },
      ],
      width: 560,
      height: 520,
    });
    const img = decode(png);
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (Math.max(...img.px(x, y)) < 90) n++;
      return n;
    };
    // Inside the plot, away from tick labels: legend text only where the legend is.
    expect(dark(img.width / 2, img.height / 2, img.width - 30, img.height - 70)).toBeGreaterThan(50);
    expect(dark(120, 60, img.width / 2, img.height / 2)).toBe(0);
  });

  it('breaks lines at NaN instead of joining across the gap', () => {
    const y = xs.map((i) => (i >= 20 && i < 30 ? NaN : 1));
    const gap = countNear(decode(linePlotPng(base({ y: { label: 'v', min: 0, max: 2 }, series: [{ label: 's', x: xs, y, markers: false }] }))), BLUE, 10);
    const full = countNear(decode(linePlotPng(base({ y: { label: 'v', min: 0, max: 2 }, series: [{ label: 's', x: xs, y: xs.map(() => 1), markers: false }] }))), BLUE, 10);
    expect(gap).toBeLessThan(full * 0.9);
  });

  it('escapes markup in every label', () => {
    const png = linePlotPng(base({ title: `a & b < c > "d" 'e'`, x: { label: '<x>' }, y: { label: '&' }, series: [{ label: '<s>', x: [1, 2], y: [1, 2] }] }));
    expect(decode(png).height).toBe(480);
  });

  it('is deterministic', () => {
    expect(linePlotPng(base()).equals(linePlotPng(base()))).toBe(true);
  });

  it('rejects bad input with typed errors', () => {
    expectCodedError(() => linePlotPng(base({ series: [] })), RangeError, /series is empty/);
    expectCodedError(() => linePlotPng(base({ series: [{ label: 'a', x: [1, 2, 3], y: [1, 2] }] })), RangeError, /series\[0\].y has 2 values but x has 3/);
    expectCodedError(() => linePlotPng(base({ series: [{ label: 'a', x: [1, 2], y: [1, 2], lo: [0, 1] }] })), RangeError, /needs both lo and hi/);
    expectCodedError(() => linePlotPng(base({ series: [{ label: 'a', x: [1, 2], y: [NaN, NaN] }] })), RangeError, /no plottable point/);
    expectCodedError(() => linePlotPng(base({ series: [{ label: 'a', x: [1, 2], y: [1, 2], color: 'red' }] })), RangeError, /color must be/);
    expectCodedError(() => linePlotPng(base({ series: [{ label: 'a', x: 'no' as unknown as number[], y: [1] }] })), TypeError, /series\[0\].x must be an array/);
    expectCodedError(() => linePlotPng(base({ y: { label: 'v', min: 1, max: 1 } })), RangeError, /y range is empty/);
    expectCodedError(() => linePlotPng(base({ series: [{ label: 7 as unknown as string, x: [1], y: [1] }] })), TypeError, /series\[0\].label must be a string/);
  });
});
