// Several detector workers behind one DetectorLike. onnxruntime-node runs a session synchronously on the thread
// that calls it, so while one worker's event loop is inside an ONNX Runtime run, the other can hand uploads to
// the native decode/feature threads and collect their results: the stages overlap instead of taking turns.
// Each request goes to the worker with the fewest requests in flight.
import type { BatchEvent, DetectBufferOptions, DetectionResult, DetectorLike } from '../types';
import { WorkerDetector, type WorkerDetectorOptions } from './worker';

export class WorkerPoolDetector implements DetectorLike {
  private readonly inFlight: number[];

  private constructor(private readonly workers: WorkerDetector[]) {
    this.inFlight = workers.map(() => 0);
  }

  static async start(size: number, options: WorkerDetectorOptions = {}): Promise<WorkerPoolDetector> {
    if (!Number.isSafeInteger(size) || size < 1) throw Object.assign(new Error(`inference workers must be an integer >= 1, got ${size}`), { code: 'E_INVALID_ARG' });
    const started = await Promise.allSettled(Array.from({ length: size }, () => WorkerDetector.start(options)));
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(ok.map((w) => w.dispose()));
      throw failed.reason;
    }
    return new WorkerPoolDetector(ok);
  }

  get size(): number {
    return this.workers.length;
  }

  async detectBuffer(data: Uint8Array, options?: DetectBufferOptions): Promise<DetectionResult> {
    let i = 0;
    for (let k = 1; k < this.workers.length; k++) if (this.inFlight[k] < this.inFlight[i]) i = k;
    this.inFlight[i]++;
    try {
      return await this.workers[i].detectBuffer(data, options);
    } finally {
      this.inFlight[i]--;
    }
  }

  queueLength(): number {
    return this.workers.reduce((sum, w) => sum + w.queueLength(), 0);
  }

  modelCard(): unknown {
    return this.workers[0].modelCard();
  }

  onBatch(listener: (e: BatchEvent) => void): void {
    for (const w of this.workers) w.onBatch(listener);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.dispose()));
  }
}
