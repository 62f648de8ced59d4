// ONNX export of melguard's tfjs models (no tfjs->ONNX converter exists on npm: the graph is written here).
export { OnnxExportError, type OnnxExportErrorCode } from './errors';
export {
  BATCH_DIM,
  buildOnnxModel,
  encodeOnnxModel,
  exportOnnx,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  type ExportOptions,
  type ExportResult,
  type ExportSummary,
} from './export';
export { SUPPORTED_LAYERS } from './layers';
export { SUPPORTED_ACTIVATIONS } from './activations';
