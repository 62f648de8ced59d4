// Reads a tfjs LayersModel (Sequential, or a functional chain, possibly nesting models) into IR ops in ONNX
// layout: NCHW activations, OIHW conv kernels, explicit TF-style pads.
import type * as tf from '@tensorflow/tfjs';
import { activationOps } from './activations';
import { layerLabel, OnnxExportError } from './errors';
import type { ConvOp, Op } from './ir';
import { outputSize, pads2d, type Padding } from './padding';

type Layer = tf.layers.Layer;
/** Activation shape without the batch dimension: [H, W, C] (tfjs NHWC) or [features]. */
export type Shape = number[];

export const SUPPORTED_LAYERS = [
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'BatchNormalization',
  'Dense',
  'Flatten',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'TimeMeanNormalization',
  'Average',
];

/** Identity at inference time. */
const INFERENCE_IDENTITY = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

function isModel(layer: Layer): layer is Layer & tf.LayersModel {
  return 'inputs' in layer && 'outputs' in layer && Array.isArray((layer as unknown as tf.LayersModel).layers);
}

function requireSingleInputOutput(model: tf.LayersModel): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new OnnxExportError(
      'E_ONNX_NOT_A_CHAIN',
      `model "${model.name}" has ${model.inputs.length} inputs and ${model.outputs.length} outputs: only single-input, single-output chains can be exported`,
    );
  }
}

/** An Average layer over branches that all start from the same tensor (an ensemble of member models). */
interface Fork {
  average: Layer;
  branches: Layer[][];
}
type ChainItem = Layer | Fork;

const isFork = (item: ChainItem): item is Fork => 'average' in item && 'branches' in item;

function notAChain(layer: Layer, inputs: number): OnnxExportError {
  return new OnnxExportError(
    'E_ONNX_NOT_A_CHAIN',
    `${layerLabel(layer)} has ${inputs} inputs: only chains of single-input layers (and an Average over branches of one input) can be exported`,
  );
}

/**
 * The single-input layers that lead to tensor `t`, walking back until `stop` holds (that tensor excluded), in
 * forward order, and the tensor where the walk stopped.
 */
function singleInputPath(t: tf.SymbolicTensor, stop: (t: tf.SymbolicTensor) => boolean): { layers: Layer[]; from: tf.SymbolicTensor } {
  const layers: Layer[] = [];
  while (!stop(t)) {
    const layer = t.sourceLayer;
    const inputs = inputsOf(t);
    if (inputs.length !== 1) throw notAChain(layer, inputs.length);
    layers.push(layer);
    t = inputs[0];
  }
  return { layers: layers.reverse(), from: t };
}

/** The tensors feeding the layer call that produced `t`. */
const inputsOf = (t: tf.SymbolicTensor): tf.SymbolicTensor[] => t.sourceLayer.inboundNodes[t.nodeIndex]?.inputTensors ?? [];

/**
 * The layers from input to output of a single-input, single-output model (nested models kept as one entry). One
 * multi-input layer is allowed: an Average whose inputs are branches of single-input layers that all start from
 * the same tensor — how melguard's ensembles average their members' logits.
 */
function chain(model: tf.LayersModel): ChainItem[] {
  requireSingleInputOutput(model);
  const isInput = (t: tf.SymbolicTensor) => t.sourceLayer.getClassName() === 'InputLayer';
  // back from the output to the input, or to the one multi-input layer allowed
  const tail = singleInputPath(model.outputs[0], (t) => isInput(t) || inputsOf(t).length !== 1);
  if (isInput(tail.from)) return tail.layers;
  const layer = tail.from.sourceLayer;
  const inputs = inputsOf(tail.from);
  if (layer.getClassName() !== 'Average' || inputs.length < 2) throw notAChain(layer, inputs.length);
  // Every branch walks back to the input; the fork point is the last tensor they all share.
  const paths = inputs.map((x) => singleInputPath(x, isInput));
  const first = paths[0].layers;
  let shared = 0;
  while (shared < first.length && paths.every((p) => p.layers.length > shared && p.layers[shared] === first[shared])) shared++;
  const branches = paths.map((p) => p.layers.slice(shared));
  if (branches.some((b) => b.length === 0)) throw notAChain(layer, inputs.length);
  return [...first.slice(0, shared), { average: layer, branches }, ...tail.layers];
}

function config(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

function unsupportedConfig(layer: Layer, what: string): OnnxExportError {
  return new OnnxExportError('E_ONNX_UNSUPPORTED_CONFIG', `${layerLabel(layer)}: ${what}`);
}

function pair(layer: Layer, key: string, value: unknown): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x > 0)) {
    throw unsupportedConfig(layer, `${key} ${JSON.stringify(value)} is not a pair of positive integers`);
  }
  return [v[0], v[1]];
}

