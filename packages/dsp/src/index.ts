// @melguard/dsp: librosa-compatible log-mel / log-linear spectrograms over melguard's native engine.
export * from './types';
export * from './model-spec';
export * from './model-input';
export * from './errors';
export { presetNames, presetDefinitions } from './presets';
export { presets, resolveOptions, frameCount, WINDOWS, PAD_MODES, SCALES, LIMITS } from './options';
export {
  spectrogram,
  spectrogramAsync,
  spectrogramBatch,
  melFilterbank,
  checkSamples,
  isFloat32Array,
  engineInfo,
} from './spectrogram';
export type { Filterbank, ParallelOptions } from './spectrogram';
export { syntheticSpeech } from './synth';
export type { SyntheticSpeechOptions } from './synth';
export { runDspBench, formatDspBench } from './bench';
export type { DspBenchOptions, DspBenchResult } from './bench';
export * from './audio'; export * from './files'; export * from './augment'; export * from './bench-features';
export * from './copy-synthesis';
