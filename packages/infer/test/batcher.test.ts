import { MicroBatcher, type BatchInfo, type BatcherOptions, type RunBatch } from '../src/batcher';

// The batcher is tested over a plain function that "scores" each row as the sum of its values: every score then
// tells which window it came from, so mixing up windows between calls or reordering them cannot go unnoticed.
const SIZE = 3;

function rows(...ids: number[]): Float32Array {
  const out = new Float32Array(ids.length * SIZE);
  ids.forEach((id, i) => {
    out[i * SIZE] = id; // row sum = id; the other values stay 0 except one marker that cancels out
    out[i * SIZE + 1] = 0.25;
    out[i * SIZE + 2] = -0.25;
  });
  return out;
}

interface Recorder {
  run: RunBatch;
  calls: { rows: number; firstValues: number[] }[];
  /** Waits (a bounded number of ticks) until a gated run is in progress, then lets it finish. */
  releaseNext: () => Promise<void>;
}

/** A run that records its batches; when `gated`, each run waits for releaseNext(). */
function recorder(gated = false): Recorder {
  const calls: Recorder['calls'] = [];
  const pending: (() => void)[] = [];
  return {
    calls,
    releaseNext: async () => {
      for (let i = 0; pending.length === 0; i++) {
        if (i > 1000) throw new Error('no run started');
        await new Promise((r) => setImmediate(r));
      }
      pending.shift()!();
    },
    run: async (input, n) => {
      calls.push({ rows: n, firstValues: Array.from({ length: n }, (_, i) => input[i * SIZE]) });
      if (gated) await new Promise<void>((r) => pending.push(r));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < SIZE; j++) out[i] += input[i * SIZE + j];
      return out;
    },
  };
}

jest.setTimeout(10000);

const options = (o: Partial<BatcherOptions> = {}): BatcherOptions => ({ windowSize: SIZE, maxBatch: 4, maxDelayMs: 0, maxQueue: Infinity, fixedBatch: null, ...o });

