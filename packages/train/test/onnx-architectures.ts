// The two architectures the exporter must handle, built here so the ONNX tests do not depend on the model
// builders (which are tested through the exporter separately when they exist).
import * as tf from '@tensorflow/tfjs';

/** The seed project's CNN: 128x128x3 image, Conv 32/64/128 3x3 ReLU + 2x2 max-pool, Flatten, Dense 128, Dropout, sigmoid. */
export function seedArchitecture(): tf.Sequential {
  return tf.sequential({
    name: 'seed_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [128, 128, 3], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
}

/** Default-like: strided conv + BN + ReLU + max-pool blocks, global average pooling, dense sigmoid on [80, 401, 1]. */
export function defaultLikeArchitecture(): tf.LayersModel {
  const block = (x: tf.SymbolicTensor, filters: number, strides: number, pool: 'valid' | 'same' | null): tf.SymbolicTensor => {
    let y = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    if (pool) y = tf.layers.maxPooling2d({ poolSize: 2, padding: pool }).apply(y) as tf.SymbolicTensor;
    return y;
  };
  const input = tf.input({ shape: [80, 401, 1] });
  let x = block(input, 16, 2, 'valid');
  x = block(x, 32, 1, 'same');
  x = block(x, 64, 2, null);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.3 }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'default_like' });
}
