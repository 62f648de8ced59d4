// The ModelMetadata contract written into metadata_props: one JSON entry that inference parses, plus a few
// readable keys for people inspecting the file with generic tools (Netron, onnx.load).
import { MODEL_FORMAT, MODEL_METADATA_KEY, type ModelMetadata } from '@melguard/dsp';
import type { onnx } from 'onnx-proto';
import { OnnxExportError } from './errors';

function bad(message: string): OnnxExportError {
  return new OnnxExportError('E_ONNX_METADATA', `model metadata: ${message}`);
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Checks the metadata on its own and against the model's input (tfjs [H, W, C]). */
export function validateMetadata(metadata: ModelMetadata, modelInputHWC: [number, number, number]): void {
  if (!metadata || typeof metadata !== 'object') throw bad('missing');
  if (metadata.format !== MODEL_FORMAT) throw bad(`format must be '${MODEL_FORMAT}', got '${String(metadata.format)}'`);
  if (!nonEmpty(metadata.name)) throw bad('name is empty');
  if (!nonEmpty(metadata.version)) throw bad('version is empty');
  if (!Array.isArray(metadata.labels) || metadata.labels[0] !== 'real' || metadata.labels[1] !== 'fake') {
    throw bad(`labels must be ['real', 'fake'], got ${JSON.stringify(metadata.labels)}`);
  }
  if (typeof metadata.threshold !== 'number' || !(metadata.threshold >= 0 && metadata.threshold <= 1)) {
    throw bad(`threshold must be a number in [0, 1], got ${String(metadata.threshold)}`);
  }
  const input = metadata.input;
  if (!input || typeof input !== 'object') throw bad('input spec is missing');
  if (!nonEmpty(input.inputName) || !nonEmpty(input.outputName)) throw bad('input.inputName and input.outputName are required');
  if (input.inputName === input.outputName) throw bad(`inputName and outputName are both '${input.inputName}'`);
  const [h, w, c] = modelInputHWC;
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || shape[0] !== c || shape[1] !== h || shape[2] !== w) {
    throw bad(`input.shape ${JSON.stringify(shape)} does not match the model input [C, H, W] = [${c}, ${h}, ${w}]`);
  }
  if (!input.features || !input.windowing || !input.transform) throw bad('input.features, input.windowing and input.transform are required');
  if (!metadata.training || typeof metadata.training !== 'object') throw bad('training must be an object');
}

/** The feature preset's name when the training summary records one. */
function presetName(metadata: ModelMetadata, override?: string): string {
  if (override) return override;
  const p = metadata.training.preset ?? metadata.training.presetName;
  return typeof p === 'string' ? p : 'custom';
}

export function metadataProps(metadata: ModelMetadata, preset?: string): onnx.IStringStringEntryProto[] {
  const entries: [string, string][] = [
    [MODEL_METADATA_KEY, JSON.stringify(metadata)],
    ['format', metadata.format],
    ['name', metadata.name],
    ['version', metadata.version],
    ['preset', presetName(metadata, preset)],
    ['threshold', String(metadata.threshold)],
    ['labels', metadata.labels.join(',')],
    ['input', `${metadata.input.inputName} [N, ${metadata.input.shape.join(', ')}] (NCHW)`],
    ['output', `${metadata.input.outputName} [N, 1] = P(fake)`],
  ];
  return entries.map(([key, value]) => ({ key, value }));
}