function padding(layer: Layer, value: unknown): Padding {
  if (value !== 'same' && value !== 'valid') throw unsupportedConfig(layer, `padding '${String(value)}' is not supported`);
  return value;
}

function requireChannelsLast(layer: Layer, cfg: Record<string, unknown>): void {
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== 'channelsLast') {
    throw unsupportedConfig(layer, `dataFormat '${String(cfg.dataFormat)}' is not supported (use channelsLast)`);
  }
}

function requireRank(layer: Layer, shape: Shape, rank: number): void {
  if (shape.length !== rank) {
    const expected = rank === 3 ? 'a 4-D [batch, H, W, C]' : rank === 1 ? 'a 2-D [batch, features]' : `a rank-${rank + 1}`;
    throw unsupportedConfig(layer, `expects ${expected} input, got [batch, ${shape.join(', ')}]`);
  }
}

/** A weight by its Keras name (kernel, bias, gamma, …) as a copy, with its shape. */
function weight(layer: Layer, key: string): { values: Float32Array; shape: number[] } {
  const v = layer.weights.find((w) => (w.originalName ?? w.name).endsWith(`/${key}`) || w.name.endsWith(`/${key}`));
  if (!v) throw unsupportedConfig(layer, `weight '${key}' not found`);
  const t = v.read();
  return { values: Float32Array.from(t.dataSync() as Float32Array), shape: [...t.shape] };
}

/** HWIO (tfjs) -> OIHW (ONNX). */
function hwioToOihw(k: Float32Array, [kh, kw, ci, co]: number[]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = k[((y * kw + x) * ci + i) * co + o];
  return out;
}

/** Depthwise [kh, kw, C, M] -> grouped-conv OIHW [C·M, 1, kh, kw]; output channel c·M + m as in TF. */
function depthwiseToOihw(k: Float32Array, [kh, kw, c, m]: number[]): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let ch = 0; ch < c; ch++)
        for (let j = 0; j < m; j++) out[((ch * m + j) * kh + y) * kw + x] = k[((y * kw + x) * c + ch) * m + j];
  return out;
}

interface Read {
  ops: Op[];
  shape: Shape;
}

function convGeometry(layer: Layer, cfg: Record<string, unknown>, shape: Shape) {
  requireRank(layer, shape, 3);
  requireChannelsLast(layer, cfg);
  const kernel = pair(layer, 'kernelSize', cfg.kernelSize);
  const strides = pair(layer, 'strides', cfg.strides ?? 1);
  const dilations = pair(layer, 'dilationRate', cfg.dilationRate ?? 1);
  const pad = padding(layer, cfg.padding);
  const pads = pads2d([shape[0], shape[1]], kernel, strides, pad, dilations);
  const out: [number, number] = [
    outputSize(shape[0], kernel[0], strides[0], pad, dilations[0]),
    outputSize(shape[1], kernel[1], strides[1], pad, dilations[1]),
  ];
  return { kernel, strides, dilations, pads, out };
}

function readConv2D(layer: Layer, shape: Shape): Read {
  const cfg = config(layer);
  if (cfg.groups !== undefined && cfg.groups !== 1) throw unsupportedConfig(layer, `groups ${String(cfg.groups)} is not supported`);
  const g = convGeometry(layer, cfg, shape);
  const k = weight(layer, 'kernel');
  const [kh, kw, ci, co] = k.shape;
  const conv: ConvOp = {
    kind: 'conv',
    layer: layer.name,
    weight: hwioToOihw(k.values, k.shape),
    weightShape: [co, ci, kh, kw],
    bias: cfg.useBias === false ? null : weight(layer, 'bias').values,
    strides: g.strides,
    dilations: g.dilations,
    pads: g.pads,
    group: 1,
  };
  return { ops: [conv, ...activationOps(cfg.activation, layer)], shape: [...g.out, co] };
}

function depthwiseOp(layer: Layer, g: ReturnType<typeof convGeometry>, withBias: boolean): ConvOp {
  const k = weight(layer, 'depthwise_kernel');
  const [kh, kw, c, m] = k.shape;
  return {
    kind: 'conv',
    layer: layer.name,
    weight: depthwiseToOihw(k.values, k.shape),
    weightShape: [c * m, 1, kh, kw],
    bias: withBias ? weight(layer, 'bias').values : null,
    strides: g.strides,
    dilations: g.dilations,
    pads: g.pads,
    group: c,
  };
}

function readDepthwiseConv2D(layer: Layer, shape: Shape): Read {
  const cfg = config(layer);
  const g = convGeometry(layer, cfg, shape);
  const conv = depthwiseOp(layer, g, cfg.useBias !== false);
  return { ops: [conv, ...activationOps(cfg.activation, layer)], shape: [...g.out, conv.weightShape[0]] };
}

