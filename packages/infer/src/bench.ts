// Inference-only latency and throughput of a loaded Detector (no decoding, no features): what `melguard bench`
// reports as the model's cost. Inputs are random tensors of the model's input shape.
import type { Detector } from './detector';

export interface BenchInferOptions {
  /** Windows scored in the throughput phase. Default 256. */
  windows?: number;
  /** Single-window runs in the latency phase. Default 50. */
  latencyRuns?: number;
  /** Batch size of the throughput phase. Default: 32. */
  batch?: number;
  /** Untimed runs first (ORT allocates and picks kernels on the first runs). Default 5. */
  warmup?: number;
}

export interface BenchInferResult {
  model: { name: string; version: string };
  executionProvider: string;
  inputShape: [number, number, number];
  /** Median and p90 wall time of one window scored alone (batch 1), ms. */
  msPerWindow: { median: number; p90: number };
  /** Windows/s when scoring `batch` windows per run. */
  windowsPerSecond: number;
  /** Wall time per window in the batched phase, ms. */
  msPerWindowBatched: number;
  batch: number;
  windows: number;
}

/**
 * Measures ms per window (batch 1) and windows/s (batched) through the Detector's own micro-batcher. The thread
 * count is the Detector's (`threads` option): load it with `threads: 1` for the per-core figure.
 */
export async function benchInfer(detector: Detector, options: BenchInferOptions = {}): Promise<BenchInferResult> {
  const windows = options.windows ?? 256;
  const latencyRuns = options.latencyRuns ?? 50;
  const batch = options.batch ?? 32;
  const warmup = options.warmup ?? 5;
  const size = detector.layout.size;
  const one = randomWindows(1, size, 1);
  const many = randomWindows(batch, size, 2);
  for (let i = 0; i < warmup; i++) {
    await detector.scoreWindows(one, 1);
    await detector.scoreWindows(many, batch);
  }
  const latencies: number[] = [];
  for (let i = 0; i < latencyRuns; i++) {
    const t0 = process.hrtime.bigint();
    await detector.scoreWindows(one, 1);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  let done = 0;
  const t0 = process.hrtime.bigint();
  while (done < windows) {
    const n = Math.min(batch, windows - done);
    await detector.scoreWindows(n === batch ? many : many.subarray(0, n * size), n);
    done += n;
  }
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    model: detector.model,
    executionProvider: detector.executionProvider,
    inputShape: detector.inputShape,
    msPerWindow: { median: quantile(latencies, 0.5), p90: quantile(latencies, 0.9) },
    windowsPerSecond: done / elapsed,
    msPerWindowBatched: (elapsed * 1000) / done,
    batch,
    windows: done,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Deterministic values in [0, 1) (a tiny LCG): benchmarks are repeatable run to run. */
function randomWindows(n: number, size: number, seed: number): Float32Array {
  const out = new Float32Array(n * size);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 4294967296;
  }
  return out;
}
