import { accuracy, balancedAccuracy, confusion, predict } from '../src';

describe('hard-decision metrics', () => {
  const pred = [1, 0, 1, 1, 0];
  const labels = [1, 0, 0, 1, 1];

  it('confusion: rows true, columns predicted', () => {
    expect(confusion(pred, labels)).toEqual({ tp: 2, fp: 1, tn: 1, fn: 1, matrix: [[1, 1], [1, 2]] });
  });

  it('accuracy and balanced accuracy', () => {
    expect(accuracy(pred, labels)).toBeCloseTo(3 / 5, 12);
    expect(balancedAccuracy(pred, labels)).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
  });

  it('balanced accuracy ignores class imbalance', () => {
    const l = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0];
    const allFake = l.map(() => 1);
    expect(accuracy(allFake, l)).toBeCloseTo(0.9, 12);
    expect(balancedAccuracy(allFake, l)).toBeCloseTo(0.5, 12);
  });

  it('balanced accuracy with one class is that class recall', () => {
    expect(balancedAccuracy([1, 0, 1, 1], [1, 1, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('predict: score >= threshold -> 1', () => {
    expect(Array.from(predict([0.2, 0.5, 0.7, 0.49999], 0.5))).toEqual([0, 1, 1, 0]);
  });

  it('rejects bad input with codes', () => {
    expect(() => accuracy([], [])).toThrow(expect.objectContaining({ code: 'E_METRICS_EMPTY' }));
    expect(() => accuracy([1, 0], [1])).toThrow(expect.objectContaining({ code: 'E_METRICS_LENGTH' }));
    expect(() => confusion([0.7, 0], [1, 0])).toThrow(expect.objectContaining({ code: 'E_METRICS_LABEL' }));
    expect(() => predict([0.1], NaN)).toThrow(expect.objectContaining({ code: 'E_METRICS_THRESHOLD' }));
    expect(() => predict([0.1, NaN], 0.5)).toThrow(expect.objectContaining({ code: 'E_METRICS_NAN' }));
  });
});