function readSeparableConv2D(layer: Layer, shape: Shape): Read {
  const cfg = config(layer);
  const g = convGeometry(layer, cfg, shape);
  const depthwise = depthwiseOp(layer, g, false);
  const p = weight(layer, 'pointwise_kernel');
  const [, , ci, co] = p.shape;
  const pointwise: ConvOp = {
    kind: 'conv',
    layer: `${layer.name}/pointwise`,
    weight: hwioToOihw(p.values, p.shape),
    weightShape: [co, ci, 1, 1],
    bias: cfg.useBias === false ? null : weight(layer, 'bias').values,
    strides: [1, 1],
    dilations: [1, 1],
    pads: [0, 0, 0, 0],
    group: 1,
  };
  return { ops: [depthwise, pointwise, ...activationOps(cfg.activation, layer)], shape: [...g.out, co] };
}

function readPool(layer: Layer, shape: Shape, kind: 'maxPool' | 'avgPool'): Read {
  const cfg = config(layer);
  requireRank(layer, shape, 3);
  requireChannelsLast(layer, cfg);
  const kernel = pair(layer, 'poolSize', cfg.poolSize);
  const strides = cfg.strides === null || cfg.strides === undefined ? kernel : pair(layer, 'strides', cfg.strides);
  const pad = padding(layer, cfg.padding);
  const pads = pads2d([shape[0], shape[1]], kernel, strides, pad);
  const out = [outputSize(shape[0], kernel[0], strides[0], pad), outputSize(shape[1], kernel[1], strides[1], pad), shape[2]];
  return { ops: [{ kind, layer: layer.name, kernel, strides, pads }], shape: out };
}

function readGlobalPool(layer: Layer, shape: Shape, kind: 'globalAvgPool' | 'globalMaxPool'): Read {
  const cfg = config(layer);
  requireRank(layer, shape, 3);
  requireChannelsLast(layer, cfg);
  if (cfg.keepDims === true) throw unsupportedConfig(layer, 'keepDims is not supported');
  return { ops: [{ kind, layer: layer.name }], shape: [shape[2]] };
}

function readBatchNorm(layer: Layer, shape: Shape): Read {
  const cfg = config(layer);
  if (shape.length !== 3 && shape.length !== 1) requireRank(layer, shape, 3);
  const axis = Array.isArray(cfg.axis) && cfg.axis.length === 1 ? cfg.axis[0] : cfg.axis;
  if (axis !== -1 && axis !== shape.length) {
    throw unsupportedConfig(layer, `axis ${JSON.stringify(cfg.axis)} is not supported (only the channel axis, -1)`);
  }
  const channels = shape[shape.length - 1];
  return {
    ops: [
      {
        kind: 'batchNorm',
        layer: layer.name,
        gamma: cfg.scale === false ? new Float32Array(channels).fill(1) : weight(layer, 'gamma').values,
        beta: cfg.center === false ? new Float32Array(channels) : weight(layer, 'beta').values,
        mean: weight(layer, 'moving_mean').values,
        variance: weight(layer, 'moving_variance').values,
        epsilon: typeof cfg.epsilon === 'number' ? cfg.epsilon : 1e-3,
      },
    ],
    shape,
  };
}

function readDense(layer: Layer, shape: Shape): Read {
  const cfg = config(layer);
  requireRank(layer, shape, 1);
  const k = weight(layer, 'kernel');
  const [inFeatures, outFeatures] = k.shape;
  const dense: Op = {
    kind: 'dense',
    layer: layer.name,
    weight: k.values,
    inFeatures,
    outFeatures,
    bias: cfg.useBias === false ? null : weight(layer, 'bias').values,
  };
  return { ops: [dense, ...activationOps(cfg.activation, layer)], shape: [outFeatures] };
}

function readFlatten(layer: Layer, shape: Shape): Read {
  requireRank(layer, shape, 3); // tfjs itself refuses Flatten on [batch, features]
  const [h, w, c] = shape;
  const reorderFrom: [number, number, number] | null = c > 1 && h * w > 1 ? [h, w, c] : null;
  return { ops: [{ kind: 'flatten', layer: layer.name, reorderFrom }], shape: [h * w * c] };
}

function unsupportedLayer(layer: Layer): OnnxExportError {
  return new OnnxExportError(
    'E_ONNX_UNSUPPORTED_LAYER',
    `${layerLabel(layer)} cannot be exported to ONNX (supported: ${SUPPORTED_LAYERS.join(', ')})`,
  );
}

