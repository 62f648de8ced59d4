// tfjs LayersModel + ModelMetadata -> ONNX ModelProto (opset 13, NCHW input [N, C, H, W], output [N, 1]).
import type { ModelMetadata } from '@melguard/dsp';
import type * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { OnnxExportError } from './errors';
import { alignFlattenWithDense, foldBatchNorms } from './fold';
import { emitGraph } from './graph';
import { readModel } from './layers';
import { metadataProps, validateMetadata } from './metadata';
import { floatValueInfo } from './proto';
import { writeFileAtomic } from '../io/atomic';

export const ONNX_OPSET = 13;
/** IR version 7 is the one that introduced opset 13. */
export const ONNX_IR_VERSION = 7;
/** Symbolic batch dimension of the input and output. */
export const BATCH_DIM = 'N';

export interface ExportOptions {
  /** Value of the readable 'preset' key (default: metadata.training.preset, else 'custom'). */
  preset?: string;
  /** Fold BatchNormalization into the preceding Conv/Dense (default true). */
  foldBatchNorm?: boolean;
}

export interface ExportSummary {
  opset: number;
  /** ONNX op types in graph order. */
  opTypes: string[];
  foldedBatchNorms: number;
  /** Dense layers whose rows were permuted so an NCHW flatten feeds them exactly like tfjs's NHWC flatten. */
  permutedDenseAfterFlatten: number;
  /** Number of weights stored in the file. */
  parameters: number;
}

export interface ExportResult extends ExportSummary {
  path: string;
  bytes: number;
}

function producerVersion(): string {
  try {
    return String(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** Builds the ModelProto in memory; throws OnnxExportError for anything it cannot translate faithfully. */
export function buildOnnxModel(
  model: tf.LayersModel,
  metadata: ModelMetadata,
  options: ExportOptions = {},
): { proto: onnx.ModelProto; summary: ExportSummary } {
  const read = readModel(model);
  validateMetadata(metadata, read.inputShape);
  const last = read.ops[read.ops.length - 1];
  if (read.outputShape.length !== 1 || read.outputShape[0] !== 1 || last?.kind !== 'activation' || last.fn !== 'sigmoid') {
    throw new OnnxExportError(
      'E_ONNX_OUTPUT',
      `model "${model.name}" must end in a sigmoid giving [batch, 1] = P(fake); it gives [batch, ${read.outputShape.join(', ')}]` +
        (last?.kind === 'activation' && last.fn === 'sigmoid' ? '' : ' without a final sigmoid'),
    );
  }
  let ops = read.ops;
  let folded = 0;
  if (options.foldBatchNorm !== false) ({ ops, folded } = foldBatchNorms(ops));
  const aligned = alignFlattenWithDense(ops);
  ops = aligned.ops;

  const { inputName, outputName, shape } = metadata.input;
  const graph = emitGraph(ops, inputName, outputName);
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'melguard',
    producerVersion: producerVersion(),
    docString: `melguard ${metadata.name} ${metadata.version}: ${inputName} [N, ${shape.join(', ')}] -> ${outputName} [N, 1] = P(fake)`,
    graph: {
      name: metadata.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [floatValueInfo(inputName, BATCH_DIM, [...shape])],
      output: [floatValueInfo(outputName, BATCH_DIM, [1])],
    },
    metadataProps: metadataProps(metadata, options.preset),
  });
  const parameters = graph.initializers.reduce(
    (n, t) => n + (t.dims ?? []).reduce<number>((a, b) => a * Number(b), 1),
    0,
  );
  return {
    proto,
    summary: {
      opset: ONNX_OPSET,
      opTypes: graph.nodes.map((n) => n.opType ?? ''),
      foldedBatchNorms: folded,
      permutedDenseAfterFlatten: aligned.permuted,
      parameters,
    },
  };
}

/** The serialized model bytes. */
export function encodeOnnxModel(
  model: tf.LayersModel,
  metadata: ModelMetadata,
  options: ExportOptions = {},
): { bytes: Uint8Array; summary: ExportSummary } {
  const { proto, summary } = buildOnnxModel(model, metadata, options);
  return { bytes: onnx.ModelProto.encode(proto).finish(), summary };
}

/** Exports `model` to `outPath` (written atomically: the old file or the whole new one, never a partial file). */
export function exportOnnx(
  model: tf.LayersModel,
  metadata: ModelMetadata,
  outPath: string,
  options: ExportOptions = {},
): ExportResult {
  const { bytes, summary } = encodeOnnxModel(model, metadata, options);
  try {
    writeFileAtomic(outPath, bytes);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new OnnxExportError('E_ONNX_WRITE', `cannot write ${outPath}: ${err.code ?? ''} ${err.message}`.trim());
  }
  return { ...summary, path: outPath, bytes: bytes.length };
}
