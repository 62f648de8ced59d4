// Adapts @melguard/infer's Detector to the server's DetectorLike, in the calling thread.
// Loaded lazily so the server package can be imported (and tested with fakes) without the model.
import type { BatchEvent, DetectBufferOptions, DetectionResult, DetectorLike } from '../types';

export interface DetectorLoadOptions {
  /** ONNX model path; undefined = the bundled default model. */
  modelPath?: string;
  executionProvider?: 'cpu' | 'cuda' | 'auto';
  /** ONNX Runtime intra-op threads. */
  threads?: number;
  /** Largest micro-batch (windows per ONNX Runtime run). */
  maxBatch?: number;
  /** Longest a window waits for its micro-batch to fill, ms. */
  maxDelayMs?: number;
}

/** The subset of @melguard/infer's Detector this adapter relies on. */
interface InferDetector {
  detectBuffer(data: Uint8Array, options?: Record<string, unknown>): Promise<DetectionResult>;
  readonly queueLength?: number;
  readonly metadata?: unknown;
  modelCard?: () => unknown;
  readonly card?: unknown;
  on?(event: 'batch', listener: (e: BatchEvent) => void): unknown;
  dispose(): Promise<void> | void;
}

export function adaptInferDetector(d: InferDetector): DetectorLike {
  return {
    detectBuffer: (data: Uint8Array, options: DetectBufferOptions = {}) => d.detectBuffer(data, { ...options }),
    queueLength: () => d.queueLength ?? 0,
    modelCard: () => (typeof d.modelCard === 'function' ? d.modelCard() : (d.card ?? d.metadata ?? null)),
    onBatch: (listener) => {
      d.on?.('batch', listener);
    },
    dispose: async () => {
      await d.dispose();
    },
  };
}

export async function loadDetector(options: DetectorLoadOptions = {}): Promise<DetectorLike> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const infer = require('@melguard/infer') as {
    Detector: { load(modelPath?: string, options?: Record<string, unknown>): Promise<InferDetector> };
  };
  const detector = await infer.Detector.load(options.modelPath, {
    executionProvider: options.executionProvider ?? 'cpu',
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.maxBatch !== undefined ? { batchSize: options.maxBatch, maxBatch: options.maxBatch } : {}),
    ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
  });
  return adaptInferDetector(detector);
}