/** Fails on the first unsupported layer class before any shape is looked at, so the error names the layer. */
function checkLayerClasses(model: tf.LayersModel): void {
  const check = (layer: Layer) => {
    if (isModel(layer)) checkLayerClasses(layer);
    else if (!SUPPORTED_LAYERS.includes(layer.getClassName())) throw unsupportedLayer(layer);
  };
  for (const item of chain(model)) {
    if (isFork(item)) item.branches.flat().forEach(check);
    else check(item);
  }
}

function readLayer(layer: Layer, shape: Shape): Read {
  const cls = layer.getClassName();
  const cfg = (): Record<string, unknown> => config(layer);
  if (INFERENCE_IDENTITY.has(cls)) return { ops: [], shape };
  switch (cls) {
    case 'Conv2D':
      return readConv2D(layer, shape);
    case 'DepthwiseConv2D':
      return readDepthwiseConv2D(layer, shape);
    case 'SeparableConv2D':
      return readSeparableConv2D(layer, shape);
    case 'MaxPooling2D':
      return readPool(layer, shape, 'maxPool');
    case 'AveragePooling2D':
      return readPool(layer, shape, 'avgPool');
    case 'GlobalAveragePooling2D':
      return readGlobalPool(layer, shape, 'globalAvgPool');
    case 'GlobalMaxPooling2D':
      return readGlobalPool(layer, shape, 'globalMaxPool');
    case 'BatchNormalization':
      return readBatchNorm(layer, shape);
    case 'Dense':
      return readDense(layer, shape);
    case 'Flatten':
      return readFlatten(layer, shape);
    case 'Activation':
      return { ops: activationOps(cfg().activation, layer), shape };
    case 'ReLU': {
      const { maxValue } = cfg();
      if (maxValue === null || maxValue === undefined) return { ops: activationOps('relu', layer), shape };
      if (typeof maxValue !== 'number') throw unsupportedConfig(layer, `maxValue ${String(maxValue)}`);
      return { ops: [{ kind: 'activation', layer: layer.name, fn: 'clip', alpha: maxValue }], shape };
    }
    case 'LeakyReLU':
      return { ops: [{ kind: 'activation', layer: layer.name, fn: 'leakyRelu', alpha: Number(cfg().alpha ?? 0.3) }], shape };
    case 'ELU':
      return { ops: [{ kind: 'activation', layer: layer.name, fn: 'elu', alpha: Number(cfg().alpha ?? 1) }], shape };
    case 'TimeMeanNormalization':
      requireRank(layer, shape, 3);
      return { ops: [{ kind: 'timeMeanNorm', layer: layer.name }], shape };
    default:
      throw unsupportedLayer(layer);
  }
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function readItems(items: ChainItem[], shape: Shape): Read {
  const ops: Op[] = [];
  for (const item of items) {
    const read = isFork(item) ? readFork(item, shape) : readChecked(item, shape);
    ops.push(...read.ops);
    shape = read.shape;
  }
  return { ops, shape };
}

function readFork(fork: Fork, shape: Shape): Read {
  const reads = fork.branches.map((b) => readItems(b, shape));
  if (reads.some((r) => !sameShape(r.shape, reads[0].shape))) {
    throw unsupportedConfig(fork.average, `its branches give different shapes: ${reads.map((r) => `[${r.shape}]`).join(', ')}`);
  }
  return { ops: [{ kind: 'average', layer: fork.average.name, branches: reads.map((r) => r.ops) }], shape: reads[0].shape };
}

function readChecked(layer: Layer, shape: Shape): Read {
  const read = isModel(layer) ? readChain(layer, shape) : readLayer(layer, shape);
  // Our own shape arithmetic must agree with tfjs: a mismatch means a translation bug, never ship it.
  const declared = (layer.outputShape as (number | null)[]).slice(1);
  if (!sameShape(read.shape, declared as number[])) {
    throw unsupportedConfig(layer, `output shape [${read.shape}] computed by the exporter differs from tfjs [${declared}]`);
  }
  return read;
}

function readChain(model: tf.LayersModel, shape: Shape): Read {
  return readItems(chain(model), shape);
}

export interface ReadModel {
  ops: Op[];
  /** tfjs input shape without batch: [H, W, C]. */
  inputShape: [number, number, number];
  /** Output shape without batch. */
  outputShape: Shape;
}

export function readModel(model: tf.LayersModel): ReadModel {
  checkLayerClasses(model);
  const input = model.inputs[0].shape.slice(1);
  if (input.length !== 3 || !input.every((v): v is number => typeof v === 'number' && v > 0)) {
    throw new OnnxExportError(
      'E_ONNX_NOT_A_CHAIN',
      `model "${model.name}" input shape [batch, ${input.join(', ')}] is not a fixed 4-D [batch, H, W, C] image`,
    );
  }
  const read = readChain(model, input);
  return { ops: read.ops, inputShape: input as [number, number, number], outputShape: read.shape };
}
