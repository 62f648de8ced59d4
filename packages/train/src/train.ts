// The training loop: batches streamed from a TrainingSource, class-weighted binary cross-entropy, Adam,
// validation EER (window and clip level) after every epoch, early stopping on the clip EER, an atomic
// checkpoint per epoch and a bit-exact --resume (every random choice comes from seeded generators whose
// state is checkpointed). Outputs in `out`: model/ (best epoch, tfjs format + metadata.json), log.jsonl,
// curves.png, metrics.json, split.json and checkpoint/.
import { MODEL_FORMAT, type ModelMetadata } from '@melguard/dsp';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo, type BackendName } from './backend';
import { curvesPng } from './curves';
import { AugmentedSource, type AugmentOptions } from './data/augmented-source';
import { lossWeights, LOSS_BALANCES, type LossBalance } from './data/loss-weights';
import { specAugment, SPEC_AUGMENT_DEFAULTS, type SpecAugmentOptions } from './data/spec-augment';
import { resolveSplit, type ResolvedSplit } from './data/split';
import { inputSize, windowsOf, type TrainingSource, type WindowRef } from './data/source';
import { openStoreFor, StoreSource } from './data/store-source';
import { TrainError } from './errors';
import { clipReport, metricsVal, scoreWindows, validationSummary, valMetrics, type ValMetrics } from './evaluate';
import { writeFileAtomic } from './io/atomic';
import { readCheckpoint, restoreCheckpoint, saveCheckpoint } from './io/checkpoint';
import { loadModelDir, saveModelDir } from './io/model-dir';
import { countMacs, defaultRecipe, DEFAULT_ARCH_NAME, DEFAULT_ARCHS, prepareForTraining, recipeFor, type DefaultArchName, type ModelName, type ModelRecipe } from './models';
import type { ProgressEvent } from './progress';
import { Rng } from './rng';
import { WeightAverage } from './weight-average';

export interface TrainOptions {
  /** Feature store directory (`melguard features`). Required unless `source` is given. */
  features?: string;
  /** A ready source instead of a store (an AugmentedSource, or tests). */
  source?: TrainingSource;
  model: ModelName;
  /** Candidate design of the default model (default: the chosen one). */
  arch?: DefaultArchName;
  out: string;
  /** Default 30. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate, default 1e-3. */
  lr?: number;
  /** Split file (corpus `makeSplit`); default: a grouped split made with `seed`. */
  split?: string;
  /**
   * Share of the training side (grouped, seeded with the split's seed) held out as a dev side that early
   * stopping and the threshold use instead of the validation side, so validation numbers involve no selection.
   * Default 0: select on the validation side.
   */
  devFraction?: number;
  /**
   * How the loss is weighted: 'class' (default) gives reals and fakes half each; 'source' also gives every source
   * an equal share inside each class, so no source's recording conditions predict the label (data/loss-weights.ts).
   */
  balance?: LossBalance;
  /**
   * Decay of an exponential moving average of the weights (e.g. 0.99), which validation scores and the saved
   * model uses instead of the last step's weights (weight-average.ts). Default: none.
   */
  ema?: number;
  /** Seeds weights, shuffles, dropout and the automatic split. Default 0. */
  seed?: number;
  /** Continue from out/checkpoint (same options required). */
  resume?: boolean;
  /** Stop after this many epochs without a better validation clip EER. Default 6. */
  patience?: number;
  /** Halve the learning rate after this many epochs without improvement (down to lr/32). Default 2. */
  lrPatience?: number;
  backend?: BackendName;
  onProgress?: (event: ProgressEvent) => void;
  /** Informational lines (backend choice, warnings). Default: stderr; null = quiet. */
  log?: ((line: string) => void) | null;
  /** Stops training after the current step; the last checkpoint stays resumable. */
  signal?: AbortSignal;
  /**
   * On-the-fly waveform augmentation of training windows (re-decoded from the audio files through
   * @melguard/dsp); true = dsp's default recipe. Validation always uses the stored, clean features.
   */
  augment?: boolean | AugmentOptions;
  /**
   * SpecAugment masking of training inputs (frequency bands and time spans set to silence); single-channel
   * ('affine') inputs only. Default off: on this corpus it slowed convergence without lowering the validation EER.
   */
  specAugment?: boolean | SpecAugmentOptions;
  /** Recorded in the model metadata. */
  notes?: Record<string, unknown>;
}

