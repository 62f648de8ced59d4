// Admission control: at most `concurrency` requests in the detector, at most `maxQueue` waiting for a slot.
// A full queue is refused at once (503 + Retry-After) instead of letting latency grow without bound.
import { ApiError } from './errors';

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
  cleanup: () => void;
}

export class Admission {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  /** Exponentially weighted mean time a request holds its slot (seconds), for Retry-After. */
  private meanServiceSeconds = 0.05;

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get saturated(): boolean {
    return this.waiting.length >= this.maxQueue;
  }

  /** Seconds a refused client should wait: the time to drain the current queue, 1..30. */
  retryAfterSeconds(): number {
    const drain = ((this.waiting.length + 1) * this.meanServiceSeconds) / this.concurrency;
    return Math.min(30, Math.max(1, Math.ceil(drain)));
  }

  /** Resolves with a release function once a slot is free. Rejects with E_OVERLOADED or, when `signal` fires, E_TIMEOUT. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(timeoutError());
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueue) {
      return Promise.reject(
        new ApiError(503, 'E_OVERLOADED', `server busy: ${this.active} requests running and ${this.waiting.length} queued (limit ${this.maxQueue})`, {
          'retry-after': String(this.retryAfterSeconds()),
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(timeoutError());
      };
      const waiter: Waiter = { resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    const started = process.hrtime.bigint();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.meanServiceSeconds = 0.9 * this.meanServiceSeconds + 0.1 * seconds;
      const next = this.waiting.shift();
      if (next) {
        next.cleanup();
        next.resolve(this.releaser()); // the slot passes straight to the next waiter
      } else {
        this.active--;
      }
    };
  }
}

function timeoutError(): ApiError {
  return new ApiError(504, 'E_TIMEOUT', 'request timed out before a detector slot was free');
}
