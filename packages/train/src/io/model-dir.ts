// A trained model on disk: tfjs layers format (model.json + weights.bin, loadable by tf.loadLayersModel and
// tfjs-node's file:// handler) plus metadata.json (the ModelMetadata the ONNX exporter writes into the file).
import type { ModelMetadata } from '@melguard/dsp';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { TrainError } from '../errors';
import { replaceDirAtomic, writeFileAtomic } from './atomic';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const METADATA_JSON = 'metadata.json';

function concat(data: ArrayBuffer | ArrayBuffer[]): Buffer {
  return Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data);
}

/** Writes the model (and its metadata, when given) into `dir`, replacing what was there. */
export async function saveModelDir(model: tf.LayersModel, dir: string, metadata?: ModelMetadata): Promise<void> {
  await replaceDirAtomic(dir, async (tmp) => {
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      const weights = concat(artifacts.weightData ?? new ArrayBuffer(0));
      writeFileAtomic(path.join(tmp, WEIGHTS_BIN), weights);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: '@melguard/train',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(path.join(tmp, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }));
    if (metadata) writeFileAtomic(path.join(tmp, METADATA_JSON), JSON.stringify(metadata, null, 1) + '\n');
  });
}

export interface LoadedModel {
  model: tf.LayersModel;
  /** null when the directory has no metadata.json. */
  metadata: ModelMetadata | null;
  dir: string;
}

/** Loads a model directory written by saveModelDir. */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!fs.existsSync(jsonPath)) throw new TrainError('E_NO_MODEL', `no trained model at ${dir} (missing ${MODEL_JSON})`);
  let json: { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  let weightData: ArrayBuffer;
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    const group = json.weightsManifest?.[0];
    if (!json.modelTopology || !group) throw new Error('model.json lacks modelTopology or weightsManifest');
    const bytes = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  } catch (err) {
    throw new TrainError('E_BAD_MODEL', `cannot read the model at ${dir}: ${(err as Error).message}`, { cause: err });
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'],
      weightSpecs: json.weightsManifest![0].weights,
      weightData,
    }));
  } catch (err) {
    throw new TrainError('E_BAD_MODEL', `the model at ${dir} does not load: ${(err as Error).message}`, { cause: err });
  }
  let metadata: ModelMetadata | null = null;
  const metaPath = path.join(dir, METADATA_JSON);
  if (fs.existsSync(metaPath)) {
    try {
      metadata = JSON.parse(fs.readFileSync(metaPath, 'utf8'));
    } catch (err) {
      throw new TrainError('E_BAD_MODEL', `${metaPath} is not valid JSON`, { cause: err });
    }
  }
  return { model, metadata, dir };
}
