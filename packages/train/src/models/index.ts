// Model recipes: which feature preset a model expects, how a window becomes its input, and how to build it.
import type { InputTransform, PresetName, SpectrogramOptions } from '@melguard/dsp';
import * as tf from '@tensorflow/tfjs';
import { TrainError } from '../errors';
import { buildDefaultModel, DEFAULT_ARCH_NAME, DEFAULT_ARCHS, type DefaultArch } from './default';
import { buildSeedModel, SEED_INPUT_SHAPE } from './seed';

export type ModelName = 'seed' | 'default';
export const MODEL_NAMES: readonly ModelName[] = ['seed', 'default'];

export interface ModelRecipe {
  name: ModelName;
  /** The feature-store preset this model is designed for. */
  preset: PresetName;
  /** Other presets whose stores it trains on as well (its input shape follows the store). */
  alsoTrainsOn?: readonly PresetName[];
  description: string;
  /** Input transform for windows of these features ([bins][frames] in the preset's scale). */
  transform(features: SpectrogramOptions, bins: number, frames: number): InputTransform;
  /** tfjs (channels-last) input shape [height, width, channels] for a store of this shape. */
  inputShape(bins: number, frames: number): [number, number, number];
  build(inputShape: [number, number, number], seed: number): tf.LayersModel;
}

/** dB spectrograms with ref 'max' span [-topDb, 0]; 80 dB when unclipped. */
const dbRange = (f: SpectrogramOptions): number => (f.topDb !== null && f.topDb > 0 ? f.topDb : 80);

function requireDb(f: SpectrogramOptions, model: ModelName): void {
  if (f.scale !== 'db') {
    throw new TrainError('E_PRESET_MISMATCH', `the ${model} model expects dB spectrograms, the feature store holds scale "${f.scale}"`);
  }
}

export const SEED_RECIPE: ModelRecipe = {
  name: 'seed',
  preset: 'seed',
  description: 'the seed project CNN: 128x128 viridis image, Conv 32/64/128 + MaxPool, Dense 128, Dropout 0.5, sigmoid',
  transform(features) {
    requireDb(features, 'seed');
    return { kind: 'image', colormap: 'viridis', vmin: -dbRange(features), vmax: 0, size: [SEED_INPUT_SHAPE[0], SEED_INPUT_SHAPE[1]] };
  },
  inputShape: () => SEED_INPUT_SHAPE,
  build: (shape, seed) => buildSeedModel(seed, shape),
};

export function defaultRecipe(arch: DefaultArch = DEFAULT_ARCHS[DEFAULT_ARCH_NAME]): ModelRecipe {
  return {
    name: 'default',
    preset: 'speech16k',
    // Same framing, 257 linear bins instead of 80 mels: lower EER inside the corpus's sources, higher on a
    // held-out source, 3x the compute (packages/train/README.md).
    alsoTrainsOn: ['stft16k'],
    description: `melguard default CNN (${arch.timeMeanNorm ? 'each band minus its mean over the window, ' : ''}stem ${arch.stem}, stages ${arch.stages.join('/')}` +
      `${arch.convsPerStage > 1 ? ` x${arch.convsPerStage}` : ''}, BN, ` +
      `${arch.head === 'freq' ? 'frequency-aware head (a conv over all remaining bands) then the mean over time' : 'global average pooling'}, sigmoid)`,
    transform(features) {
      requireDb(features, 'default');
      // [-range, 0] dB -> [-1, 1]
      const range = dbRange(features);
      return { kind: 'affine', scale: 2 / range, offset: 1 };
    },
    inputShape: (bins, frames) => [bins, frames, 1],
    build: (shape, seed) => buildDefaultModel(seed, shape, arch),
  };
}

/** Presets a recipe trains on, its design preset first. */
export const trainablePresets = (recipe: ModelRecipe): PresetName[] => [recipe.preset, ...(recipe.alsoTrainsOn ?? [])];

export function recipeFor(name: ModelName): ModelRecipe {
  if (name === 'seed') return SEED_RECIPE;
  if (name === 'default') return defaultRecipe();
  throw new TrainError('E_BAD_OPTION', `unknown model "${String(name)}" (${MODEL_NAMES.join(' | ')})`);
}

/** Builds a model with the preset's standard input shape (seed: 128x128x3, default: 80x401x1). */
export function buildModel(name: ModelName, opts: { seed?: number; inputShape?: [number, number, number] } = {}): tf.LayersModel {
  const recipe = recipeFor(name);
  const shape = opts.inputShape ?? (name === 'seed' ? SEED_INPUT_SHAPE : recipe.inputShape(80, 401));
  return recipe.build(shape, opts.seed ?? 0);
}

export { buildDefaultModel, countMacs, DEFAULT_ARCH_NAME, DEFAULT_ARCHS, DEFAULT_INPUT_SHAPE, type DefaultArch, type DefaultArchName } from './default';
export { buildSeedModel, SEED_INPUT_SHAPE } from './seed';
export { fastBatchNormTraining, prepareForTraining, unfuseLinearConvs } from './training-patches';
