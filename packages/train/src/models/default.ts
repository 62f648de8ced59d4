// melguard's default detector for the speech16k preset (80 mel bands x 401 frames per 4 s window).
// A small all-convolutional network: a strided stem, Conv-BN-ReLU stages with max-pooling, global average
// pooling (so it needs no fixed input width and has few weights) and one sigmoid unit. Candidate designs
// share this builder and differ in widths; DEFAULT_ARCH is the one chosen (README "The default model").
import * as tf from '@tensorflow/tfjs';
import { TimeMeanNormalization } from './time-mean-norm';

export interface DefaultArch {
  /** Filters of the stride-2 stem convolution. */
  stem: number;
  /** Max-pool 2x2 right after the stem. */
  stemPool: boolean;
  /** Filters of each stage (3x3 conv, BN, ReLU); a 2x2 max-pool follows every stage but the last. */
  stages: number[];
  /** Convolutions per stage. */
  convsPerStage: number;
  /**
   * 'gap': global average pooling of the last stage. 'freq': first a convolution spanning every remaining
   * frequency row (kernel [rows, 1], valid) so each frequency band keeps its own weights, then the average
   * over time. Vocoder and codec artefacts live in particular bands; plain pooling forgets which.
   */
  head: 'gap' | 'freq';
  dropout: number;
  /** Subtract each band's mean over the window first (channel normalisation, see time-mean-norm.ts). */
  timeMeanNorm?: boolean;
}

export const DEFAULT_ARCHS = {
  /** 20.7 M MACs, 47 k parameters. */
  small: { stem: 16, stemPool: true, stages: [32, 48, 64], convsPerStage: 1, head: 'gap', dropout: 0.3 },
  /** The small network with a frequency-aware head: 21.3 M MACs, 68 k parameters. */
  'small-freq': { stem: 16, stemPool: true, stages: [32, 48, 64], convsPerStage: 1, head: 'freq', dropout: 0.3 },
  /** Wider stages with the frequency-aware head: 30.6 M MACs, 94 k parameters. */
  'wide-freq': { stem: 24, stemPool: true, stages: [32, 64, 72], convsPerStage: 1, head: 'freq', dropout: 0.3 },
  /** small-freq behind a per-band time-mean subtraction (blind to a fixed channel colouring): same cost. */
  'small-freq-cmn': { stem: 16, stemPool: true, stages: [32, 48, 64], convsPerStage: 1, head: 'freq', dropout: 0.3, timeMeanNorm: true },
} satisfies Record<string, DefaultArch>;

export type DefaultArchName = keyof typeof DEFAULT_ARCHS;
export const DEFAULT_ARCH_NAME: DefaultArchName = 'small-freq';

export const DEFAULT_INPUT_SHAPE: [number, number, number] = [80, 401, 1];

export function buildDefaultModel(
  seed: number,
  inputShape: [number, number, number] = DEFAULT_INPUT_SHAPE,
  arch: DefaultArch = DEFAULT_ARCHS[DEFAULT_ARCH_NAME],
): tf.Sequential {
  let k = 0;
  const init = () => tf.initializers.heNormal({ seed: seed + 101 * ++k });
  const model = tf.sequential({ name: 'default' });
  const layers = { push: (...ls: tf.layers.Layer[]) => ls.forEach((l) => model.add(l)) };
  const convBnRelu = (name: string, filters: number, strides = 1, first = false, kernelSize: number | [number, number] = 3) => {
    layers.push(
      tf.layers.conv2d({
        name, filters, kernelSize, strides, padding: kernelSize === 3 ? 'same' : 'valid', useBias: false, kernelInitializer: init(),
        ...(first ? { inputShape } : {}),
      }),
      tf.layers.batchNormalization({ name: `${name}_bn`, momentum: 0.9 }),
      tf.layers.activation({ name: `${name}_relu`, activation: 'relu' }),
    );
  };
  if (arch.timeMeanNorm) model.add(new TimeMeanNormalization({ name: 'time_mean_norm', inputShape }));
  convBnRelu('stem', arch.stem, 2, !arch.timeMeanNorm);
  if (arch.stemPool) layers.push(tf.layers.maxPooling2d({ name: 'stem_pool', poolSize: 2 }));
  arch.stages.forEach((filters, s) => {
    for (let c = 0; c < arch.convsPerStage; c++) convBnRelu(`s${s + 1}c${c + 1}`, filters);
    if (s < arch.stages.length - 1) layers.push(tf.layers.maxPooling2d({ name: `s${s + 1}_pool`, poolSize: 2 }));
  });
  if (arch.head === 'freq') {
    const rows = (model.outputShape as number[])[1];
    convBnRelu('head', arch.stages[arch.stages.length - 1], 1, false, [rows, 1]);
  }
  layers.push(
    tf.layers.globalAveragePooling2d({ name: 'gap' }),
    tf.layers.dropout({ name: 'dropout', rate: arch.dropout, seed }),
    tf.layers.dense({ name: 'score', units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 101 * ++k }) }),
  );
  return model;
}

/** Multiply-accumulates of one forward pass (convolutions and dense layers), for cost comparisons. */
export function countMacs(model: tf.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const cls = layer.getClassName();
    if (cls === 'Conv2D') {
      const [kh, kw, ci, co] = layer.weights[0].shape as number[];
      macs += out[1] * out[2] * kh * kw * ci * co;
    } else if (cls === 'Dense') {
      const [i, o] = layer.weights[0].shape as number[];
      macs += i * o;
    }
  }
  return macs;
}
