// Per-epoch checkpoints: every model weight (BN statistics included), the Adam state (moments, step count
// and the running beta powers, restored exactly rather than recomputed), the trainer's RNG state and its
// bookkeeping. state.json is the commit point: it names the weights file and its sha256, and is replaced
// atomically after the weights file is complete, so a crash mid-write leaves the previous checkpoint intact.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { TrainError } from '../errors';
import type { RngState } from '../rng';
import type { WeightAverageState } from '../weight-average';
import { sha256, writeFileAtomic } from './atomic';

export const CHECKPOINT_FORMAT = 'melguard-checkpoint/1';
export const STATE_JSON = 'state.json';

export interface TensorSpec {
  name: string;
  shape: number[];
}

export interface CheckpointState<T = unknown> {
  format: typeof CHECKPOINT_FORMAT;
  /** Epochs completed. */
  epoch: number;
  /** What must match for a resume to continue the same run (model, seed, data, hyper-parameters). */
  fingerprint: Record<string, unknown>;
  rng: RngState;
  optimizer: { iterations: number; accBeta1: number; accBeta2: number };
  weightsFile: string;
  sha256: string;
  modelWeights: TensorSpec[];
  optimizerWeights: TensorSpec[];
  /** The weight average's update count and tensors (stored after the optimizer's), when the run keeps one. */
  average?: { updates: number; weights: TensorSpec[] };
  /** Trainer bookkeeping (history, best epoch, patience). */
  trainer: T;
  savedAt: string;
}

interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  iterations: number;
}

function toBytes(tensors: tf.Tensor[]): Buffer {
  return Buffer.concat(tensors.map((t) => {
    const v = t.dataSync() as Float32Array;
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }));
}

export async function saveCheckpoint<T>(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.AdamOptimizer,
  rest: Pick<CheckpointState<T>, 'epoch' | 'fingerprint' | 'rng' | 'trainer'>,
  average?: WeightAverageState,
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const modelTensors = model.getWeights();
  const optNamed = (await optimizer.getWeights()).slice(1); // [0] is the iteration count
  const optTensors = optNamed.map((w) => w.tensor);
  const averageTensors = average?.tensors ?? [];
  for (const t of [...modelTensors, ...optTensors, ...averageTensors]) {
    if (t.dtype !== 'float32') throw new TrainError('E_BAD_MODEL', `cannot checkpoint a ${t.dtype} weight`);
  }
  const bytes = toBytes([...modelTensors, ...optTensors, ...averageTensors]);
  const weightsFile = `weights-${String(rest.epoch).padStart(4, '0')}.bin`;
  writeFileAtomic(path.join(dir, weightsFile), bytes);
  const adam = optimizer as unknown as AdamInternals;
  const state: CheckpointState<T> = {
    format: CHECKPOINT_FORMAT,
    ...rest,
    optimizer: { iterations: adam.iterations, accBeta1: adam.accBeta1.dataSync()[0], accBeta2: adam.accBeta2.dataSync()[0] },
    weightsFile,
    sha256: sha256(bytes),
    modelWeights: model.weights.map((w, i) => ({ name: w.originalName, shape: modelTensors[i].shape })),
    optimizerWeights: optNamed.map((w) => ({ name: w.name, shape: w.tensor.shape })),
    ...(average ? { average: { updates: average.updates, weights: averageTensors.map((t, i) => ({ name: `average/${model.weights[i].originalName}`, shape: t.shape })) } } : {}),
    savedAt: new Date().toISOString(),
  };
  writeFileAtomic(path.join(dir, STATE_JSON), JSON.stringify(state, null, 1) + '\n');
  // Older weights files are no longer referenced.
  for (const f of fs.readdirSync(dir)) if (/^weights-\d+\.bin$/.test(f) && f !== weightsFile) fs.rmSync(path.join(dir, f), { force: true });
}

const corrupt = (dir: string, why: string, cause?: unknown) =>
  new TrainError('E_CHECKPOINT_CORRUPT', `checkpoint at ${dir} is unusable: ${why}`, { cause });

