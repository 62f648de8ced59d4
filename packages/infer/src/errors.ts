// Typed failures of the inference package: callers (CLI, server) switch on `code`, never on messages.
// Engine failures (decode, features) arrive from @melguard/dsp with their own codes and pass through unchanged.

export type InferErrorCode =
  /** The ONNX file lacks melguard metadata, or the metadata is malformed or contradicts the graph. */
  | 'E_MODEL_METADATA'
  /** The model file cannot be read or parsed as ONNX. */
  | 'E_MODEL_LOAD'
  /** executionProvider 'cuda' was requested and ONNX Runtime's CUDA provider could not be loaded. */
  | 'E_CUDA_UNAVAILABLE'
  /** The Detector was disposed (before or while the call was pending). */
  | 'E_DISPOSED'
  /** The micro-batch queue is full (maxQueue windows waiting). */
  | 'E_OVERLOADED'
  /** The audio is longer than the caller's maxDurationSeconds. */
  | 'E_TOO_LONG'
  /** The audio is shorter than the model's minimum window length. */
  | 'E_TOO_SHORT'
  /** The caller's AbortSignal fired. */
  | 'E_ABORTED'
  /** ONNX Runtime failed while running the model. */
  | 'E_INFERENCE'
  /** A bad argument to a Detector method. */
  | 'E_INVALID_ARG';

// One error class for the whole engine: dsp's (native and feature errors are MelguardError too).
export { MelguardError } from '@melguard/dsp';

/** The `code` of any thrown value, if it has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
