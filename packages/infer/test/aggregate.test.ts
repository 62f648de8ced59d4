import { aggregateScores, labelFor, parseAggregate } from '../src/aggregate';

describe('aggregateScores', () => {
  const scores = Float32Array.from([0.1, 0.9, 0.3, 0.7]);

  it('mean (default), max and top-k on known window scores', () => {
    expect(aggregateScores(scores)).toBeCloseTo(0.5, 6);
    expect(aggregateScores(scores, 'mean')).toBeCloseTo(0.5, 6);
    expect(aggregateScores(scores, 'max')).toBeCloseTo(0.9, 6);
    expect(aggregateScores(scores, { topK: 1 })).toBeCloseTo(0.9, 6);
    expect(aggregateScores(scores, { topK: 2 })).toBeCloseTo(0.8, 6);
    expect(aggregateScores(scores, 'topk:3')).toBeCloseTo((0.9 + 0.7 + 0.3) / 3, 6);
    // k beyond the window count = the mean of all windows
    expect(aggregateScores(scores, { topK: 10 })).toBeCloseTo(0.5, 6);
    expect(aggregateScores([0.42], 'max')).toBe(0.42);
  });

  it('rejects unknown modes, bad k and no scores with E_INVALID_ARG', () => {
    for (const bad of ['median', { topK: 0 }, { topK: 1.5 }, 'topk:x', 'topk:-2', 7]) {
      expect(() => parseAggregate(bad)).toThrow(expect.objectContaining({ code: 'E_INVALID_ARG' }));
    }
    expect(() => aggregateScores([], 'mean')).toThrow(expect.objectContaining({ code: 'E_INVALID_ARG' }));
  });

  it('labels by threshold, score >= threshold -> fake', () => {
    expect(labelFor(0.5, 0.5)).toBe('fake');
    expect(labelFor(0.4999, 0.5)).toBe('real');
    expect(labelFor(0.2, 0.1)).toBe('fake');
  });
});