export interface EpochRecord {
  epoch: number;
  train: { loss: number; accuracy: number };
  val: ValMetrics;
  /** The model-selection side's metrics, when the run has a dev side. */
  dev?: ValMetrics;
  samplesPerSec: number;
  seconds: number;
  lr: number;
}

interface TrainerState {
  history: EpochRecord[];
  best: { epoch: number; clipEer: number; loss: number } | null;
  badEpochs: number;
  stoppedEarly: boolean;
  /** Current learning rate and epochs since it last changed or the model last improved. */
  lr: number;
  sinceLrDrop: number;
}

export interface TrainResult {
  out: string;
  modelDir: string;
  backend: BackendInfo;
  history: EpochRecord[];
  bestEpoch: number;
  stoppedEarly: boolean;
  aborted: boolean;
  /** Contents of metrics.json (absent when aborted before the first epoch finished). */
  metrics?: Record<string, unknown>;
}

const DEFAULTS = { epochs: 30, batchSize: 32, lr: 1e-3, seed: 0, patience: 6, lrPatience: 2 };
const LR_FACTOR = 0.5;
const MIN_LR_RATIO = 1 / 32;
const EVAL_BATCH = 64;
const PKG_VERSION: string = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
})();

function checkOptions(o: TrainOptions): Required<Pick<TrainOptions, 'epochs' | 'batchSize' | 'lr' | 'seed' | 'patience' | 'lrPatience'>> {
  const v = { ...DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) } as typeof DEFAULTS;
  const bad = (name: string, why: string) => new TrainError('E_BAD_OPTION', `${name} ${why}`);
  if (!Number.isInteger(v.epochs) || v.epochs < 1) throw bad('epochs', `must be a positive integer, got ${v.epochs}`);
  if (!Number.isInteger(v.batchSize) || v.batchSize < 1 || v.batchSize > 4096) throw bad('batchSize', `must be an integer in [1, 4096], got ${v.batchSize}`);
  if (!(v.lr > 0 && v.lr < 1)) throw bad('lr', `must be in (0, 1), got ${v.lr}`);
  if (!Number.isInteger(v.seed) || v.seed < 0 || v.seed > 0x7fffffff) throw bad('seed', `must be an integer in [0, 2^31), got ${v.seed}`);
  if (!Number.isInteger(v.patience) || v.patience < 1) throw bad('patience', `must be a positive integer, got ${v.patience}`);
  if (!Number.isInteger(v.lrPatience) || v.lrPatience < 1) throw bad('lrPatience', `must be a positive integer, got ${v.lrPatience}`);
  if (o.devFraction !== undefined && !(o.devFraction >= 0 && o.devFraction < 1)) throw bad('devFraction', `must be in [0, 1), got ${o.devFraction}`);
  if (o.ema !== undefined && !(o.ema > 0 && o.ema < 1)) throw bad('ema', `must be in (0, 1), got ${o.ema}`);
  if (o.balance !== undefined && !LOSS_BALANCES.includes(o.balance)) throw bad('balance', `must be one of ${LOSS_BALANCES.join(', ')}, got ${String(o.balance)}`);
  if (!o.out) throw bad('out', 'is required (output directory)');
  if (!o.features && !o.source) throw bad('features', 'is required (feature store directory)');
  if (o.arch !== undefined && o.model !== 'default') throw bad('arch', 'only applies to the default model');
  if (o.arch !== undefined && !(o.arch in DEFAULT_ARCHS)) throw bad('arch', `must be one of ${Object.keys(DEFAULT_ARCHS).join(', ')}`);
  return v;
}

const hashIds = (ids: readonly string[]) => crypto.createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16);

function paramCount(model: tf.LayersModel): { total: number; trainable: number } {
  const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  return { total: count(model.weights), trainable: count(model.trainableWeights) };
}

/** Class-weighted BCE on probabilities (Keras' clipping), plus the batch accuracy at 0.5. */
function lossAndAccuracy(p: tf.Tensor, y: tf.Tensor, w: tf.Tensor): { loss: tf.Scalar; acc: tf.Scalar } {
  const eps = 1e-7;
  const pc = tf.clipByValue(p, eps, 1 - eps);
  const ll = tf.add(tf.mul(y, tf.log(pc)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, pc))));
  const loss = tf.neg(tf.div(tf.sum(tf.mul(w, ll)), tf.sum(w))) as tf.Scalar;
  const acc = tf.mean(tf.cast(tf.equal(tf.cast(tf.greaterEqual(p, 0.5), 'float32'), y), 'float32')) as tf.Scalar;
  return { loss, acc };
}

