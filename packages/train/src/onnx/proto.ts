// Small builders over the protobufjs-generated ONNX messages.
import { onnx } from 'onnx-proto';

export const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** A float32 initializer; raw_data is little-endian as the ONNX spec requires, whatever the host. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== values.length) throw new Error(`tensor ${name}: ${values.length} values for dims [${dims}]`);
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims, dataType: FLOAT, rawData: raw };
}

export type AttrValue = { int: number } | { ints: number[] } | { float: number };

function attribute(name: string, value: AttrValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  return { name, type: T.FLOAT, f: value.float };
}

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attrs: Record<string, AttrValue> = {},
): onnx.INodeProto {
  return {
    opType,
    input: inputs,
    output: outputs,
    name,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

/** A float tensor value with a symbolic first dimension (batch) and fixed others. */
export function floatValueInfo(name: string, batchParam: string, dims: number[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: [{ dimParam: batchParam }, ...dims.map((d) => ({ dimValue: d }))] },
      },
    },
  };
}
