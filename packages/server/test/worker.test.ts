// The worker-thread detector host: results and typed errors cross the thread boundary, a crashed worker
// fails only its pending requests (E_DETECTOR_UNAVAILABLE -> 503) and is replaced.
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { WorkerDetector } from '../src/detector/worker';
import { mapError } from '../src/errors';
import { fakeClip } from './fake-detector';
import { waitFor } from './helpers';

const factory = path.join(__dirname, 'fixtures/fake-factory.js');

describe('WorkerDetector', () => {
  test('detects in another thread; errors keep their code; batches are reported', async () => {
    const d = await WorkerDetector.start({ factory });
    try {
      const card = d.modelCard() as { threadId: number };
      expect(card.threadId).not.toBe(threadId);
      const batches: number[] = [];
      d.onBatch((e) => batches.push(e.size));
      const pooled = Buffer.from(fakeClip(3, 77)); // small Buffers share a pool: must not be detached
      const results = await Promise.all([d.detectBuffer(pooled), d.detectBuffer(fakeClip(5, 12))]);
      expect(results.map((r) => r.score)).toEqual([0.77, 0.12]);
      expect(results[1].duration).toBe(5);
      expect(pooled.toString('latin1', 0, 4)).toBe('FAKE');
      await expect(d.detectBuffer(Buffer.from('nope'))).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
      expect(batches).toEqual([1, 1]);
    } finally {
      await d.dispose();
    }
  });

  test('a load failure rejects start() with the code', async () => {
    await expect(WorkerDetector.start({ factory, modelPath: 'missing.onnx' })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('aborting a request reaches the worker', async () => {
    const d = await WorkerDetector.start({ factory });
    try {
      const slow = Buffer.concat([Buffer.from('SLOW\0'), Buffer.alloc(8)]);
      const ac = new AbortController();
      const p = d.detectBuffer(slow, { signal: ac.signal });
      await waitFor(() => d.queueLength() === 1); // the worker holds the request (no fixed sleep: CI machines are busy)
      ac.abort();
      await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' });
    } finally {
      await d.dispose();
    }
  });

  test('a crash fails pending requests with a 503 code and the next request gets a fresh worker', async () => {
    const d = await WorkerDetector.start({ factory });
    try {
      const before = (d.modelCard() as { threadId: number }).threadId;
      const crash = d.detectBuffer(Buffer.from('CRASH'));
      await expect(crash).rejects.toMatchObject({ code: 'E_DETECTOR_UNAVAILABLE' });
      expect(mapError(await crash.catch((e) => e)).status).toBe(503);
      const r = await d.detectBuffer(fakeClip(2, 5));
      expect(r.score).toBe(0.05);
      expect((d.modelCard() as { threadId: number }).threadId).not.toBe(before);
    } finally {
      await d.dispose();
    }
  });

  test('dispose ends the worker; later calls fail with a typed error', async () => {
    const d = await WorkerDetector.start({ factory });
    await d.dispose();
    await expect(d.detectBuffer(fakeClip(1))).rejects.toMatchObject({ code: 'E_DETECTOR_UNAVAILABLE' });
  });
});