export function buildMetadata(
  recipe: ModelRecipe, source: TrainingSource, threshold: number, training: Record<string, unknown>,
): ModelMetadata {
  return {
    format: MODEL_FORMAT,
    name: `melguard-${recipe.name}`,
    version: PKG_VERSION,
    input: source.spec,
    labels: ['real', 'fake'],
    threshold,
    training,
  };
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const o = checkOptions(options);
  const log = options.log === undefined ? (l: string) => process.stderr.write(l + '\n') : options.log;
  const backend = await initBackend({ backend: options.backend, log });
  const recipe = options.arch ? defaultRecipe(DEFAULT_ARCHS[options.arch]) : recipeFor(options.model);
  let source = options.source;
  if (!source) {
    const store = new StoreSource(openStoreFor(options.features!, recipe), recipe);
    try {
      source = options.augment ? new AugmentedSource(store, { ...(options.augment === true ? {} : options.augment), seed: o.seed }) : store;
    } catch (err) {
      store.close();
      throw err;
    }
  } else if (options.augment) {
    throw new TrainError('E_BAD_OPTION', 'augment applies to a feature store; pass an AugmentedSource as source instead');
  }
  try {
    return await runTraining(options, o, recipe, source, backend, log);
  } finally {
    if (!options.source) source.close();
  }
}

