// A DetectorLike whose detector lives in a worker thread: uploads are transferred (not copied twice),
// results come back as messages. A crashed worker fails its pending requests with a 503 and is restarted.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchEvent, DetectBufferOptions, DetectionResult, DetectorLike } from '../types';
import type { DetectorLoadOptions } from './inline';

export interface WorkerDetectorOptions extends DetectorLoadOptions {
  /**
   * Module (plain JS) exporting `loadDetector(options) => Promise<DetectorLike>`, loaded inside the worker.
   * Default: this package's compiled inline adapter over @melguard/infer.
   */
  factory?: string;
}

interface Pending {
  resolve: (r: DetectionResult) => void;
  reject: (e: Error) => void;
}

const WORKER_SCRIPT = path.resolve(__dirname, '../../lib/detector-worker.js');
const DEFAULT_FACTORY = path.resolve(__dirname, '../../dist/detector/inline.js');

export class WorkerDetector implements DetectorLike {
  private worker!: Worker;
  private card: unknown = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly batchListeners: ((e: BatchEvent) => void)[] = [];
  private readonly queueView = new Int32Array(new SharedArrayBuffer(4));
  private disposed = false;
  private starting: Promise<void> | null = null;

  private constructor(private readonly options: WorkerDetectorOptions) {}

  static async start(options: WorkerDetectorOptions = {}): Promise<WorkerDetector> {
    const d = new WorkerDetector(options);
    await d.spawn();
    return d;
  }

  private spawn(): Promise<void> {
    const { factory = DEFAULT_FACTORY, ...loadOptions } = this.options;
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { factory, options: loadOptions, queueBuffer: this.queueView.buffer },
    });
    this.worker = worker;
    this.starting = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: WorkerMessage) => {
        switch (msg.type) {
          case 'ready':
            this.card = msg.card;
            resolve();
            break;
          case 'load-error':
            reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
            void worker.terminate();
            break;
          case 'batch':
            for (const l of this.batchListeners) l({ size: msg.size, seconds: msg.seconds });
            break;
          case 'result':
            this.settle(msg);
            break;
        }
      });
      worker.on('error', (err) => {
        reject(err);
        this.failAll(`detector worker crashed: ${err.message}`);
      });
      worker.on('exit', (code) => {
        reject(new Error(`detector worker exited with code ${code} while loading`));
        this.failAll(`detector worker exited with code ${code}`);
        if (!this.disposed && this.worker === worker) this.starting = null; // respawned on the next request
      });
    }).finally(() => undefined);
    return this.starting;
  }

  async detectBuffer(data: Uint8Array, options: DetectBufferOptions = {}): Promise<DetectionResult> {
    if (this.disposed) throw Object.assign(new Error('detector is disposed'), { code: 'E_DETECTOR_UNAVAILABLE' });
    if (!this.starting) await this.spawn();
    else await this.starting;
    const { signal, ...rest } = options;
    const id = this.nextId++;
    // Transfer a private copy: fastify's buffers may share a pooled ArrayBuffer that must not be detached.
    const copy = new Uint8Array(data.byteLength);
    copy.set(data);
    return new Promise<DetectionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => this.worker.postMessage({ type: 'abort', id }), { once: true });
      this.worker.postMessage({ type: 'detect', id, data: copy.buffer, options: rest }, [copy.buffer]);
    });
  }

  queueLength(): number {
    return Atomics.load(this.queueView, 0);
  }

  modelCard(): unknown {
    return this.card;
  }

  onBatch(listener: (e: BatchEvent) => void): void {
    this.batchListeners.push(listener);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const worker = this.worker;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 5000);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ type: 'dispose' });
    });
    this.failAll('detector disposed');
  }

  private settle(msg: Extract<WorkerMessage, { type: 'result' }>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    else p.resolve(msg.result!);
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(Object.assign(new Error(message), { code: 'E_DETECTOR_UNAVAILABLE' }));
    this.pending.clear();
  }
}

type WorkerMessage =
  | { type: 'ready'; card: unknown }
  | { type: 'load-error'; error: { code: string; message: string } }
  | { type: 'batch'; size: number; seconds: number }
  | { type: 'result'; id: number; result?: DetectionResult; error?: { code: string; message: string } };
