// tools/evaluate-protocols.js: a recipe trained with several seeds (run, run-s2, run-s3) is summarised as the
// mean and range of its clip numbers; runs with one seed stay out of that table.
import * as path from 'node:path';

// the tool is a plain script (not a package); it runs its main only when executed
const { seedSummary, seedTable } = require(path.join(__dirname, '..', '..', 'tools', 'evaluate-protocols.js'));

const run = (name: string, eer: number, auc: number, heldOut: number | null = null) => ({
  name, protocol: 'leave-methods-out', clip: { eer, auc }, heldOut: heldOut === null ? null : { eer: heldOut },
});

describe('evaluate-protocols seed summary', () => {
  it('groups name, name-s2, name-s3 and gives mean, min and max', () => {
    const rows = seedSummary([
      run('ensemble-b-mix', 0.10, 0.95, 0.09),
      run('ensemble-b-mix-s2', 0.16, 0.91, 0.15),
      run('ensemble-b-mix-s3', 0.13, 0.93, 0.12),
      run('seed-b', 0.29, 0.80, 0.26),
    ]);
    expect(rows).toHaveLength(1);
    const [r] = rows;
    expect(r.recipe).toBe('ensemble-b-mix');
    expect(r.seeds).toEqual([1, 2, 3]);
    expect(r.clipEer.mean).toBeCloseTo(0.13, 12);
    expect(r.clipEer.min).toBe(0.10);
    expect(r.clipEer.max).toBe(0.16);
    expect(r.clipAuc.mean).toBeCloseTo(0.93, 12);
    expect(r.heldOutEer.mean).toBeCloseTo(0.12, 12);
  });

  it('has no held-out column for protocols without held-out methods, and no table without repeated seeds', () => {
    const rows = seedSummary([run('default-a-aug', 0.1, 0.95), run('default-a-aug-s2', 0.12, 0.94)]);
    expect(rows[0].heldOutEer).toBeNull();
    expect(seedTable(rows)).toContain('| default-a-aug | leave-methods-out | 1, 2 | 11.00 (10.00–12.00) | 0.9450 (0.9400–0.9500) | — |');
    expect(seedTable(seedSummary([run('default-a-aug', 0.1, 0.95)]))).toBe('');
  });
});