describe('MicroBatcher', () => {
  it('merges calls made together into one run and answers each with its own scores in order', async () => {
    const rec = recorder();
    const events: BatchInfo[] = [];
    const b = new MicroBatcher(rec.run, options({ maxBatch: 8 }), (e) => events.push(e));
    const [a, c, d] = await Promise.all([b.submit(rows(1, 2), 2), b.submit(rows(3), 1), b.submit(rows(4, 5, 6), 3)]);
    expect(Array.from(a)).toEqual([1, 2]);
    expect(Array.from(c)).toEqual([3]);
    expect(Array.from(d)).toEqual([4, 5, 6]);
    expect(rec.calls.map((x) => x.rows)).toEqual([6]);
    expect(events).toEqual([expect.objectContaining({ size: 6, requests: 3 })]);
  });

  it('splits work larger than maxBatch across runs, a call spanning two runs included', async () => {
    const rec = recorder();
    const b = new MicroBatcher(rec.run, options({ maxBatch: 4 }));
    const [a, c] = await Promise.all([b.submit(rows(1, 2, 3), 3), b.submit(rows(4, 5, 6, 7, 8, 9, 10), 7)]);
    expect(Array.from(a)).toEqual([1, 2, 3]);
    expect(Array.from(c)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(rec.calls.map((x) => x.firstValues)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
  });

  it('queues calls that arrive during a run and sends them together in the next run', async () => {
    const rec = recorder(true);
    const b = new MicroBatcher(rec.run, options({ maxBatch: 8 }));
    const first = b.submit(rows(1), 1);
    await new Promise((r) => setImmediate(r)); // first run starts, blocked on the gate
    expect(rec.calls.length).toBe(1);
    const later = [b.submit(rows(2), 1), b.submit(rows(3, 4), 2)];
    expect(b.queuedWindows).toBe(3);
    expect(b.pendingCalls).toBe(3);
    await rec.releaseNext();
    await first;
    await rec.releaseNext();
    expect((await Promise.all(later)).map((s) => Array.from(s))).toEqual([[2], [3, 4]]);
    expect(rec.calls.map((x) => x.rows)).toEqual([1, 3]);
    expect(b.queuedWindows).toBe(0);
    expect(b.pendingCalls).toBe(0);
  });

  it('waits up to maxDelayMs for a batch to fill, and not at all once it is full', async () => {
    const rec = recorder();
    const b = new MicroBatcher(rec.run, options({ maxBatch: 3, maxDelayMs: 30 }));
    const a = b.submit(rows(1), 1);
    await new Promise((r) => setTimeout(r, 5));
    const c = b.submit(rows(2), 1); // joins a's batch: the delay has not passed
    await Promise.all([a, c]);
    expect(rec.calls.map((x) => x.rows)).toEqual([2]);
    rec.calls.length = 0;
    await b.submit(rows(1, 2, 3), 3); // full: runs without waiting for the timer
    expect(rec.calls.map((x) => x.rows)).toEqual([3]);
  });

  it('pads every run to a fixed batch dimension and drops the padding scores', async () => {
    const rec = recorder();
    const b = new MicroBatcher(rec.run, options({ maxBatch: 99, fixedBatch: 2 }));
    const s = await b.submit(rows(1, 2, 3), 3);
    expect(Array.from(s)).toEqual([1, 2, 3]);
    expect(rec.calls.map((x) => x.firstValues)).toEqual([[1, 2], [3, 0]]);
  });

  it('rejects beyond maxQueue with E_OVERLOADED but always takes a call on an empty queue', async () => {
    const rec = recorder(true);
    const b = new MicroBatcher(rec.run, options({ maxBatch: 2, maxQueue: 4 }));
    const big = b.submit(rows(1, 2, 3, 4, 5, 6), 6); // larger than maxQueue, queue empty: accepted
    await expect(b.submit(rows(7), 1)).rejects.toMatchObject({ code: 'E_OVERLOADED' });
    for (let i = 0; i < 3; i++) await rec.releaseNext();
    expect(Array.from(await big)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects the calls of a failed run with E_INFERENCE and keeps serving', async () => {
    let fail = true;
    const b = new MicroBatcher(async (input, n) => {
      if (fail) throw new Error('boom');
      return new Float32Array(n).fill(0.5);
    }, options());
    await expect(b.submit(rows(1), 1)).rejects.toMatchObject({ code: 'E_INFERENCE', message: expect.stringContaining('boom') });
    fail = false;
    expect(Array.from(await b.submit(rows(1), 1))).toEqual([0.5]);
  });

  it('rejects a run whose output does not have one score per window', async () => {
    const b = new MicroBatcher(async () => new Float32Array(1), options());
    await expect(b.submit(rows(1, 2), 2)).rejects.toMatchObject({ code: 'E_INFERENCE', message: expect.stringContaining('1 values for a batch of 2') });
  });

  it('aborts a waiting call (E_ABORTED) without disturbing the others', async () => {
    const rec = recorder(true);
    const b = new MicroBatcher(rec.run, options({ maxBatch: 8 }));
    const first = b.submit(rows(1), 1);
    await new Promise((r) => setImmediate(r));
    const ctl = new AbortController();
    const aborted = b.submit(rows(2, 3), 2, ctl.signal);
    const kept = b.submit(rows(4), 1);
    ctl.abort(new Error('client went away'));
    await expect(aborted).rejects.toMatchObject({ code: 'E_ABORTED', message: expect.stringContaining('client went away') });
    expect(b.queuedWindows).toBe(1);
    await rec.releaseNext();
    await first;
    await rec.releaseNext();
    expect(Array.from(await kept)).toEqual([4]);
    expect(rec.calls.map((x) => x.firstValues)).toEqual([[1], [4]]);
    const pre = new AbortController();
    pre.abort();
    await expect(b.submit(rows(1), 1, pre.signal)).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('close() rejects queued and running calls at once, then every later call', async () => {
    const rec = recorder(true);
    const b = new MicroBatcher(rec.run, options({ maxBatch: 1 }));
    const running = b.submit(rows(1), 1);
    const queued = b.submit(rows(2), 1);
    await new Promise((r) => setImmediate(r));
    const err = Object.assign(new Error('closed'), { code: 'E_DISPOSED' });
    const closing = b.close(err);
    await expect(running).rejects.toBe(err);
    await expect(queued).rejects.toBe(err);
    await rec.releaseNext(); // the run in progress finishes; close() waits for it
    await closing;
    await expect(b.submit(rows(3), 1)).rejects.toBe(err);
    expect(rec.calls.length).toBe(1);
  });
});
