// Micro-batching: windows from concurrent calls are merged into one ONNX Runtime run of up to maxBatch windows.
// Runs are serialised (one session, one run at a time); while a run is in progress new windows queue up and go
// into the next run, so batches grow with load and an idle detector answers without waiting.
import { MelguardError } from './errors';

/** Scores `rows` windows laid out contiguously in `input` (rows * windowSize floats); one score per row. */
export type RunBatch = (input: Float32Array, rows: number) => Promise<Float32Array>;

export interface BatcherOptions {
  /** Floats per window (C*H*W). */
  windowSize: number;
  /** Most windows in one run. */
  maxBatch: number;
  /** How long the first queued window may wait for others before a non-full batch runs (0 = next tick). */
  maxDelayMs: number;
  /** Most windows waiting; beyond it submit() fails with E_OVERLOADED (a request alone on an empty queue is always taken). */
  maxQueue: number;
  /** The graph's fixed batch dimension, if it has one: every run is padded to exactly this many rows. */
  fixedBatch: number | null;
}

export interface BatchInfo {
  /** Windows scored in the run (padding excluded). */
  size: number;
  /** Calls whose windows were in the run. */
  requests: number;
  /** Wall time of the run, seconds. */
  seconds: number;
}

interface Job {
  input: Float32Array;
  n: number;
  /** Windows handed to runs so far. */
  taken: number;
  /** Windows scored so far. */
  done: number;
  scores: Float32Array;
  settled: boolean;
  resolve: (scores: Float32Array) => void;
  reject: (err: Error) => void;
  unlisten?: () => void;
}

interface Segment {
  job: Job;
  /** First window of the job in this run and how many. */
  from: number;
  count: number;
}

export class MicroBatcher {
  private readonly queue: Job[] = [];
  private queued = 0;
  /** Calls not yet answered, queued or inside a run. */
  private readonly live = new Set<Job>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closedWith: Error | null = null;

  constructor(
    private readonly run: RunBatch,
    private readonly options: BatcherOptions,
    private readonly onBatch: (info: BatchInfo) => void = () => {},
  ) {
    if (options.fixedBatch !== null) this.options = { ...options, maxBatch: options.fixedBatch };
  }

  /** Windows waiting for a run. */
  get queuedWindows(): number {
    return this.queued;
  }

  /** Calls submitted and not yet answered (queued or in a run). */
  get pendingCalls(): number {
    return this.live.size;
  }

  /** Scores `n` windows (n * windowSize floats in `input`). Resolves with n scores in order. */
  submit(input: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (n === 0) return Promise.resolve(new Float32Array(0));
    if (input.length < n * this.options.windowSize) {
      return Promise.reject(new MelguardError('E_INVALID_ARG', `submit: ${n} windows need ${n * this.options.windowSize} floats, got ${input.length}`));
    }
    if (this.queued > 0 && this.queued + n > this.options.maxQueue) {
      return Promise.reject(new MelguardError('E_OVERLOADED', `inference queue is full (${this.queued} windows waiting, limit ${this.options.maxQueue})`));
    }
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Float32Array>((resolve, reject) => {
      const job: Job = { input, n, taken: 0, done: 0, scores: new Float32Array(n), settled: false, resolve, reject };
      if (signal) {
        const onAbort = () => this.fail(job, abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        job.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.queued += n;
      this.live.add(job);
      this.schedule();
    });
  }

  /** Rejects every pending call with `err` and every later one; resolves when no run is in progress. */
  async close(err: Error): Promise<void> {
    if (!this.closedWith) {
      this.closedWith = err;
      this.clearTimer();
      // Calls inside a running batch are answered now too; the run's results are dropped when it ends.
      for (const job of [...this.live]) this.fail(job, err);
    }
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.running || this.closedWith || this.queued === 0) return;
    if (this.queued >= this.options.maxBatch) {
      this.clearTimer();
      this.timer = setImmediate(() => this.flush());
      return;
    }
    if (this.timer) return;
    this.timer = this.options.maxDelayMs > 0 ? setTimeout(() => this.flush(), this.options.maxDelayMs) : setImmediate(() => this.flush());
  }

  private clearTimer(): void {
    if (!this.timer) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    if (this.running || this.closedWith || this.queued === 0) return;
    const { windowSize, maxBatch, fixedBatch } = this.options;
    const segments: Segment[] = [];
    let rows = 0;
    while (rows < maxBatch && this.queue.length > 0) {
      const job = this.queue[0];
      const count = Math.min(maxBatch - rows, job.n - job.taken);
      segments.push({ job, from: job.taken, count });
      job.taken += count;
      rows += count;
      this.queued -= count;
      if (job.taken === job.n) this.queue.shift();
    }
    const padded = fixedBatch ?? rows;
    let input: Float32Array;
    const only = segments[0];
    if (segments.length === 1 && padded === rows) {
      // One call's windows, contiguous: no copy.
      input = only.job.input.subarray(only.from * windowSize, (only.from + only.count) * windowSize);
    } else {
      input = new Float32Array(padded * windowSize);
      let at = 0;
      for (const s of segments) {
        input.set(s.job.input.subarray(s.from * windowSize, (s.from + s.count) * windowSize), at);
        at += s.count * windowSize;
      }
    }
    const started = process.hrtime.bigint();
    this.running = this.run(input, padded)
      .then(
        (scores) => {
          if (scores.length !== padded) {
            throw new MelguardError('E_INFERENCE', `the model returned ${scores.length} values for a batch of ${padded} windows (expected one score per window)`);
          }
          const info = { size: rows, requests: segments.length, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
          let at = 0;
          for (const s of segments) {
            this.deliver(s, scores.subarray(at, at + s.count));
            at += s.count;
          }
          try {
            this.onBatch(info);
          } catch (err) {
            // A failing listener is the listener's bug, not an inference failure: surface it like an
            // EventEmitter listener error would, after the results are delivered.
            process.nextTick(() => {
              throw err;
            });
          }
        },
      )
      .catch((err: unknown) => {
        const error = err instanceof MelguardError ? err : new MelguardError('E_INFERENCE', `ONNX Runtime failed: ${(err as Error)?.message ?? err}`, { cause: err });
        for (const s of segments) this.fail(s.job, error);
      })
      .finally(() => {
        this.running = null;
        this.schedule();
      });
  }

  private deliver(s: Segment, scores: Float32Array): void {
    const job = s.job;
    if (job.settled) return;
    job.scores.set(scores, s.from);
    job.done += s.count;
    if (job.done === job.n) {
      job.settled = true;
      this.live.delete(job);
      job.unlisten?.();
      job.resolve(job.scores);
    }
  }

  /** Rejects a job once; its windows not yet handed to a run leave the queue. */
  private fail(job: Job, err: Error): void {
    if (job.settled) return;
    job.settled = true;
    this.live.delete(job);
    job.unlisten?.();
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.queued -= job.n - job.taken;
      job.taken = job.n;
    }
    job.reject(err);
  }
}

function abortError(signal: AbortSignal): MelguardError {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new MelguardError('E_ABORTED', `detection aborted${reason}`, { cause: signal.reason });
}
