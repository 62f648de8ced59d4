// The worker-thread detector host: results and typed errors cross the thread boundary, a crashed worker
// fails only its pending requests (E_DETECTOR_UNAVAILABLE -> 503) and is replaced.
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { WorkerDetector } from '../src/detector/worker';
import { WorkerPoolDetector } from '../src/detector/worker-pool';
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

describe('WorkerPoolDetector', () => {
  test('concurrent requests spread over the workers; results and errors are those of one worker', async () => {
    const pool = await WorkerPoolDetector.start(2, { factory });
    try {
      expect(pool.size).toBe(2);
      const results = await Promise.all([1, 2, 3, 4].map((i) => pool.detectBuffer(fakeClip(2, 1000000 + 100 + i))));
      expect(new Set(results.map((r) => r.model.version)).size).toBe(2); // the fake reports its thread id
      expect(results.map((r) => r.score)).toEqual([0.01, 0.02, 0.03, 0.04]); // (1000100 + i) % 100 / 100, in request order
      await expect(pool.detectBuffer(Buffer.from('nope'))).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    } finally {
      await pool.dispose();
    }
  });

  test('a worker that cannot load its model fails the start with its code', async () => {
    await expect(WorkerPoolDetector.start(2, { factory, modelPath: 'missing.onnx' })).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(WorkerPoolDetector.start(0, { factory })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
  });
});
