// @melguard/train: TensorFlow.js training of melguard's detectors (wasm backend with melguard's training
// kernels, or tfjs-node when installed), ONNX export and model cards.
export { train, buildMetadata, type TrainOptions, type TrainResult, type EpochRecord } from './train';
export { loadTrainedModel } from './load';
export { createEnsemble, buildEnsembleModel, type EnsembleOptions, type EnsembleResult } from './ensemble';
export { benchTrain, type BenchTrainOptions, type BenchTrainResult } from './bench';
export { initBackend, currentBackend, type BackendInfo, type BackendName, type InitBackendOptions } from './backend';
export { registerWasmTrainingKernels, unregisterWasmTrainingKernels, WASM_TRAINING_KERNELS } from './kernels';
export {
  buildModel, buildSeedModel, buildDefaultModel, countMacs, recipeFor, defaultRecipe,
  prepareForTraining, unfuseLinearConvs, fastBatchNormTraining,
  MODEL_NAMES, SEED_INPUT_SHAPE, DEFAULT_INPUT_SHAPE, DEFAULT_ARCHS, DEFAULT_ARCH_NAME,
  type ModelName, type ModelRecipe, type DefaultArch, type DefaultArchName,
} from './models';
export { StoreSource, openStoreFor, INPUT_NAME, OUTPUT_NAME } from './data/store-source';
export { AugmentedSource, type AugmentOptions, type AugmentDsp } from './data/augmented-source';
export type { TrainingSource, SourceFile, WindowRef } from './data/source';
export { lossWeights, LOSS_BALANCES, type LossBalance } from './data/loss-weights';
export { consoleProgress, type ProgressEvent } from './progress';
export { saveModelDir, loadModelDir, type LoadedModel } from './io/model-dir';
export { TrainError, type TrainErrorCode } from './errors';
export { Rng, type RngState } from './rng';
export * from './onnx';
export * from './card';
