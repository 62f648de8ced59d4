// Ensembles of trained models: one model whose output is sigmoid(mean of the members' logits). Members trained
// separately (e.g. with and without time-mean normalisation) make different mistakes; averaging logits keeps the
// detector a single file with one input, and the ONNX exporter writes it as branches joined by Mean.
import type { ModelMetadata } from '@melguard/dsp';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { StoreSource, openStoreFor } from './data/store-source';
import { windowsOf } from './data/source';
import { resolveSplit } from './data/split';
import { TrainError } from './errors';
import { clipReport, metricsVal, scoreWindows, validationSummary, valMetrics } from './evaluate';
import { writeFileAtomic } from './io/atomic';
import { saveModelDir } from './io/model-dir';
import { loadTrainedModel } from './load';
import { countMacs, recipeFor, type ModelName } from './models';

interface LayerJson {
  class_name: string;
  config: { name?: string; activation?: string; layers?: LayerJson[] } & Record<string, unknown>;
}

/**
 * A copy of a Sequential member whose layers are renamed `m<k>_<name>` (tfjs refuses two weights of one name in
 * a model) and whose final sigmoid is dropped, so it outputs its logit.
 */
async function logitMember(member: tf.LayersModel, k: number): Promise<tf.LayersModel> {
  const json = member.toJSON(null, false) as unknown as LayerJson;
  const layers = json.config.layers;
  const last = layers?.[layers.length - 1];
  if (json.class_name !== 'Sequential' || !layers || last?.class_name !== 'Dense' || last.config.activation !== 'sigmoid') {
    throw new TrainError('E_BAD_MODEL', `ensemble member ${k} ("${member.name}") is not a Sequential model ending in a sigmoid Dense layer`);
  }
  json.config.name = `member_${k}`;
  for (const l of layers) l.config.name = `m${k}_${l.config.name}`;
  last.config.activation = 'linear';
  const copy = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
  copy.setWeights(member.getWeights());
  return copy;
}

/** sigmoid(mean_k logit_k): one model over the members' shared input. */
export async function buildEnsembleModel(members: tf.LayersModel[]): Promise<tf.LayersModel> {
  if (members.length < 2) throw new TrainError('E_BAD_OPTION', `an ensemble needs at least 2 models, got ${members.length}`);
  const shape = members[0].inputs[0].shape.slice(1) as number[];
  for (const m of members) {
    if (JSON.stringify(m.inputs[0].shape.slice(1)) !== JSON.stringify(shape)) {
      throw new TrainError('E_ENSEMBLE_MISMATCH', `ensemble members take different inputs: [${shape}] and [${m.inputs[0].shape.slice(1)}]`);
    }
  }
  const input = tf.input({ shape, name: 'input' });
  const logits: tf.SymbolicTensor[] = [];
  for (const [k, m] of members.entries()) logits.push((await logitMember(m, k + 1)).apply(input) as tf.SymbolicTensor);
  const mean = tf.layers.average({ name: 'logit_mean' }).apply(logits) as tf.SymbolicTensor;
  const output = tf.layers.activation({ activation: 'sigmoid', name: 'p_fake' }).apply(mean) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'ensemble' });
}

export interface EnsembleOptions {
  /** Output folders of `train` (or their model/ folders), trained on one split with one input spec. */
  members: string[];
  /** The feature store they were trained on: the ensemble's threshold is its clip EER threshold on the validation side. */
  features: string;
  /** Output folder: model/ (tfjs + metadata), metrics.json, split.json — the same layout as `train`. */
  out: string;
}

export interface EnsembleResult {
  out: string;
  modelDir: string;
  metrics: Record<string, unknown>;
}

/** The run folder's name (not its path: the metadata travels inside the exported model). */
const runName = (dir: string): string => {
  const abs = path.resolve(dir);
  return path.basename(abs) === 'model' ? path.basename(path.dirname(abs)) : path.basename(abs);
};

const readSplit = (dir: string): string | null => {
  for (const f of [path.join(dir, 'split.json'), path.join(dir, '..', 'split.json')]) if (fs.existsSync(f)) return f;
  return null;
};

