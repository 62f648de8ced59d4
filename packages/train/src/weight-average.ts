// An exponential moving average of a model's weights (Polyak averaging; batch-norm statistics included), which
// validation scores and the saved model uses in place of the last step's weights. Why: on this corpus the
// validation EER of the raw weights swings by 10+ points from one epoch to the next, so the epoch a selection side
// picks is partly luck; the average over the last few hundred steps moves smoothly.
import * as tf from '@tensorflow/tfjs';

export interface WeightAverageState {
  /** Updates made so far (sets the warm-up decay). */
  updates: number;
  /** One tensor per model weight, in `model.weights` order. */
  tensors: tf.Tensor[];
}

export class WeightAverage {
  private readonly shadow: tf.Variable[];
  private updates: number;

  /** Starts from the model's current weights, or from a checkpointed state. */
  constructor(private readonly model: tf.LayersModel, readonly decay: number, start?: WeightAverageState) {
    this.updates = start?.updates ?? 0;
    this.shadow = (start?.tensors ?? model.getWeights()).map((t) => tf.variable(t, false));
  }

  /**
   * Folds the current weights in; call after every optimizer step. Early on the decay is lower,
   * min(decay, (1 + n) / (10 + n)) as TensorFlow's ExponentialMovingAverage with num_updates, so the
   * average is not held back by the random initial weights.
   */
  update(): void {
    const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    this.updates++;
    const current = this.model.getWeights();
    tf.tidy(() => this.shadow.forEach((s, i) => s.assign(s.mul(d).add(current[i].mul(1 - d)))));
  }

  /** Runs `fn` with the averaged weights in the model, then puts the trained weights back exactly. */
  async swapped<T>(fn: () => Promise<T>): Promise<T> {
    const trained = this.model.getWeights().map((t) => t.clone());
    this.model.setWeights(this.shadow);
    try {
      return await fn();
    } finally {
      this.model.setWeights(trained);
      tf.dispose(trained);
    }
  }

  /** What a checkpoint needs to continue the average bit for bit (the tensors stay owned by this object). */
  state(): WeightAverageState {
    return { updates: this.updates, tensors: this.shadow };
  }

  dispose(): void {
    tf.dispose(this.shadow);
  }
}