async function runTraining(
  options: TrainOptions, o: ReturnType<typeof checkOptions>, recipe: ModelRecipe, source: TrainingSource,
  backend: BackendInfo, log: ((l: string) => void) | null,
): Promise<TrainResult> {
  const started = Date.now();
  const out = path.resolve(options.out);
  const modelDir = path.join(out, 'model');
  const ckptDir = path.join(out, 'checkpoint');
  fs.mkdirSync(out, { recursive: true });

  const split: ResolvedSplit = resolveSplit(source, { file: options.split, seed: o.seed, ...(options.devFraction ? { devFraction: options.devFraction } : {}) });
  if (split.missing > 0) log?.(`[melguard] ${split.missing} file(s) of the split are not in the feature store (skipped)`);
  const trainRefs = windowsOf(source, split.train);
  const valRefs = windowsOf(source, split.val);
  const devRefs = split.dev ? windowsOf(source, split.dev) : null;
  const balance = options.balance ?? 'class';
  const fileWeight = lossWeights(source.files, trainRefs, balance);

  const masking = resolveSpecAugment(options.specAugment, source);
  const fingerprint = {
    model: recipe.name,
    specAugment: masking,
    arch: options.arch ?? null,
    seed: o.seed,
    batchSize: o.batchSize,
    lr: o.lr,
    lrPatience: o.lrPatience,
    inputShape: source.inputShape,
    source: source.kind,
    augment: source instanceof AugmentedSource ? source.describe() : null,
    train: hashIds(split.train.map((i) => source.files[i].id)),
    val: hashIds(split.val.map((i) => source.files[i].id)),
    dev: split.dev ? hashIds(split.dev.map((i) => source.files[i].id)) : null,
    windows: [trainRefs.length, valRefs.length],
    // Recorded only when set, so checkpoints made before these options existed (class weights, no average) still match.
    ...(balance !== 'class' ? { balance } : {}),
    ...(options.ema ? { ema: options.ema } : {}),
  };

  const model = recipe.build(source.inputShape, o.seed);
  prepareForTraining(model);
  const optimizer = tf.train.adam(o.lr);
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as { seed?: number }[];
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const params = paramCount(model);
  const macs = countMacs(model);
  let rng = new Rng(o.seed);
  let state: TrainerState = { history: [], best: null, badEpochs: 0, stoppedEarly: false, lr: o.lr, sinceLrDrop: 0 };
  let startEpoch = 0;
  let average: WeightAverage | null = null;

  try {
    if (options.resume) {
      const loaded = readCheckpoint<TrainerState>(ckptDir);
      // Both sides' keys: an option recorded only when set (balance, ema) must match when either run used it.
      const diff = [...new Set([...Object.keys(fingerprint), ...Object.keys(loaded.state.fingerprint)])].filter(
        (k) => JSON.stringify((fingerprint as Record<string, unknown>)[k]) !== JSON.stringify(loaded.state.fingerprint[k]));
      if (diff.length > 0) {
        throw new TrainError('E_CHECKPOINT_MISMATCH', `cannot resume: the checkpoint at ${ckptDir} was made with different ` +
          diff.map((k) => `${k} (${JSON.stringify(loaded.state.fingerprint[k])}, now ${JSON.stringify((fingerprint as Record<string, unknown>)[k])})`).join(', '),
          { details: { differs: diff } });
      }
      const averageState = await restoreCheckpoint(ckptDir, loaded, model, optimizer);
      if (options.ema && averageState) {
        average = new WeightAverage(model, options.ema, averageState);
        tf.dispose(averageState.tensors);
      }
      rng = Rng.fromState(loaded.state.rng);
      state = loaded.state.trainer;
      startEpoch = loaded.state.epoch;
      (optimizer as unknown as { learningRate: number }).learningRate = state.lr;
    } else {
      // A fresh run must not leave an earlier run's model or checkpoint looking like its own.
      const stale = ['checkpoint', 'model', 'metrics.json', 'log.jsonl', 'curves.png'].filter((f) => fs.existsSync(path.join(out, f)));
      if (stale.length > 0) {
        log?.(`[melguard] ${out} holds an earlier run (${stale.join(', ')}); starting over (use resume to continue it)`);
        for (const f of stale) fs.rmSync(path.join(out, f), { recursive: true, force: true });
      }
    }
    if (options.ema) average ??= new WeightAverage(model, options.ema);
    // Scoring and saving see the averaged weights when the run keeps an average.
    const withAverage = <T>(fn: () => Promise<T>) => (average ? average.swapped(fn) : fn());
    writeFileAtomic(path.join(out, 'split.json'), JSON.stringify({ origin: split.origin, ...split.split }, null, 1) + '\n');

    const steps = Math.ceil(trainRefs.length / o.batchSize);
    options.onProgress?.({
      kind: 'start', backend: backend.description, model: recipe.name, parameters: params.total,
      trainWindows: trainRefs.length, valWindows: valRefs.length, epochs: o.epochs, stepsPerEpoch: steps,
      resumedFrom: options.resume ? startEpoch : null,
    });

    const size = inputSize(source);
    // Two input buffers: the next batch is read (and, for an augmenting source, decoded and perturbed in the
    // native thread pool) while the current one trains.
    const xBufs = [new Float32Array(o.batchSize * size), new Float32Array(o.batchSize * size)];
    const yBuf = new Float32Array(o.batchSize);
    const wBuf = new Float32Array(o.batchSize);
    let aborted = false;

    for (let epoch = startEpoch + 1; epoch <= o.epochs && !state.stoppedEarly && !aborted; epoch++) {
      const t0 = Date.now();
      const order = rng.shuffle(Int32Array.from(trainRefs.keys()));
      const batchOf = (step: number): WindowRef[] => {
        const batch: WindowRef[] = [];
        for (let k = step * o.batchSize; k < Math.min(trainRefs.length, (step + 1) * o.batchSize); k++) batch.push(trainRefs[order[k]]);
        return batch;
      };
      const ctx = { epoch, augment: true };
      let pending: Promise<void> | null = source.fill(batchOf(0), xBufs[0], ctx);
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let step = 0; step < steps; step++) {
        await pending;
        if (options.signal?.aborted) {
          aborted = true;
          break;
        }
        const batch = batchOf(step);
        const xBuf = xBufs[step % 2];
        pending = step + 1 < steps ? source.fill(batchOf(step + 1), xBufs[(step + 1) % 2], ctx) : null;
        const n = batch.length;
        if (masking) specAugment(xBuf, n, source.inputShape[0], source.inputShape[1], masking.fill, rng, masking);
        batch.forEach((r, i) => {
          yBuf[i] = source.files[r.file].label;
          wBuf[i] = fileWeight[r.file];
        });
        for (const d of dropouts) d.seed = rng.nextUint32();
        let accT: tf.Scalar | null = null;
        const lossT = tf.tidy(() => {
          const x = tf.tensor4d(xBuf.subarray(0, n * size), [n, ...source.inputShape]);
          const y = tf.tensor2d(yBuf.subarray(0, n), [n, 1]);
          const w = tf.tensor2d(wBuf.subarray(0, n), [n, 1]);
          return optimizer.minimize(() => {
            const p = model.apply(x, { training: true }) as tf.Tensor;
            const { loss, acc } = lossAndAccuracy(p, y, w);
            accT = tf.keep(acc);
            return loss;
          }, true, vars)!;
        });
        const loss = (await lossT.data())[0];
        const acc = (await accT!.data())[0];
        tf.dispose([lossT, accT!]);
        average?.update();
        if (!Number.isFinite(loss)) {
          await pending;
          throw new TrainError('E_BAD_MODEL', `training diverged at epoch ${epoch} step ${step + 1} (loss ${loss}); lower the learning rate`);
        }
        lossSum += loss * n;
        accSum += acc * n;
        seen += n;
        const seconds = (Date.now() - t0) / 1000;
        options.onProgress?.({
          kind: 'step', epoch, epochs: o.epochs, step: step + 1, steps, loss: lossSum / seen, accuracy: accSum / seen,
          samplesPerSec: seen / Math.max(seconds, 1e-3), seconds,
        });
      }
      if (aborted) break;
      const trainSeconds = (Date.now() - t0) / 1000;
      options.onProgress?.({ kind: 'validate', epoch, epochs: o.epochs });
      const { val, dev } = await withAverage(async () => ({
        val: valMetrics(source, valRefs, await scoreWindows(model, source, valRefs, EVAL_BATCH)),
        dev: devRefs ? valMetrics(source, devRefs, await scoreWindows(model, source, devRefs, EVAL_BATCH)) : undefined,
      }));
      const select = dev ?? val; // the side that picks the epoch and the threshold
      const record: EpochRecord = {
        epoch, train: { loss: lossSum / seen, accuracy: accSum / seen }, val, ...(dev ? { dev } : {}),
        samplesPerSec: seen / Math.max(trainSeconds, 1e-3), seconds: (Date.now() - t0) / 1000, lr: state.lr,
      };
      state.history.push(record);
      const b = state.best;
      const improved = b === null || select.clipEer < b.clipEer || (select.clipEer === b.clipEer && select.loss < b.loss);
      if (improved) {
        state.best = { epoch, clipEer: select.clipEer, loss: select.loss };
        state.badEpochs = 0;
        state.sinceLrDrop = 0;
        const meta = buildMetadata(recipe, source, select.clipThreshold, trainingSummary(recipe, source, split, o, options, backend, { ...params, macs }, record, trainRefs.length, valRefs.length));
        await withAverage(() => saveModelDir(model, modelDir, meta));
      } else {
        state.badEpochs++;
        if (state.badEpochs >= o.patience) state.stoppedEarly = true;
        if (++state.sinceLrDrop >= o.lrPatience && state.lr > o.lr * MIN_LR_RATIO) {
          // Plateau: smaller steps (Adam reads learningRate at every update).
          state.lr = Math.max(o.lr * MIN_LR_RATIO, state.lr * LR_FACTOR);
          state.sinceLrDrop = 0;
          (optimizer as unknown as { learningRate: number }).learningRate = state.lr;
        }
      }
      writeLogs(out, state.history, recipe, log);
      await saveCheckpoint(ckptDir, model, optimizer, { epoch, fingerprint, rng: rng.getState(), trainer: state }, average?.state());
      options.onProgress?.({
        kind: 'epoch', epoch, epochs: o.epochs, train: record.train, val, ...(dev ? { dev } : {}), improved, bestEpoch: state.best!.epoch,
        samplesPerSec: record.samplesPerSec, seconds: record.seconds,
      });
    }

    const result: TrainResult = {
      out, modelDir, backend, history: state.history, bestEpoch: state.best?.epoch ?? 0,
      stoppedEarly: state.stoppedEarly, aborted,
    };
    if (!aborted && state.best) result.metrics = await finalMetrics(out, modelDir, source, valRefs, state, recipe, params, backend, split);
    options.onProgress?.({
      kind: 'done', bestEpoch: result.bestEpoch, stoppedEarly: state.stoppedEarly, aborted, seconds: (Date.now() - started) / 1000,
    });
    return result;
  } finally {
    average?.dispose();
    model.dispose();
    optimizer.dispose();
  }
}

