import { onnx } from 'onnx-proto';
import { readOnnxMetadataProps } from '../src/onnx-metadata';
import { linearModel, makeMetadata } from './helpers/models';

describe('readOnnxMetadataProps', () => {
  const metadata = makeMetadata({ windowSeconds: 1, transform: { kind: 'affine', scale: 1 / 80, offset: 1 } });
  const shape = metadata.input.shape;
  const weights = new Float32Array(shape[0] * shape[1] * shape[2]).fill(0.001);

  it('reads every metadata_props entry (unicode included) and agrees with a full protobuf decode', () => {
    const bytes = linearModel(shape, weights, 0, { metadata, extraProps: { author: 'Zoë ✓', 'melguard.note': '' } });
    const props = readOnnxMetadataProps(bytes);
    const decoded = onnx.ModelProto.decode(bytes);
    expect(props.size).toBe(3);
    for (const e of decoded.metadataProps) expect(props.get(e.key!)).toBe(e.value);
    expect(props.get('author')).toBe('Zoë ✓');
    expect(JSON.parse(props.get('melguard.metadata')!)).toEqual(JSON.parse(JSON.stringify(metadata)));
  });

  it('returns an empty map for a model without metadata_props', () => {
    expect(readOnnxMetadataProps(linearModel(shape, weights, 0, { metadata: null })).size).toBe(0);
  });

  it('rejects bytes that are not a protobuf message with E_MODEL_LOAD', () => {
    const good = linearModel(shape, weights, 0, { metadata });
    const cases = [
      Buffer.from('this is not an onnx file at all, just text'),
      good.subarray(0, Math.floor(good.length / 2)), // truncated inside the graph
      Uint8Array.from([0x72, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]), // field 14, length 4 GB
    ];
    for (const bytes of cases) {
      expect(() => readOnnxMetadataProps(bytes, 'x.onnx')).toThrow(expect.objectContaining({ code: 'E_MODEL_LOAD', message: expect.stringContaining('x.onnx') }));
    }
  });
});
