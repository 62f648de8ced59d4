// What the server needs from a detector. @melguard/infer's Detector is adapted to this shape
// (detector/inline.ts), the worker-thread client implements it too, and tests inject fakes.

export interface WindowScore {
  start: number;
  end: number;
  score: number;
}

export interface DetectionResult {
  score: number;
  label: string;
  threshold: number;
  windows: WindowScore[];
  duration: number;
  model: { name: string; version: string };
  /** Seconds spent per stage, when the detector reports it. */
  timing?: { decode?: number; features?: number; inference?: number };
}

/** 'mean' | 'max' | 'topk:K' (mean of the K highest window scores). */
export type Aggregate = 'mean' | 'max' | `topk:${number}`;

export interface DetectBufferOptions {
  aggregate?: Aggregate;
  /** Longest accepted audio, seconds: longer input fails with code E_TOO_LONG. */
  maxDurationSeconds?: number;
  /** Aborted when the client's deadline passes; detectors may drop the work early. */
  signal?: AbortSignal;
  /** Only used in error messages. */
  filename?: string;
}

export interface BatchEvent {
  /** Windows in one ONNX Runtime run. */
  size: number;
  /** Wall time of the run. */
  seconds: number;
}

export interface DetectorLike {
  detectBuffer(data: Uint8Array, options?: DetectBufferOptions): Promise<DetectionResult>;
  /** Windows waiting for a micro-batch. */
  queueLength(): number;
  /** The model card (JSON) served by GET /v1/model. */
  modelCard(): unknown;
  onBatch(listener: (event: BatchEvent) => void): void;
  dispose(): Promise<void>;
}
