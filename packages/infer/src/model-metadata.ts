// Turns the JSON in an ONNX file's metadata_props into a checked ModelMetadata, and checks it against the graph.
import {
  MODEL_FORMAT,
  MODEL_METADATA_KEY,
  modelInputLayout,
  resolveOptions,
  type ModelInputLayout,
  type ModelMetadata,
  type SpectrogramOptions,
} from '@melguard/dsp';
import { MelguardError } from './errors';

function fail(source: string, what: string): never {
  throw new MelguardError('E_MODEL_METADATA', `${source}: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/**
 * Parses and validates the melguard metadata of a model (from `metadata_props[MODEL_METADATA_KEY]`).
 * `props` is every metadata_props entry; `source` names the model in error messages.
 * Throws MelguardError E_MODEL_METADATA with a message saying what is missing or wrong.
 */
export function parseModelMetadata(props: Map<string, string>, source: string): { metadata: ModelMetadata; layout: ModelInputLayout } {
  const raw = props.get(MODEL_METADATA_KEY);
  if (raw === undefined) {
    const keys = [...props.keys()];
    fail(
      source,
      `no melguard metadata (metadata_props key '${MODEL_METADATA_KEY}' is missing` +
        `${keys.length ? `; the model has ${keys.map((k) => `'${k}'`).join(', ')}` : '; the model has no metadata_props'}). ` +
        `melguard needs it to compute the features the model was trained on: export models with melguard's trainer ` +
        `(packages/train) or add a '${MODEL_METADATA_KEY}' entry holding ModelMetadata JSON (packages/dsp/src/model-spec.ts)`,
    );
  }
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch (err) {
    fail(source, `metadata '${MODEL_METADATA_KEY}' is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(m)) fail(source, `metadata '${MODEL_METADATA_KEY}' must be a JSON object`);
  if (m.format !== MODEL_FORMAT) fail(source, `metadata format is ${JSON.stringify(m.format)}, this melguard reads '${MODEL_FORMAT}'`);
  for (const key of ['name', 'version'] as const) {
    if (typeof m[key] !== 'string' || !m[key]) fail(source, `metadata.${key} must be a non-empty string`);
  }
  if (!Array.isArray(m.labels) || m.labels.length !== 2 || m.labels[0] !== 'real' || m.labels[1] !== 'fake') {
    fail(source, `metadata.labels must be ["real", "fake"], got ${JSON.stringify(m.labels)}`);
  }
  if (typeof m.threshold !== 'number' || !(m.threshold >= 0 && m.threshold <= 1)) {
    fail(source, `metadata.threshold must be a number in [0, 1], got ${JSON.stringify(m.threshold)}`);
  }
  if (m.training !== undefined && !isObject(m.training)) fail(source, 'metadata.training must be an object');
  const input = m.input;
  if (!isObject(input)) fail(source, 'metadata.input is missing');
  if (!isObject(input.features)) fail(source, 'metadata.input.features is missing');
  let features: SpectrogramOptions;
  try {
    // dsp is the one place that validates spectrogram options; a preset name inside is resolved too.
    features = resolveOptions(input.features as Parameters<typeof resolveOptions>[0]);
  } catch (err) {
    fail(source, `metadata.input.features are invalid: ${(err as Error).message}`);
  }
  const w = input.windowing;
  if (!isObject(w) || !isPositive(w.windowSeconds) || !isPositive(w.hopSeconds) || typeof w.minSeconds !== 'number' || !(w.minSeconds >= 0)) {
    fail(source, `metadata.input.windowing needs positive windowSeconds and hopSeconds and minSeconds >= 0, got ${JSON.stringify(w)}`);
  }
  if (w.minSeconds > w.windowSeconds) fail(source, `metadata.input.windowing.minSeconds (${w.minSeconds}) exceeds windowSeconds (${w.windowSeconds})`);
  const t = input.transform;
  if (!isObject(t)) fail(source, 'metadata.input.transform is missing');
  if (t.kind === 'affine') {
    if (typeof t.scale !== 'number' || !Number.isFinite(t.scale) || typeof t.offset !== 'number' || !Number.isFinite(t.offset)) {
      fail(source, `affine transform needs finite scale and offset, got ${JSON.stringify(t)}`);
    }
  } else if (t.kind === 'image') {
    if (t.colormap !== 'viridis') fail(source, `image transform colormap must be 'viridis', got ${JSON.stringify(t.colormap)}`);
    if (typeof t.vmin !== 'number' || typeof t.vmax !== 'number' || !(t.vmax > t.vmin)) {
      fail(source, `image transform needs numbers vmin < vmax, got ${JSON.stringify([t.vmin, t.vmax])}`);
    }
    if (!Array.isArray(t.size) || t.size.length !== 2 || !t.size.every(isPositiveInt)) {
      fail(source, `image transform size must be [height, width] positive integers, got ${JSON.stringify(t.size)}`);
    }
  } else {
    fail(source, `metadata.input.transform.kind must be 'affine' or 'image', got ${JSON.stringify(t.kind)}`);
  }
  for (const key of ['inputName', 'outputName'] as const) {
    if (typeof input[key] !== 'string' || !input[key]) fail(source, `metadata.input.${key} must be a non-empty string`);
  }
  if (!Array.isArray(input.shape) || input.shape.length !== 3 || !input.shape.every(isPositiveInt)) {
    fail(source, `metadata.input.shape must be [channels, height, width] positive integers, got ${JSON.stringify(input.shape)}`);
  }
  const metadata = { ...(m as unknown as ModelMetadata), training: (m.training as Record<string, unknown>) ?? {} };
  metadata.input = { ...metadata.input, features };
  let layout: ModelInputLayout;
  try {
    layout = modelInputLayout(metadata.input);
  } catch (err) {
    fail(source, (err as Error).message);
  }
  return { metadata, layout };
}

/** What ONNX Runtime reports about one graph input or output. */
export interface GraphValue {
  name: string;
  /** Dimensions; strings are symbolic (dynamic). Absent for non-tensors. */
  shape?: readonly (number | string)[];
  type?: string;
}

/**
 * Checks the metadata against the graph: the named input exists, is float32, has rank 4 and matches [C, H, W];
 * the named output exists. Returns the fixed batch size when the graph pins one (else null = dynamic).
 */
export function checkGraph(metadata: ModelMetadata, inputs: readonly GraphValue[], outputs: readonly GraphValue[], source: string): number | null {
  const { inputName, outputName, shape } = metadata.input;
  const input = inputs.find((v) => v.name === inputName);
  if (!input) fail(source, `metadata names input '${inputName}', the graph's inputs are ${inputs.map((v) => `'${v.name}'`).join(', ')}`);
  if (inputs.length !== 1) fail(source, `the graph has ${inputs.length} inputs; melguard models take exactly one ('${inputName}')`);
  if (!outputs.some((v) => v.name === outputName)) {
    fail(source, `metadata names output '${outputName}', the graph's outputs are ${outputs.map((v) => `'${v.name}'`).join(', ')}`);
  }
  if (input.type !== undefined && input.type !== 'float32') fail(source, `input '${inputName}' is ${input.type}, melguard feeds float32`);
  if (input.shape) {
    if (input.shape.length !== 4) fail(source, `input '${inputName}' has rank ${input.shape.length}, expected 4 (NCHW)`);
    for (let i = 0; i < 3; i++) {
      const dim = input.shape[i + 1];
      if (typeof dim === 'number' && dim !== shape[i]) {
        fail(source, `input '${inputName}' has shape [${input.shape}] in the graph but the metadata declares [N,${shape}]`);
      }
    }
    const batch = input.shape[0];
    if (typeof batch === 'number' && batch > 0) return batch;
  }
  return null;
}
