// The addon loads and runs in worker_threads: per-environment state, concurrent use, and clean teardown
// (including a worker terminated while its async work is still running).
import { join } from 'path';
import { Worker } from 'worker_threads';
import { presets, spectrogram } from '../src';
import { readInput } from './fixtures';

const NATIVE = join(__dirname, '..', '..', '..', 'native', 'index.js');

// Plain JS run inside each worker: sync, async and batch calls, then this environment's call counters.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const native = require(workerData.nativePath);
(async () => {
  const { samples, options } = workerData;
  const sync = native.spectrogram(samples, options);
  const asyncResult = await native.spectrogramAsync(samples, options);
  const [batch] = await native.spectrogramBatch([samples], options, 2);
  parentPort.postMessage({ sync, asyncResult, batch, calls: native.engineInfo().calls });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack) }));
`;

// Starts async work and exits before it can finish.
const ABANDON_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const native = require(workerData.nativePath);
const long = new Float32Array(16000 * 60).fill(0.1);
for (let i = 0; i < 4; i++) native.spectrogramAsync(long, workerData.options);
native.spectrogramBatch([long, long], workerData.options);
parentPort.postMessage('started');
`;

interface WorkerResult {
  sync: { data: Float32Array; shape: number[] };
  asyncResult: { data: Float32Array; shape: number[] };
  batch: { data: Float32Array; shape: number[] };
  calls: { sync: number; async: number; batch: number; pending: number };
  error?: string;
}

function run(samples: Float32Array): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nativePath: NATIVE, samples, options: presets.speech16k } });
    worker.once('message', (m: WorkerResult) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

test('two workers load the addon and compute concurrently, matching the main thread', async () => {
  const samples = readInput('speech16k');
  const expected = spectrogram(samples, presets.speech16k);
  const results = await Promise.all([run(samples), run(samples)]);
  for (const r of results) {
    for (const s of [r.sync, r.asyncResult, r.batch]) {
      expect(s.shape).toEqual(expected.shape);
      expect(Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength).equals(Buffer.from(expected.data.buffer))).toBe(true);
    }
    // Counters are per environment: each worker saw exactly its own calls.
    expect(r.calls).toEqual({ sync: 1, async: 1, batch: 1, pending: 0 });
  }
});

test('terminating a worker with async work in flight is clean, and the addon keeps working', async () => {
  for (let round = 0; round < 3; round++) {
    const worker = new Worker(ABANDON_SOURCE, { eval: true, workerData: { nativePath: NATIVE, options: presets.speech16k } });
    await new Promise((resolve) => worker.once('message', resolve));
    const code = await worker.terminate();
    expect(code).toBe(1);
  }
  const samples = readInput('speech16k');
  const r = await run(samples);
  expect(r.sync.shape).toEqual([80, 401]);
});