/** Reads and verifies state.json and the weights it names (sha256, sizes). */
export function readCheckpoint<T>(dir: string): { state: CheckpointState<T>; weights: Float32Array } {
  const statePath = path.join(dir, STATE_JSON);
  if (!fs.existsSync(statePath)) throw new TrainError('E_NO_CHECKPOINT', `no checkpoint to resume from (${statePath} does not exist)`);
  let state: CheckpointState<T>;
  try {
    state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
  } catch (err) {
    throw corrupt(dir, `${STATE_JSON} is not valid JSON`, err);
  }
  if (state?.format !== CHECKPOINT_FORMAT) throw corrupt(dir, `unknown format ${JSON.stringify(state?.format)}`);
  const okSpecs = (s: unknown) => Array.isArray(s) && s.every((t) => Array.isArray(t?.shape) && t.shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0));
  if (!Number.isInteger(state.epoch) || state.epoch < 1 || typeof state.weightsFile !== 'string' || !/^weights-\d+\.bin$/.test(state.weightsFile) ||
      !okSpecs(state.modelWeights) || !okSpecs(state.optimizerWeights) || !Array.isArray(state.rng) || typeof state.optimizer?.iterations !== 'number' ||
      (state.average !== undefined && (!Number.isInteger(state.average?.updates) || !okSpecs(state.average.weights)))) {
    throw corrupt(dir, `${STATE_JSON} is incomplete`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(dir, state.weightsFile));
  } catch (err) {
    throw corrupt(dir, `${state.weightsFile} is missing`, err);
  }
  if (sha256(bytes) !== state.sha256) throw corrupt(dir, `${state.weightsFile} does not match its sha256 (truncated or modified)`);
  const floats = [...state.modelWeights, ...state.optimizerWeights, ...(state.average?.weights ?? [])].reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== floats * 4) throw corrupt(dir, `${state.weightsFile} holds ${bytes.byteLength} bytes, the specs need ${floats * 4}`);
  const weights = new Float32Array(floats);
  Buffer.from(weights.buffer).set(bytes);
  return { state, weights };
}

/**
 * Puts checkpointed weights and optimizer state back into a freshly built model and optimizer; returns the
 * weight average's state when the checkpoint has one (the caller owns its tensors).
 */
export async function restoreCheckpoint<T>(
  dir: string,
  loaded: { state: CheckpointState<T>; weights: Float32Array },
  model: tf.LayersModel,
  optimizer: tf.AdamOptimizer,
): Promise<WeightAverageState | null> {
  const { state, weights } = loaded;
  const expected = model.weights.map((w) => w.shape);
  const got = state.modelWeights.map((s) => s.shape);
  if (expected.length !== got.length || expected.some((s, i) => s.join('x') !== got[i].join('x'))) {
    throw new TrainError('E_CHECKPOINT_MISMATCH', `checkpoint at ${dir} was made for a different model ` +
      `(${got.length} weights, this model has ${expected.length})`);
  }
  let off = 0;
  const take = (spec: TensorSpec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(weights.subarray(off, off + n), spec.shape, 'float32');
    off += n;
    return t;
  };
  const modelTensors = state.modelWeights.map(take);
  model.setWeights(modelTensors);
  tf.dispose(modelTensors);
  const optTensors = state.optimizerWeights.map((s) => ({ name: s.name, tensor: take(s) }));
  await optimizer.setWeights([{ name: 'iter', tensor: tf.scalar(state.optimizer.iterations, 'int32') }, ...optTensors]);
  tf.dispose(optTensors.map((o) => o.tensor));
  // Adam recomputes beta^t with pow(); training multiplied it step by step. Restore the exact values.
  const adam = optimizer as unknown as AdamInternals;
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(state.optimizer.accBeta1));
    adam.accBeta2.assign(tf.scalar(state.optimizer.accBeta2));
  });
  return state.average ? { updates: state.average.updates, tensors: state.average.weights.map(take) } : null;
}
