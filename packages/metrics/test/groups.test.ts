import { eer, formatSummary, perAttack, perGroup, summarise } from '../src';

const scores = [0.9, 0.2, 0.7, 0.4, 0.6, 0.1];
const labels = [1, 0, 1, 0, 0, 1];
const sources = ['a', 'a', 'b', 'b', 'b', null];

describe('perGroup', () => {
  it('hand-worked groups, EER/AUC only with both classes', () => {
    expect(perGroup(scores, labels, sources, 0.5)).toEqual({
      '(none)': { n: 1, real: 0, fake: 1, accuracy: 0 },
      a: { n: 2, real: 1, fake: 1, accuracy: 1, eer: 0, eerThreshold: 0.9, auc: 1 },
      b: { n: 3, real: 2, fake: 1, accuracy: 2 / 3, eer: 0, eerThreshold: 0.7, auc: 1 },
    });
  });

  it('rejects a group list of the wrong length or type', () => {
    expect(() => perGroup(scores, labels, ['a'], 0.5)).toThrow(expect.objectContaining({ code: 'E_METRICS_LENGTH' }));
    expect(() => perGroup(scores, labels, [1, 2, 3, 4, 5, 6] as unknown as string[], 0.5)).toThrow(TypeError);
  });
});

describe('perAttack', () => {
  it('scores each method fakes against all reals', () => {
    const s = [0.9, 0.3, 0.6, 0.2, 0.5, 0.4];
    const l = [1, 1, 1, 0, 0, 0];
    const m = ['x', 'x', 'y', undefined, 'ignored-for-reals', null];
    const r = perAttack(s, l, m, 0.5);
    expect(Object.keys(r)).toEqual(['x', 'y']);
    // x: fakes .9 .3 vs reals .2 .5 .4 -> (FPR, FNR) .5:(1/3, 1/2) .4:(2/3, 1/2) -> EER 1/2.
    expect(r.x.n).toBe(2);
    expect(r.x.detectionRate).toBe(0.5);
    expect(r.x.auc).toBeCloseTo(4 / 6, 12);
    expect(r.x.eer).toBeCloseTo(0.5, 12);
    expect(r.x.eerThreshold).toBe(0.4);
    expect(r.y).toEqual({ n: 1, detectionRate: 1, eer: 0, eerThreshold: 0.6, auc: 1 });
  });
});

describe('summarise', () => {
  it('defaults the threshold to the EER threshold', () => {
    const s = summarise(scores, labels, { groups: { source: sources } });
    const e = eer(scores, labels);
    expect(s.thresholdSource).toBe('eer');
    expect(s.threshold).toBe(e.threshold);
    expect(s.eer).toBe(e.eer);
    expect(s.n).toBe(6);
    expect(s.confusion.tp + s.confusion.fn).toBe(3);
    expect(s.groups?.source.a.n).toBe(2);
    expect(formatSummary(s)).toContain('by source:');
  });

  it('one class: needs a given threshold, then has no EER', () => {
    expect(() => summarise([0.2, 0.8], [1, 1])).toThrow(expect.objectContaining({ code: 'E_METRICS_ONE_CLASS' }));
    const s = summarise([0.2, 0.8], [1, 1], { threshold: 0.5 });
    expect(s.accuracy).toBe(0.5);
    expect(s.eer).toBeUndefined();
    expect(formatSummary(s)).toContain('EER —');
  });
});
