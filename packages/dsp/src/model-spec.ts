// The contract between training (which writes it into the ONNX file) and inference (which reads it):
// everything needed to turn audio into exactly the tensor the model was trained on.
import type { SpectrogramOptions } from './types';

/** ONNX metadata_props key holding the JSON-encoded ModelMetadata. */
export const MODEL_METADATA_KEY = 'melguard.metadata';
export const MODEL_FORMAT = 'melguard-model/1';

/** How one window's spectrogram [bins][frames] (in the preset's scale) becomes the model's input tensor. */
export type InputTransform =
  /** x' = x * scale + offset, layout [1][bins][frames] (C=1). */
  | { kind: 'affine'; scale: number; offset: number }
  /**
   * The seed project's image: dB mapped to [0,1] over [vmin, vmax], coloured with `colormap` (RGB),
   * bilinearly resized to `size` = [height, width], low frequencies at the bottom (row 0 = highest bin).
   */
  | { kind: 'image'; colormap: 'viridis'; vmin: number; vmax: number; size: [height: number, width: number] };

export interface ModelInputSpec {
  features: SpectrogramOptions;
  windowing: { windowSeconds: number; hopSeconds: number; minSeconds: number };
  transform: InputTransform;
  /** ONNX input tensor name and its shape without the (dynamic) batch dimension, NCHW. */
  inputName: string;
  shape: [channels: number, height: number, width: number];
  /** ONNX output name; the output is [batch, 1] = P(fake). */
  outputName: string;
}

export interface ModelMetadata {
  format: typeof MODEL_FORMAT;
  name: string;
  version: string;
  input: ModelInputSpec;
  /** Class index -> label. Output probability is of label 1. */
  labels: ['real', 'fake'];
  /** score >= threshold -> 'fake'. */
  threshold: number;
  /** Free-form summary of the training data and validation metrics (the model card's core). */
  training: Record<string, unknown>;
}
