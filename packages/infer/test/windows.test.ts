import { planWindows } from '../src/windows';

describe('planWindows', () => {
  // 10 samples/s to keep the numbers readable: window 4 s = 40 samples, hop 2 s = 20, min 1 s.
  const plan = (n: number, w = 40, h = 20, min = 1) => planWindows(n, 10, w, h, min);

  it('takes every full window at the hop; a shorter tail is not scored', () => {
    expect(plan(100).starts).toEqual([0, 20, 40, 60]); // 60 + 40 = 100 exactly
    expect(plan(119).starts).toEqual([0, 20, 40, 60]); // tail 100..119 shorter than a window
    expect(plan(120).starts).toEqual([0, 20, 40, 60, 80]);
    expect(plan(40).starts).toEqual([0]);
    expect(plan(100, 40, 40).starts).toEqual([0, 40]);
    expect(plan(100, 20, 30).starts).toEqual([0, 30, 60]); // hop > window: gaps are skipped
  });

  it('zero-pads a clip shorter than one window when it lasts at least minSeconds', () => {
    expect(plan(25)).toEqual({ starts: [0], spans: [{ start: 0, end: 2.5 }] });
    expect(plan(10).starts).toEqual([0]); // exactly minSeconds
  });

  it('reports spans in seconds', () => {
    expect(plan(100).spans).toEqual([
      { start: 0, end: 4 },
      { start: 2, end: 6 },
      { start: 4, end: 8 },
      { start: 6, end: 10 },
    ]);
  });

  it('refuses empty and too-short clips with typed errors', () => {
    expect(() => plan(0)).toThrow(expect.objectContaining({ code: 'E_EMPTY' }));
    expect(() => plan(9)).toThrow(expect.objectContaining({ code: 'E_TOO_SHORT', message: expect.stringContaining('0.900 s') }));
  });
});
