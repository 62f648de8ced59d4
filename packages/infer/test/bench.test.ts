import { benchInfer, Detector } from '../src';
import { linearModel, makeMetadata, tempDir } from './helpers/models';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

it('benchInfer measures single-window latency and batched throughput over the requested windows', async () => {
  const metadata = makeMetadata({ windowSeconds: 1, transform: { kind: 'affine', scale: 1 / 80, offset: 1 } });
  const d = await Detector.load(tmp.write('m.onnx', linearModel(metadata.input.shape, new Float32Array(8080).fill(0.001), 0, { metadata })), { threads: 1 });
  const batches: number[] = [];
  d.on('batch', (e: { size: number }) => batches.push(e.size));
  const r = await benchInfer(d, { windows: 50, batch: 16, latencyRuns: 7, warmup: 1 });
  await d.dispose();
  expect(r).toMatchObject({ windows: 50, batch: 16, executionProvider: 'cpu', inputShape: [1, 80, 101], model: { name: 'test-model', version: '0.0.1' } });
  for (const v of [r.msPerWindow.median, r.msPerWindow.p90, r.windowsPerSecond, r.msPerWindowBatched]) {
    expect(Number.isFinite(v) && v > 0).toBe(true);
  }
  expect(r.msPerWindow.p90).toBeGreaterThanOrEqual(r.msPerWindow.median);
  expect(r.windowsPerSecond * r.msPerWindowBatched).toBeCloseTo(1000, 6);
  // warmup (1 + 16), latency (7 x 1), throughput (16 + 16 + 16 + 2)
  expect(batches).toEqual([1, 16, 1, 1, 1, 1, 1, 1, 1, 16, 16, 16, 2]);
});
