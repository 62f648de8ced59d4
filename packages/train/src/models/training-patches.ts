// Instance-level speed patches applied to a model before training; they change no numbers and
// leave the layer classes (and so the saved topology and the ONNX export) untouched.
import * as tf from '@tensorflow/tfjs';

interface ConvInternals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: number[];
  padding: 'same' | 'valid';
  dataFormat: string;
  dilationRate: number[];
  activation: { getClassName(): string };
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: object): tf.Tensor;
}

/**
 * A Conv2D without activation runs as tf.fused.conv2d even while recording gradients, and the fused op's
 * gradient computes the input gradient eagerly - for the first layer that is a full-resolution
 * Conv2DBackpropInput nobody uses. The plain conv2d op computes each input's gradient only on demand.
 */
export function unfuseLinearConvs(model: tf.LayersModel): number {
  let patched = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const conv = layer as unknown as ConvInternals;
    const linear = conv.activation.getClassName() === 'linear';
    const plain = conv.dataFormat === 'channelsLast' && conv.dilationRate.every((d) => d === 1);
    if (!linear || !plain) continue;
    conv.call = (inputs) =>
      tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
        const y = tf.conv2d(x, conv.kernel.read() as tf.Tensor4D, conv.strides as [number, number], conv.padding);
        return conv.bias ? tf.add(y, conv.bias.read()) : y;
      });
    patched++;
  }
  return patched;
}

interface BatchNormInternals {
  axis: number | number[];
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor;
}

/**
 * Batch normalisation over all axes but the last, with the analytic gradient:
 *   dx = gamma / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)).
 * tfjs composes the training-mode layer from moments() and batchNorm() and differentiates each piece
 * (~25 full passes over the activation per step, many through Tile); this takes ~10.
 * Returns y plus the batch mean and (biased) variance for the moving averages (kept: the caller disposes them).
 */
function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const axes = [...Array(x.rank - 1).keys()];
  const n = x.size / x.shape[x.rank - 1];
  let mean: tf.Tensor | null = null;
  let variance: tf.Tensor | null = null;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, xhat, scale, m, v] = tf.tidy(() => {
      const mu = tf.mean(xi, axes);
      const xc = tf.sub(xi, mu);
      const va = tf.mean(tf.square(xc), axes);
      const inv = tf.rsqrt(tf.add(va, epsilon));
      const xh = tf.mul(xc, inv);
      return [tf.add(tf.mul(xh, g), b), xh, tf.mul(g, inv), mu, va];
    });
    save([xhat, scale]);
    // The engine disposes what the forward function made besides its value: keep the statistics.
    mean = tf.keep(m);
    variance = tf.keep(v);
    return {
      value: y,
      gradFunc: (d: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, sc] = saved;
        return tf.tidy(() => {
          const dbeta = tf.sum(d, axes);
          const dgamma = tf.sum(tf.mul(d, xh), axes);
          const centred = tf.sub(tf.sub(d, tf.div(dbeta, n)), tf.mul(xh, tf.div(dgamma, n)));
          return [tf.mul(centred, sc), dgamma, dbeta];
        });
      },
    };
  });
  const y = op(x, gamma, beta);
  return { y, mean: mean!, variance: variance! };
}

/**
 * Channels-last BatchNormalization layers train through batchNormTrain (same maths as tfjs-layers, same
 * moving-average update); inference still runs the layer's own code. Returns the number of layers patched.
 */
export function fastBatchNormTraining(model: tf.LayersModel): number {
  let patched = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const bn = layer as unknown as BatchNormInternals;
    const rank = (layer.outputShape as number[]).length;
    const axis = Array.isArray(bn.axis) ? (bn.axis.length === 1 ? bn.axis[0] : NaN) : bn.axis;
    if (!(axis === -1 || axis === rank - 1) || !bn.center || !bn.scale) continue;
    const original = bn.call.bind(bn);
    bn.call = (inputs, kwargs) => {
      if (!kwargs?.training) return original(inputs, kwargs);
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const { y, mean, variance } = batchNormTrain(x, bn.gamma.read(), bn.beta.read(), bn.epsilon);
        // As tfjs-layers: moving = moving - (moving - batch) * (1 - momentum).
        for (const [variable, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
          tf.tidy(() => {
            const old = variable.read();
            variable.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - bn.momentum)));
          });
        }
        tf.dispose([mean, variance]);
        return y;
      });
    };
    patched++;
  }
  return patched;
}

/** All training speed patches (see above). */
export function prepareForTraining(model: tf.LayersModel): void {
  unfuseLinearConvs(model);
  fastBatchNormTraining(model);
}
