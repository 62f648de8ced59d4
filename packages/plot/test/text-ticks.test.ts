import { escapeXml, formatTick, linearTicks, logTicks, niceDomain, niceScale, niceStep, textWidth } from '../src';

describe('escapeXml', () => {
  it('escapes markup characters and strips characters XML forbids', () => {
    expect(escapeXml(`a & b < c > "d" 'e'`)).toBe('a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;');
    expect(escapeXml('x\u0000y\u0007z\nw')).toBe('xyz w');
  });
});

describe('textWidth', () => {
  it('uses DejaVu Sans advance widths', () => {
    expect(textWidth('0', 1000)).toBe(636);
    expect(textWidth('ii', 10)).toBeCloseTo(5.56, 10);
    expect(textWidth('W', 10, true)).toBeGreaterThan(textWidth('W', 10));
  });
});

describe('ticks', () => {
  it('chooses 1/2/5 x 10^k steps', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(3000, 5)).toBe(500);
    expect(niceStep(0.07, 5)).toBe(0.01);
  });

  it('places ticks on multiples of the step inside the range, without float noise', () => {
    expect(linearTicks(0, 1, 5).map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(linearTicks(-80, 0, 4).map((t) => t.value)).toEqual([-80, -60, -40, -20, 0]);
    expect(linearTicks(0.1, 0.35, 5).map((t) => t.value)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  });

  it('nice domains always contain the data and end on ticks (seeded sweep over magnitudes)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 500; i++) {
      const scale = Math.pow(10, Math.floor(rand() * 16) - 8);
      const a = (rand() - 0.5) * 10 * scale;
      const b = a + rand() * 10 * scale + scale * 1e-3;
      const target = 2 + Math.floor(rand() * 8);
      const { domain: [lo, hi], step } = niceScale(a, b, target);
      expect(lo).toBeLessThanOrEqual(a);
      expect(hi).toBeGreaterThanOrEqual(b);
      const ticks = linearTicks(lo, hi, target, step);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(Math.abs(ticks[0].value - lo)).toBeLessThanOrEqual((hi - lo) * 1e-6);
      expect(Math.abs(ticks[ticks.length - 1].value - hi)).toBeLessThanOrEqual((hi - lo) * 1e-6);
    }
    expect(niceDomain(-3e-5, 4e-5, 5)[0]).toBeLessThanOrEqual(-3e-5);
  });

  it('formats negatives with a minus sign and large/small values compactly', () => {
    expect(formatTick(-20, 10)).toBe('\u221220');
    expect(formatTick(-0.0000001, 0.1)).toBe('0');
    expect(formatTick(2_000_000, 1_000_000)).toBe('2e6');
  });

  it('uses decades on wide log ranges and 1-2-5 on narrow ones', () => {
    expect(logTicks(1, 10000).map((t) => t.label)).toEqual(['1', '10', '100', '1000', '10000']);
    expect(logTicks(50, 8000).map((t) => t.value)).toEqual([50, 100, 200, 500, 1000, 2000, 5000]);
  });
});
