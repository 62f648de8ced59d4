// The seed project's CNN, layer for layer (Keras defaults: valid padding, glorot-uniform kernels, zero biases):
// 128x128x3 -> [Conv 3x3 ReLU -> MaxPool 2x2] x (32, 64, 128) -> Flatten -> Dense 128 ReLU -> Dropout 0.5
// -> Dense 1 sigmoid. 3,304,769 parameters, 97 % of them in the first Dense layer.
import * as tf from '@tensorflow/tfjs';

export const SEED_INPUT_SHAPE: [number, number, number] = [128, 128, 3];

export function buildSeedModel(seed: number, inputShape: [number, number, number] = SEED_INPUT_SHAPE): tf.Sequential {
  let k = 0;
  const init = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 101 * ++k }) });
  const conv = (name: string, filters: number, first = false) =>
    tf.layers.conv2d({ name, filters, kernelSize: 3, activation: 'relu', ...(first ? { inputShape } : {}), ...init() });
  const pool = (name: string) => tf.layers.maxPooling2d({ name, poolSize: 2 });
  return tf.sequential({
    name: 'seed',
    layers: [
      conv('conv1', 32, true), pool('pool1'),
      conv('conv2', 64), pool('pool2'),
      conv('conv3', 128), pool('pool3'),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'fc1', units: 128, activation: 'relu', ...init() }),
      tf.layers.dropout({ name: 'dropout', rate: 0.5, seed }),
      tf.layers.dense({ name: 'score', units: 1, activation: 'sigmoid', ...init() }),
    ],
  });
}
