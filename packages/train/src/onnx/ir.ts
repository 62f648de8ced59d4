// The exporter's intermediate form: tfjs layers become these ops (weights already in ONNX layout, NCHW),
// simplified by fold.ts, then emitted as ONNX nodes by graph.ts.

export type ActivationFn =
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'hardSigmoid'
  | 'swish'
  | 'leakyRelu'
  /** min(max(x, 0), max): relu6 and ReLU layers with maxValue. */
  | 'clip';

interface FromLayer {
  /** tfjs layer name, used for node names and messages. */
  layer: string;
}

export interface ConvOp extends FromLayer {
  kind: 'conv';
  /** OIHW: [out, in / group, kh, kw]. */
  weight: Float32Array;
  weightShape: [number, number, number, number];
  bias: Float32Array | null;
  strides: [number, number];
  dilations: [number, number];
  /** ONNX order: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  group: number;
}

export interface PoolOp extends FromLayer {
  kind: 'maxPool' | 'avgPool';
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
}

/** Global pooling to [N, C]. */
export interface GlobalPoolOp extends FromLayer {
  kind: 'globalAvgPool' | 'globalMaxPool';
}

/** Inference-mode batch norm over the channel axis: (x − mean) / sqrt(variance + epsilon) · gamma + beta. */
export interface BatchNormOp extends FromLayer {
  kind: 'batchNorm';
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

/** y = x · W + b with W as [in, out]. */
export interface DenseOp extends FromLayer {
  kind: 'dense';
  weight: Float32Array;
  inFeatures: number;
  outFeatures: number;
  bias: Float32Array | null;
}

export interface FlattenOp extends FromLayer {
  kind: 'flatten';
  /**
   * The NHWC shape [H, W, C] of a 4-D input whose flattening order differs between tfjs (NHWC) and ONNX (NCHW);
   * null when the orders agree (rank-2 input, C = 1 or H·W = 1) or the next Dense was permuted to match.
   */
  reorderFrom: [number, number, number] | null;
}

export interface ActivationOp extends FromLayer {
  kind: 'activation';
  fn: ActivationFn;
  /** leakyRelu / elu slope, clip upper bound. */
  alpha?: number;
}

/** x − mean of x over the time axis (NCHW axis 3), per batch item, channel and band: melguard's TimeMeanNormalization. */
export interface TimeMeanNormOp extends FromLayer {
  kind: 'timeMeanNorm';
}

/** Every branch runs on the same input; the result is their element-wise mean (tfjs Average over member models). */
export interface AverageOp extends FromLayer {
  kind: 'average';
  branches: Op[][];
}

export type Op = ConvOp | PoolOp | GlobalPoolOp | BatchNormOp | DenseOp | FlattenOp | ActivationOp | TimeMeanNormOp | AverageOp;
