// Export failures carry a stable `code`; messages name the offending layer (class and name) when there is one.

export type OnnxExportErrorCode =
  /** A layer class the exporter cannot translate (e.g. LSTM, Conv1D). */
  | 'E_ONNX_UNSUPPORTED_LAYER'
  /** A supported layer with an option the exporter cannot translate (e.g. channelsFirst, an unknown activation). */
  | 'E_ONNX_UNSUPPORTED_CONFIG'
  /** The model is not a single-input, single-output chain of layers. */
  | 'E_ONNX_NOT_A_CHAIN'
  /** The model's output is not [batch, 1] after a sigmoid. */
  | 'E_ONNX_OUTPUT'
  /** The ModelMetadata is invalid or does not match the model. */
  | 'E_ONNX_METADATA'
  /** The file could not be written. */
  | 'E_ONNX_WRITE';

export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
  constructor(
    readonly code: OnnxExportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Minimal view of a tfjs layer, enough to name it in messages. */
export interface NamedLayer {
  name: string;
  getClassName(): string;
}

export function layerLabel(layer: NamedLayer): string {
  return `${layer.getClassName()} "${layer.name}"`;
}
