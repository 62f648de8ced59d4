import { specAugment } from '../src/data/spec-augment';
import { Rng } from '../src/rng';

test('masks whole frequency rows and time columns with the fill value, reproducibly', () => {
  const [n, h, w] = [3, 20, 50];
  const make = () => Float32Array.from({ length: n * h * w }, (_, i) => (i % 97) / 97);
  const a = make();
  specAugment(a, n, h, w, -1, new Rng(4), { freqMasks: 1, maxFreqShare: 0.25, timeMasks: 1, maxTimeShare: 0.2 });
  const b = make();
  specAugment(b, n, h, w, -1, new Rng(4), { freqMasks: 1, maxFreqShare: 0.25, timeMasks: 1, maxTimeShare: 0.2 });
  expect(Array.from(b)).toEqual(Array.from(a));
  const orig = make();
  let masked = 0;
  for (let i = 0; i < n; i++) {
    const at = (r: number, c: number) => i * h * w + r * w + c;
    const rows = [...Array(h).keys()].filter((r) => [...Array(w).keys()].every((c) => a[at(r, c)] === -1));
    const cols = [...Array(w).keys()].filter((c) => [...Array(h).keys()].every((r) => a[at(r, c)] === -1));
    expect(rows.length).toBeLessThanOrEqual(5);
    expect(cols.length).toBeLessThanOrEqual(10);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
      const inMask = rows.includes(r) || cols.includes(c);
      if (inMask) masked++;
      expect(a[at(r, c)]).toBe(inMask ? -1 : orig[at(r, c)]);
    }
  }
  expect(masked).toBeGreaterThan(0);
  const c = make();
  specAugment(c, n, h, w, -1, new Rng(5), { freqMasks: 1, maxFreqShare: 0.25, timeMasks: 1, maxTimeShare: 0.2 });
  expect(Array.from(c)).not.toEqual(Array.from(a));
});
