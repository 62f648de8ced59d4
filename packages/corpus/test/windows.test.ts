import { defaultWindowing, planWindows, resolveWindowing } from '../src';

describe('windowing policy', () => {
  const w = resolveWindowing({ windowSeconds: 2, hopSeconds: 1, minSeconds: 0.5 });

  it('cuts windows every hop and drops a tail shorter than a window', () => {
    expect(planWindows(4.5, w)).toEqual([
      { start: 0, end: 2 },
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ]);
    expect(planWindows(2, w)).toEqual([{ start: 0, end: 2 }]);
  });

  it('zero-pads a clip shorter than a window if it reaches minSeconds, else gives no window (E_TOO_SHORT)', () => {
    expect(planWindows(1.2, w)).toEqual([{ start: 0, end: 1.2 }]);
    expect(planWindows(0.5, w)).toEqual([{ start: 0, end: 0.5 }]);
    expect(planWindows(0.49, w)).toEqual([]);
    expect(planWindows(0, resolveWindowing({ windowSeconds: 1, minSeconds: 0 }))).toEqual([]);
  });

  it('firstOnly keeps the seed project\'s first window; maxWindows caps the count', () => {
    expect(planWindows(10, resolveWindowing({ windowSeconds: 3, firstOnly: true }))).toEqual([{ start: 0, end: 3 }]);
    expect(planWindows(10, resolveWindowing({ windowSeconds: 1, maxWindows: 2 }))).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
  });

  it('has per-preset defaults: seed = first 3 s, others = 4 s windows over the clip', () => {
    expect(defaultWindowing('seed')).toEqual({ windowSeconds: 3, hopSeconds: 3, minSeconds: 0.5, firstOnly: true, maxWindows: null });
    expect(resolveWindowing(undefined, 'speech16k')).toEqual({ windowSeconds: 4, hopSeconds: 4, minSeconds: 0.5, firstOnly: false, maxWindows: null });
    expect(resolveWindowing({ windowSeconds: 0.25 })).toEqual({ windowSeconds: 0.25, hopSeconds: 0.25, minSeconds: 0.25, firstOnly: false, maxWindows: null });
  });

  it('rejects nonsense with a message naming the option', () => {
    expect(() => resolveWindowing({ windowSeconds: 0 })).toThrow(expect.objectContaining({ code: 'E_BAD_ARGUMENT', message: expect.stringContaining('windowSeconds') }));
    expect(() => resolveWindowing({ windowSeconds: 1, hopSeconds: -1 })).toThrow(/hopSeconds/);
    expect(() => resolveWindowing({ windowSeconds: 1, minSeconds: 2 })).toThrow(/minSeconds/);
    expect(() => resolveWindowing({ windowSeconds: 1, maxWindows: 1.5 })).toThrow(/maxWindows/);
    expect(() => resolveWindowing({ windowSeconds: Number.NaN })).toThrow(/windowSeconds/);
  });
});