function trainingSummary(
  recipe: ModelRecipe, source: TrainingSource, split: ResolvedSplit, o: ReturnType<typeof checkOptions>, options: TrainOptions,
  backend: BackendInfo, params: { total: number; trainable: number; macs: number }, best: EpochRecord, trainWindows: number, valWindows: number,
): Record<string, unknown> {
  // Each side's files, classes and per-source classes, counted in one pass by one helper.
  const side = (idx: readonly number[]) => {
    const counts = { files: idx.length, real: 0, fake: 0 };
    const bySource: Record<string, { real: number; fake: number }> = {};
    for (const i of idx) {
      const f = source.files[i];
      const cls = f.label === 0 ? 'real' : 'fake';
      (bySource[f.source ?? '(none)'] ??= { real: 0, fake: 0 })[cls]++;
      counts[cls]++;
    }
    return { counts, bySource };
  };
  const trainSide = side(split.train);
  return {
    model: recipe.name,
    ...(recipe.name === 'default' ? { arch: options.arch ?? DEFAULT_ARCH_NAME } : {}),
    architecture: recipe.description,
    preset: source.presetName ?? recipe.preset,
    parameters: params.total,
    macs: params.macs,
    split: {
      policy: split.policy, origin: split.origin, train: { ...trainSide.counts, windows: trainWindows, bySource: trainSide.bySource },
      val: { ...side(split.val).counts, windows: valWindows },
      ...(split.dev ? { dev: side(split.dev).counts, devFraction: split.split.devFraction ?? null } : {}),
      selection: split.dev ? 'dev' : 'val',
    },
    sources: [...new Set(source.files.map((f) => f.source ?? '(none)'))].sort(),
    epochs: best.epoch,
    hyperparameters: {
      batchSize: o.batchSize, lr: o.lr, lrSchedule: `x${LR_FACTOR} after ${o.lrPatience} epochs without improvement, min lr/${1 / MIN_LR_RATIO}`,
      seed: o.seed, patience: o.patience, optimizer: 'adam', loss: 'class-weighted binary cross-entropy', balance: options.balance ?? 'class',
      weightAverage: options.ema ? { kind: 'ema', decay: options.ema } : null,
    },
    validation: validationSummary(best.val),
    ...(best.dev ? { dev: validationSummary(best.dev) } : {}),
    source: source.kind,
    augmentation: source instanceof AugmentedSource ? source.describe() : null,
    specAugment: resolveSpecAugment(options.specAugment, source),
    ...(options.notes ? { notes: options.notes } : {}),
    backend: backend.name,
    tfjs: tf.version.tfjs,
    trainedAt: new Date().toISOString(),
  };
}

