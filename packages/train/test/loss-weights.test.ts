// Loss weights worked by hand: 10 windows; reals X (2 windows), Y (4); fakes X (1 + 1 in two files), Z (2).
import { lossWeights, type SourceFile, type WindowRef } from '../src';

const file = (label: 0 | 1, source: string, windows: number, n: number): SourceFile => ({ id: `clip${n}`, label, group: `g${n}`, source, windows });
const files = [file(0, 'X', 2, 0), file(1, 'X', 1, 1), file(1, 'X', 1, 2), file(0, 'Y', 4, 3), file(1, 'Z', 2, 4), file(0, 'W', 3, 5)];
// The last file (W) is not on the training side.
const refs: WindowRef[] = files.slice(0, 5).flatMap((f, i) => Array.from({ length: f.windows }, (_, window) => ({ file: i, window })));
const total = (w: Float32Array, pick: (f: SourceFile) => boolean) => refs.reduce((s, r) => s + (pick(files[r.file]) ? w[r.file] : 0), 0);

test("'class': reals and fakes carry half the loss each", () => {
  const w = lossWeights(files, refs, 'class');
  // 6 real windows share 5, 4 fake windows share 5.
  expect(Array.from(w)).toEqual([5 / 6, 1.25, 1.25, 5 / 6, 1.25, 0].map(Math.fround));
  expect(total(w, (f) => f.label === 0)).toBeCloseTo(5, 5);
});

test("'source': inside each class, every source an equal share", () => {
  const w = lossWeights(files, refs, 'source');
  // Real cells X (2 windows) and Y (4) get 2.5 each; fake cells X (2) and Z (2) get 2.5 each.
  expect(Array.from(w)).toEqual([1.25, 1.25, 1.25, 0.625, 1.25, 0].map(Math.fround));
  for (const [label, source] of [[0, 'X'], [0, 'Y'], [1, 'X'], [1, 'Z']] as const) {
    expect(total(w, (f) => f.label === label && f.source === source)).toBeCloseTo(2.5, 5);
  }
});

test('one class or an unknown mode is refused', () => {
  expect(() => lossWeights(files, refs.filter((r) => files[r.file].label === 0), 'source')).toThrow(expect.objectContaining({ code: 'E_ONE_CLASS' }));
  expect(() => lossWeights(files, refs, 'speaker' as never)).toThrow(expect.objectContaining({ code: 'E_BAD_OPTION' }));
});
