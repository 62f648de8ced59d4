// Per-band mean over time, subtracted: x[b, f, t] - mean_t x[b, f, t]. On log spectra a fixed channel (microphone,
// room colouring, level) adds a per-band constant, so this removes it from every window before the network sees
// it (cepstral mean normalisation, done on the mel bands). It has no weights and exports to ReduceMean + Sub.
import * as tf from '@tensorflow/tfjs';

export class TimeMeanNormalization extends tf.layers.Layer {
  static readonly className = 'TimeMeanNormalization';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    // NHWC with H = bands, W = frames: the time axis is 2.
    return tf.tidy(() => tf.sub(x, tf.mean(x, 2, true)));
  }
}

tf.serialization.registerClass(TimeMeanNormalization);
