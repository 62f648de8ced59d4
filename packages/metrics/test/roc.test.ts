import { eer, rocAuc, rocCurve } from '../src';
import { bruteAuc, bruteEer, bruteRoc, mulberry32, ratesAt, trapezoid } from './reference';

describe('rocCurve', () => {
  it('has one point per distinct score, starting at +Infinity', () => {
    const roc = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(roc.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(roc.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('moves tied scores across the threshold together', () => {
    // fakes 0.8, 0.6, 0.6; reals 0.6, 0.2
    const roc = rocCurve([0.8, 0.6, 0.6, 0.6, 0.2], [1, 1, 1, 0, 0]);
    expect(roc.thresholds).toEqual([Infinity, 0.8, 0.6, 0.2]);
    expect(roc.fpr).toEqual([0, 0, 0.5, 1]);
    expect(roc.tpr).toEqual([0, 1 / 3, 1, 1]);
  });

  it('accepts typed arrays', () => {
    const roc = rocCurve(new Float32Array([0.25, 0.75]), new Uint8Array([0, 1]));
    expect(roc.fpr).toEqual([0, 0, 1]);
  });
});

describe('rocAuc', () => {
  it('matches hand-worked values', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.9, 0.5, 0.7, 0.3, 0.1], [1, 1, 0, 0, 0])).toBeCloseTo(5 / 6, 12);
  });

  it('counts ties as one half', () => {
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.8, 0.6, 0.6, 0.6, 0.2], [1, 1, 1, 0, 0])).toBeCloseTo(5 / 6, 12);
  });

  it('is 1 for perfect and 0 for inverted rankings', () => {
    expect(rocAuc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0])).toBe(0);
  });
});

describe('eer', () => {
  it('is exact when a ROC point has FPR = FNR', () => {
    expect(eer([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toEqual({ eer: 0.5, threshold: 0.4, fpr: 0.5, fnr: 0.5 });
  });

  it('interpolates linearly between the two neighbouring points', () => {
    // fakes 0.9, 0.5; reals 0.7, 0.3, 0.1. (FPR, FNR): 0.7 -> (1/3, 1/2), 0.5 -> (1/3, 0): crosses at 1/3.
    const r = eer([0.9, 0.5, 0.7, 0.3, 0.1], [1, 1, 0, 0, 0]);
    expect(r.eer).toBeCloseTo(1 / 3, 12);
    // |FPR − FNR| is 1/6 at 0.7 and 1/3 at 0.5: the threshold is 0.7's.
    expect(r).toMatchObject({ threshold: 0.7, fnr: 0.5 });
    expect(r.fpr).toBeCloseTo(1 / 3, 12);
  });

  it('handles ties: the crossing falls inside a tied block', () => {
    // (FPR, FNR): 0.8 -> (0, 2/3), 0.6 -> (1/2, 0). a = (2/3)/(7/6) = 4/7, EER = 4/7 · 1/2 = 2/7.
    const r = eer([0.8, 0.6, 0.6, 0.6, 0.2], [1, 1, 1, 0, 0]);
    expect(r.eer).toBeCloseTo(2 / 7, 12);
    expect(r).toEqual({ eer: r.eer, threshold: 0.6, fpr: 0.5, fnr: 0 });
  });

  it('all scores tied: EER 0.5 at that score', () => {
    expect(eer([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toEqual({ eer: 0.5, threshold: 0.5, fpr: 1, fnr: 0 });
  });

  it('perfect separation: 0, threshold = lowest fake score; inverted: 1', () => {
    expect(eer([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toEqual({ eer: 0, threshold: 0.8, fpr: 0, fnr: 0 });
    expect(eer([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0]).eer).toBe(1);
  });

  it('the threshold realises the reported rates with score >= threshold -> fake', () => {
    const rand = mulberry32(7);
    const scores = Array.from({ length: 200 }, () => Math.round(rand() * 30) / 30);
    const labels = scores.map((s) => (rand() < 0.3 + 0.4 * s ? 1 : 0));
    const r = eer(scores, labels);
    const at = ratesAt(scores, labels, r.threshold);
    expect(at.fpr).toBeCloseTo(r.fpr, 12);
    expect(1 - at.tpr).toBeCloseTo(r.fnr, 12);
    // The realised rates straddle the EER.
    expect(Math.min(r.fpr, r.fnr)).toBeLessThanOrEqual(r.eer + 1e-12);
    expect(Math.max(r.fpr, r.fnr)).toBeGreaterThanOrEqual(r.eer - 1e-12);
  });
});

describe('against brute-force references on random data', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}`, () => {
      const rand = mulberry32(seed);
      const n = 20 + Math.floor(rand() * 300);
      const levels = seed % 2 === 0 ? 10 : 1e6; // even seeds: many ties
      const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : rand() < 0.4 ? 1 : 0));
      const scores = labels.map((l) => Math.round((rand() + 0.3 * l) * levels) / levels);
      const roc = rocCurve(scores, labels);
      const ref = bruteRoc(scores, labels);
      expect(roc.thresholds).toEqual(ref.thresholds);
      roc.fpr.forEach((v, k) => expect(v).toBeCloseTo(ref.fpr[k], 12));
      roc.tpr.forEach((v, k) => expect(v).toBeCloseTo(ref.tpr[k], 12));
      const auc = rocAuc(scores, labels);
      expect(auc).toBeCloseTo(bruteAuc(scores, labels), 12);
      expect(auc).toBeCloseTo(trapezoid(roc.fpr, roc.tpr), 12);
      expect(eer(scores, labels).eer).toBeCloseTo(bruteEer(scores, labels), 12);
    });
  }
});

describe('bad input', () => {
  const cases: [string, () => unknown, string, string][] = [
    ['empty', () => eer([], []), 'RangeError', 'E_METRICS_EMPTY'],
    ['length mismatch', () => rocAuc([0.1, 0.2], [0, 1, 1]), 'RangeError', 'E_METRICS_LENGTH'],
    ['NaN score', () => rocCurve([0.1, NaN], [0, 1]), 'RangeError', 'E_METRICS_NAN'],
    ['label 2', () => eer([0.1, 0.2], [0, 2]), 'RangeError', 'E_METRICS_LABEL'],
    ['not an array', () => eer('0.1' as unknown as number[], [0]), 'TypeError', 'E_METRICS_TYPE'],
    ['all real (EER)', () => eer([0.1, 0.2], [0, 0]), 'RangeError', 'E_METRICS_ONE_CLASS'],
    ['all fake (AUC)', () => rocAuc([0.1, 0.2], [1, 1]), 'RangeError', 'E_METRICS_ONE_CLASS'],
    ['all fake (ROC)', () => rocCurve([0.1, 0.2], [1, 1]), 'RangeError', 'E_METRICS_ONE_CLASS'],
  ];
  it.each(cases)('%s', (_name, fn, type, code) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(type === 'RangeError' ? RangeError : TypeError);
    expect((caught as { code: string }).code).toBe(code);
  });

  it('names the problem', () => {
    expect(() => eer([0.1, 0.2], [0, 0])).toThrow('EER needs both classes, but all 2 labels are real (0)');
    expect(() => rocAuc([0.1, NaN], [0, 1])).toThrow('scores[1] is NaN');
    expect(() => rocAuc([0.1], [0, 1])).toThrow('scores has 1 elements but labels has 2');
  });
});
