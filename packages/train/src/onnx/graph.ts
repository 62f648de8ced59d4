// IR ops -> ONNX nodes and initializers (opset 13), NCHW throughout.
import type { onnx } from 'onnx-proto';
import type { ActivationOp, Op } from './ir';
import { floatTensor, node } from './proto';

export interface EmittedGraph {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
}

class Emitter {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();

  constructor(
    public current: string,
    reserved: string[],
  ) {
    for (const name of reserved) this.used.add(name);
  }

  /** A tensor/node name unique in the graph, readable: "<layer>/<what>". */
  name(layer: string, what: string): string {
    const base = `${layer}/${what}`;
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  constant(layer: string, what: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.name(layer, what);
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  /** Appends a node fed by the current tensor (plus extra inputs); its output becomes current. */
  apply(layer: string, opType: string, extraInputs: string[] = [], attrs: Parameters<typeof node>[4] = {}): string {
    const out = this.name(layer, opType);
    this.nodes.push(node(opType, [this.current, ...extraInputs], [out], out, attrs));
    this.current = out;
    return out;
  }
}

function emitActivation(e: Emitter, op: ActivationOp): void {
  switch (op.fn) {
    case 'relu':
      return void e.apply(op.layer, 'Relu');
    case 'sigmoid':
      return void e.apply(op.layer, 'Sigmoid');
    case 'tanh':
      return void e.apply(op.layer, 'Tanh');
    case 'selu':
      // ONNX defaults are the float32 values of TF's SELU constants.
      return void e.apply(op.layer, 'Selu');
    case 'softplus':
      return void e.apply(op.layer, 'Softplus');
    case 'softsign':
      return void e.apply(op.layer, 'Softsign');
    case 'hardSigmoid':
      // tfjs: clip(0.2·x + 0.5, 0, 1).
      return void e.apply(op.layer, 'HardSigmoid', [], { alpha: { float: 0.2 }, beta: { float: 0.5 } });
    case 'elu':
      return void e.apply(op.layer, 'Elu', [], { alpha: { float: op.alpha ?? 1 } });
    case 'leakyRelu':
      return void e.apply(op.layer, 'LeakyRelu', [], { alpha: { float: op.alpha ?? 0.3 } });
    case 'clip': {
      const min = e.constant(op.layer, 'clip_min', [], [0]);
      const max = e.constant(op.layer, 'clip_max', [], [op.alpha ?? 6]);
      return void e.apply(op.layer, 'Clip', [min, max]);
    }
    case 'swish': {
      const x = e.current;
      const gate = e.apply(op.layer, 'Sigmoid');
      const out = e.name(op.layer, 'Mul');
      e.nodes.push(node('Mul', [x, gate], [out], out));
      e.current = out;
      return;
    }
  }
}

function emitOp(e: Emitter, op: Op): void {
  switch (op.kind) {
    case 'conv': {
      const w = e.constant(op.layer, 'W', op.weightShape, op.weight);
      const inputs = op.bias ? [w, e.constant(op.layer, 'B', [op.bias.length], op.bias)] : [w];
      e.apply(op.layer, 'Conv', inputs, {
        kernel_shape: { ints: [op.weightShape[2], op.weightShape[3]] },
        strides: { ints: op.strides },
        dilations: { ints: op.dilations },
        pads: { ints: op.pads },
        group: { int: op.group },
      });
      return;
    }
    case 'maxPool':
    case 'avgPool': {
      const attrs = { kernel_shape: { ints: op.kernel }, strides: { ints: op.strides }, pads: { ints: op.pads } };
      // TF averages over the valid (unpadded) cells only.
      if (op.kind === 'avgPool') e.apply(op.layer, 'AveragePool', [], { ...attrs, count_include_pad: { int: 0 } });
      else e.apply(op.layer, 'MaxPool', [], attrs);
      return;
    }
    case 'globalAvgPool':
    case 'globalMaxPool':
      e.apply(op.layer, op.kind === 'globalAvgPool' ? 'GlobalAveragePool' : 'GlobalMaxPool');
      e.apply(op.layer, 'Flatten', [], { axis: { int: 1 } });
      return;
    case 'batchNorm': {
      const n = op.gamma.length;
      const params = [
        e.constant(op.layer, 'scale', [n], op.gamma),
        e.constant(op.layer, 'B', [n], op.beta),
        e.constant(op.layer, 'mean', [n], op.mean),
        e.constant(op.layer, 'var', [n], op.variance),
      ];
      e.apply(op.layer, 'BatchNormalization', params, { epsilon: { float: op.epsilon } });
      return;
    }
    case 'dense': {
      const w = e.constant(op.layer, 'W', [op.inFeatures, op.outFeatures], op.weight);
      const inputs = op.bias ? [w, e.constant(op.layer, 'B', [op.outFeatures], op.bias)] : [w];
      e.apply(op.layer, 'Gemm', inputs);
      return;
    }
    case 'flatten':
      // tfjs order (NHWC) when the next Dense could not be permuted instead.
      if (op.reorderFrom) e.apply(op.layer, 'Transpose', [], { perm: { ints: [0, 2, 3, 1] } });
      e.apply(op.layer, 'Flatten', [], { axis: { int: 1 } });
      return;
    case 'activation':
      emitActivation(e, op);
      return;
    case 'average': {
      const input = e.current;
      const outs = op.branches.map((branch) => {
        e.current = input;
        for (const b of branch) emitOp(e, b);
        return e.current;
      });
      const out = e.name(op.layer, 'Mean');
      e.nodes.push(node('Mean', outs, [out], out));
      e.current = out;
      return;
    }
    case 'timeMeanNorm': {
      const x = e.current;
      const mean = e.apply(op.layer, 'ReduceMean', [], { axes: { ints: [3] }, keepdims: { int: 1 } });
      const out = e.name(op.layer, 'Sub');
      e.nodes.push(node('Sub', [x, mean], [out], out));
      e.current = out;
      return;
    }
  }
}

/** Emits the ops from `inputName`; the last node's output is renamed `outputName`. */
export function emitGraph(ops: Op[], inputName: string, outputName: string): EmittedGraph {
  const e = new Emitter(inputName, [inputName, outputName]);
  for (const op of ops) emitOp(e, op);
  const last = e.nodes[e.nodes.length - 1];
  if (!last?.output) throw new Error('the model has no operations to export');
  last.output[0] = outputName;
  return { nodes: e.nodes, initializers: e.initializers };
}
