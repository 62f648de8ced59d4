// ONNX Runtime latency of one input on one core: what a single-window `detect` costs after load.
// Not exported from the package index: onnxruntime-node is only a devDependency of @melguard/train.
import * as ort from 'onnxruntime-node';

export interface LatencyStats {
  path: string;
  /** Full input shape fed, [batch, C, H, W]. */
  shape: number[];
  runs: number;
  warmup: number;
  meanMs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
}

/**
 * Median/mean/p90 latency of `session.run` on one core (intraOpNumThreads 1, sequential execution) for a
 * random input. `shape` is [C, H, W] (batch 1 is prepended) or a full [N, C, H, W].
 */
export async function benchOnnxLatency(path: string, shape: number[], runs = 200): Promise<LatencyStats> {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  const dims = shape.length === 3 ? [1, ...shape] : shape;
  if (dims.length !== 4 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`shape must be [C, H, W] or [N, C, H, W] of positive integers, got [${shape}]`);
  }
  const session = await ort.InferenceSession.create(path, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  try {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = Math.random();
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, dims) };
    const warmup = Math.min(20, Math.max(3, Math.ceil(runs / 10)));
    for (let i = 0; i < warmup; i++) await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    return {
      path,
      shape: dims,
      runs,
      warmup,
      meanMs: times.reduce((a, b) => a + b, 0) / runs,
      medianMs: at(0.5),
      p90Ms: at(0.9),
      minMs: times[0],
    };
  } finally {
    await session.release();
  }
}

// `node dist/onnx/bench-latency.js model.onnx C H W [runs]`
if (require.main === module) {
  const [path, ...rest] = process.argv.slice(2);
  const nums = rest.map(Number);
  const shape = nums.slice(0, 3);
  benchOnnxLatency(path, shape, nums[3] ?? 200)
    .then((s) => console.log(JSON.stringify(s, null, 2)))
    .catch((e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    });
}
