import { Rng } from '../src/rng';

test('same seed, same stream; state round-trips; other seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 100 }, () => a.nextUint32());
  expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
  const c = new Rng(42);
  for (let i = 0; i < 37; i++) c.next();
  const d = Rng.fromState(c.getState());
  expect(Array.from({ length: 50 }, () => d.next())).toEqual(Array.from({ length: 50 }, () => c.next()));
  expect(new Rng(43).nextUint32()).not.toBe(new Rng(42).nextUint32());
});

test('uniform enough and shuffles are permutations', () => {
  const r = new Rng(1);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100000; i++) counts[r.int(10)]++;
  for (const n of counts) expect(Math.abs(n - 10000)).toBeLessThan(500);
  const p = r.shuffle(Array.from({ length: 1000 }, (_, i) => i));
  expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  expect(p.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('bad seeds and states are refused', () => {
  expect(() => new Rng(1.5)).toThrow(RangeError);
  expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(RangeError);
  expect(() => Rng.fromState([1, 2, 3] as never)).toThrow(RangeError);
});
