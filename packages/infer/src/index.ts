// @melguard/infer: deepfake-speech detection with ONNX Runtime over melguard's native features.
export { Detector, DEFAULT_MODEL_PATH } from './detector';
export type { DetectOptions, Detection, DetectorOptions, DetectorStats, FileDetection, ModelCard, WindowScore } from './detector';
export { aggregateScores, labelFor, parseAggregate } from './aggregate';
export type { Aggregate } from './aggregate';
export type { BatchInfo } from './batcher';
export { MelguardError } from './errors';
export type { InferErrorCode } from './errors';
export { readOnnxMetadataProps } from './onnx-metadata';
export { parseModelMetadata } from './model-metadata';
export { CUDA_INSTALL_HINT, CUDA_WARNING_CODE } from './session';
export type { ActiveProvider, ExecutionProviderChoice } from './session';
export { planWindows } from './windows';
export { benchInfer } from './bench';
export type { BenchInferOptions, BenchInferResult } from './bench';
