// A Detector-shaped fake for limit/queue/shutdown tests. It "decodes" a tiny made-up format so bad input
// behaves like the real engine: b"FAKE" + float32 seconds + payload; anything else -> E_UNSUPPORTED / E_CORRUPT.
import type { BatchEvent, DetectBufferOptions, DetectionResult, DetectorLike } from '../src/types';

export function fakeClip(seconds: number, seed = 1): Buffer {
  const b = Buffer.alloc(12 + 64);
  b.write('FAKE', 0, 'latin1');
  b.writeFloatLE(seconds, 4);
  b.writeUInt32LE(seed, 8);
  for (let i = 0; i < 64; i++) b[12 + i] = (seed * 31 + i * 7) & 0xff;
  return b;
}

export interface FakeDetectorOptions {
  /** Time each request takes (ms). */
  delayMs?: number;
  /** When set, requests wait until release() is called. */
  gated?: boolean;
}

export class FakeDetector implements DetectorLike {
  calls = 0;
  active = 0;
  maxActive = 0;
  disposed = false;
  private gate: (() => void)[] = [];
  private listeners: ((e: BatchEvent) => void)[] = [];

  constructor(private readonly options: FakeDetectorOptions = {}) {}

  release(): void {
    const g = this.gate;
    this.gate = [];
    for (const f of g) f();
  }

  get waitingAtGate(): number {
    return this.gate.length;
  }

  async detectBuffer(data: Uint8Array, options: DetectBufferOptions = {}): Promise<DetectionResult> {
    this.calls++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.options.gated) await new Promise<void>((r) => this.gate.push(r));
      if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
      const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (buf.length < 4 || buf.toString('latin1', 0, 4) !== 'FAKE') throw err('E_UNSUPPORTED', 'unrecognised audio format');
      if (buf.length < 12) throw err('E_CORRUPT', 'truncated header');
      const duration = buf.readFloatLE(4);
      if (!(duration > 0)) throw err('E_EMPTY', 'zero-length audio');
      if (options.maxDurationSeconds !== undefined && duration > options.maxDurationSeconds) {
        throw err('E_TOO_LONG', `audio is ${duration} s long; the limit is ${options.maxDurationSeconds} s`);
      }
      const seed = buf.readUInt32LE(8);
      const n = Math.max(1, Math.ceil(duration / 4));
      const windows = Array.from({ length: n }, (_, i) => ({ start: i * 4, end: Math.min(duration, i * 4 + 4), score: ((seed * 13 + i * 29) % 100) / 100 }));
      for (const l of this.listeners) l({ size: n, seconds: 0.001 });
      const scores = windows.map((w) => w.score);
      const agg = options.aggregate ?? 'mean';
      const score = agg === 'max' ? Math.max(...scores) : scores.reduce((a, b) => a + b, 0) / scores.length;
      return {
        score,
        label: score >= 0.5 ? 'fake' : 'real',
        threshold: 0.5,
        windows,
        duration,
        model: { name: 'fake', version: '0.0.0' },
        timing: { decode: 0.001, features: 0.002, inference: 0.003 },
      };
    } finally {
      this.active--;
    }
  }

  queueLength(): number {
    return this.gate.length;
  }

  modelCard(): unknown {
    return { name: 'fake', version: '0.0.0' };
  }

  onBatch(listener: (e: BatchEvent) => void): void {
    this.listeners.push(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function err(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