/** The masking to apply, with its fill value (the input transform of the quietest dB value), or null. */
function resolveSpecAugment(opt: TrainOptions['specAugment'], source: TrainingSource): (Required<SpecAugmentOptions> & { fill: number }) | null {
  if (!opt) return null;
  const t = source.spec.transform;
  if (t.kind !== 'affine' || source.inputShape[2] !== 1) {
    throw new TrainError('E_BAD_OPTION', 'specAugment needs single-channel spectrogram inputs (the affine transform)');
  }
  const f = source.spec.features;
  const floorDb = f.topDb !== null && f.topDb > 0 ? -f.topDb : -80;
  return { ...SPEC_AUGMENT_DEFAULTS, ...(opt === true ? {} : opt), fill: floorDb * t.scale + t.offset };
}

function writeLogs(out: string, history: readonly EpochRecord[], recipe: ModelRecipe, log: ((l: string) => void) | null): void {
  writeFileAtomic(path.join(out, 'log.jsonl'), history.map((h) => JSON.stringify(h)).join('\n') + '\n');
  try {
    writeFileAtomic(path.join(out, 'curves.png'), curvesPng(history, `melguard ${recipe.name} model`));
  } catch (err) {
    log?.(`[melguard] could not draw curves.png: ${(err as Error).message}`);
  }
}

async function finalMetrics(
  out: string, modelDir: string, source: TrainingSource, valRefs: WindowRef[], state: TrainerState, recipe: ModelRecipe,
  params: { total: number; trainable: number }, backend: BackendInfo, split: ResolvedSplit,
): Promise<Record<string, unknown>> {
  const { model, metadata } = await loadModelDir(modelDir);
  try {
    const scores = await scoreWindows(model, source, valRefs, EVAL_BATCH);
    const best = state.history.find((h) => h.epoch === state.best!.epoch)!;
    const clip = clipReport(source, valRefs, scores, metadata?.threshold);
    const metrics = {
      model: recipe.name,
      parameters: params.total,
      trainableParameters: params.trainable,
      macs: countMacs(model),
      backend: backend.description,
      bestEpoch: state.best!.epoch,
      epochsRun: state.history.length,
      stoppedEarly: state.stoppedEarly,
      threshold: metadata?.threshold,
      split: { policy: split.policy, origin: split.origin, selection: split.dev ? 'dev' : 'val' },
      val: metricsVal(best.val, clip),
      ...(best.dev ? { dev: validationSummary(best.dev) } : {}),
      trainSamplesPerSec: best.samplesPerSec,
    };
    writeFileAtomic(path.join(out, 'metrics.json'), JSON.stringify(metrics, null, 1) + '\n');
    return metrics;
  } finally {
    model.dispose();
  }
}
