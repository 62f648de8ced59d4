// Graph simplifications that keep results identical (up to float rounding).
import type { BatchNormOp, ConvOp, DenseOp, FlattenOp, Op } from './ir';

/** Per-channel y = x·s + t equal to inference-mode batch norm, computed in float64. */
function batchNormAffine(bn: BatchNormOp): { s: Float64Array; t: Float64Array } {
  const n = bn.gamma.length;
  const s = new Float64Array(n);
  const t = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    s[c] = bn.gamma[c] / Math.sqrt(bn.variance[c] + bn.epsilon);
    t[c] = bn.beta[c] - bn.mean[c] * s[c];
  }
  return { s, t };
}

/** BN(conv(x)) = conv'(x): scale each output channel's filter, and shift its bias. */
function foldIntoConv(conv: ConvOp, bn: BatchNormOp): ConvOp {
  const { s, t } = batchNormAffine(bn);
  const out = conv.weightShape[0];
  const perOut = conv.weight.length / out;
  const weight = new Float32Array(conv.weight.length);
  const bias = new Float32Array(out);
  for (let o = 0; o < out; o++) {
    for (let k = 0; k < perOut; k++) weight[o * perOut + k] = conv.weight[o * perOut + k] * s[o];
    bias[o] = (conv.bias ? conv.bias[o] : 0) * s[o] + t[o];
  }
  return { ...conv, weight, bias };
}

/** BN(dense(x)) = dense'(x): scale each output column of W [in, out], and shift its bias. */
function foldIntoDense(dense: DenseOp, bn: BatchNormOp): DenseOp {
  const { s, t } = batchNormAffine(bn);
  const { inFeatures: nIn, outFeatures: nOut } = dense;
  const weight = new Float32Array(dense.weight.length);
  const bias = new Float32Array(nOut);
  for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) weight[i * nOut + j] = dense.weight[i * nOut + j] * s[j];
  for (let j = 0; j < nOut; j++) bias[j] = (dense.bias ? dense.bias[j] : 0) * s[j] + t[j];
  return { ...dense, weight, bias };
}

/**
 * Folds every BatchNormalization that directly follows a Conv or Dense with no activation in between.
 * Others (e.g. after a ReLU, or first in the model) stay as BatchNormalization nodes.
 */
export function foldBatchNorms(ops: Op[]): { ops: Op[]; folded: number } {
  const out: Op[] = [];
  let folded = 0;
  for (const op of ops) {
    if (op.kind === 'average') {
      const branches = op.branches.map((b) => foldBatchNorms(b));
      folded += branches.reduce((n, b) => n + b.folded, 0);
      out.push({ ...op, branches: branches.map((b) => b.ops) });
      continue;
    }
    const prev = out[out.length - 1];
    if (op.kind === 'batchNorm' && prev?.kind === 'conv') {
      out[out.length - 1] = foldIntoConv(prev, op);
      folded++;
    } else if (op.kind === 'batchNorm' && prev?.kind === 'dense') {
      out[out.length - 1] = foldIntoDense(prev, op);
      folded++;
    } else out.push(op);
  }
  return { ops: out, folded };
}

/**
 * tfjs flattens NHWC, ONNX flattens NCHW. When a Dense follows the Flatten (with only element-wise activations
 * in between), permute the Dense's input rows into NCHW order instead of transposing the activations at run time.
 */
export function alignFlattenWithDense(ops: Op[]): { ops: Op[]; permuted: number } {
  const out = [...ops];
  let permuted = 0;
  for (let i = 0; i < out.length; i++) {
    const flatten = out[i];
    if (flatten.kind === 'average') {
      const branches = flatten.branches.map((b) => alignFlattenWithDense(b));
      permuted += branches.reduce((n, b) => n + b.permuted, 0);
      out[i] = { ...flatten, branches: branches.map((b) => b.ops) };
      continue;
    }
    if (flatten.kind !== 'flatten' || !flatten.reorderFrom) continue;
    let j = i + 1;
    while (j < out.length && out[j].kind === 'activation') j++;
    const dense = out[j];
    if (dense?.kind !== 'dense') continue;
    out[j] = permuteDenseRows(dense, flatten.reorderFrom);
    out[i] = { ...flatten, reorderFrom: null } satisfies FlattenOp;
    permuted++;
  }
  return { ops: out, permuted };
}

function permuteDenseRows(dense: DenseOp, [h, w, c]: [number, number, number]): DenseOp {
  const nOut = dense.outFeatures;
  const weight = new Float32Array(dense.weight.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const nhwc = (y * w + x) * c + ch;
        const nchw = (ch * h + y) * w + x;
        weight.set(dense.weight.subarray(nhwc * nOut, (nhwc + 1) * nOut), nchw * nOut);
      }
  return { ...dense, weight };
}