/** Combines trained models into one, measures it on their validation side and saves it like a training run. */
export async function createEnsemble(options: EnsembleOptions): Promise<EnsembleResult> {
  if (!Array.isArray(options.members) || options.members.length < 2) {
    throw new TrainError('E_BAD_OPTION', `an ensemble needs at least 2 models, got ${options.members?.length ?? 0}`);
  }
  const loaded = [];
  try {
    for (const given of options.members) loaded.push({ given, ...(await loadTrainedModel(given)) });
    const meta = loaded[0].metadata as ModelMetadata;
    const splits = loaded.map((l) => readSplit(l.dir));
    // each member's split.json, read once; a split's identity is its sides (train, val and any dev side)
    const texts = splits.map((f) => (f ? fs.readFileSync(f, 'utf8') : null));
    const sides = texts.map((text) => {
      if (text === null) return null;
      const { train, val, dev } = JSON.parse(text) as { train: string[]; val: string[]; dev?: string[] };
      return JSON.stringify({ train, val, dev: dev ?? null });
    });
    for (const [i, l] of loaded.entries()) {
      if (JSON.stringify(l.metadata!.input) !== JSON.stringify(meta.input)) {
        throw new TrainError('E_ENSEMBLE_MISMATCH', `${l.given} takes another input than ${loaded[0].given} (preset, windowing or transform differ)`);
      }
      if (!splits[i]) throw new TrainError('E_ENSEMBLE_MISMATCH', `${l.given} has no split.json: the threshold needs the members' validation side`);
      if (sides[i] !== sides[0]) {
        throw new TrainError('E_ENSEMBLE_MISMATCH', `${l.given} was trained on another split than ${loaded[0].given}`);
      }
    }
    const training = (meta.training ?? {}) as Record<string, unknown>;
    const recipe = recipeFor(training.model as ModelName);
    const model = await buildEnsembleModel(loaded.map((l) => l.model));
    let source: StoreSource;
    try {
      source = new StoreSource(openStoreFor(options.features, recipe), recipe);
    } catch (err) {
      model.dispose();
      throw err;
    }
    const recorded = (training.split ?? {}) as { policy?: string; origin?: string };
    try {
      const split = resolveSplit(source, { file: splits[0]!, seed: 0 });
      const valRefs = windowsOf(source, split.val);
      const scores = await scoreWindows(model, source, valRefs, 64);
      const val = valMetrics(source, valRefs, scores);
      // members that selected on a dev side: so does the ensemble's threshold, and validation stays measurement only
      const devRefs = split.dev ? windowsOf(source, split.dev) : null;
      const dev = devRefs ? valMetrics(source, devRefs, await scoreWindows(model, source, devRefs, 64)) : null;
      const threshold = (dev ?? val).clipThreshold;
      const clip = clipReport(source, valRefs, scores, threshold);
      const members = loaded.map((l) => {
        const t = (l.metadata!.training ?? {}) as Record<string, unknown>;
        return {
          run: runName(l.given), arch: t.arch ?? null, architecture: t.architecture, parameters: t.parameters, epochs: t.epochs,
          validation: t.validation, augmentation: t.augmentation ?? null, hyperparameters: t.hyperparameters ?? null,
        };
      });
      const parameters = model.countParams();
      const macs = loaded.reduce((n, l) => n + countMacs(l.model), 0);
      // one augmentation record when the members share it, otherwise each member's (not the first member's alone)
      const augs = members.map((m) => JSON.stringify(m.augmentation));
      const augmentation = augs.every((a) => a === augs[0])
        ? members[0].augmentation
        : { perMember: members.map((m) => ({ run: m.run, augmentation: m.augmentation })) };
      const metadata: ModelMetadata = {
        ...meta,
        threshold,
        training: {
          ...training,
          arch: 'ensemble',
          architecture: `mean of the logits of ${members.length} models: ${members.map((m) => m.architecture).join(' | ')}`,
          parameters,
          macs,
          epochs: members.map((m) => m.epochs),
          augmentation,
          members,
          validation: validationSummary(val),
          ...(dev ? { dev: validationSummary(dev) } : {}),
        },
      };
      const modelDir = path.join(options.out, 'model');
      fs.mkdirSync(options.out, { recursive: true });
      await saveModelDir(model, modelDir, metadata);
      writeFileAtomic(path.join(options.out, 'split.json'), texts[0]!);
      const metrics = {
        model: training.model,
        ensemble: members.map((m) => m.run),
        parameters,
        macs,
        threshold,
        split: { policy: recorded.policy ?? split.policy, origin: recorded.origin ?? split.origin, selection: dev ? 'dev' : 'val' },
        val: metricsVal(val, clip),
        ...(dev ? { dev: validationSummary(dev) } : {}),
      };
      writeFileAtomic(path.join(options.out, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
      return { out: options.out, modelDir, metrics };
    } finally {
      model.dispose();
      source.close();
    }
  } finally {
    for (const l of loaded) l.model.dispose();
  }
}
