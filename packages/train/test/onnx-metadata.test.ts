// What lands in the file: opset, named NCHW input with a dynamic batch, [N, 1] output, and the metadata contract.
import { MODEL_METADATA_KEY } from '@melguard/dsp';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { exportOnnx, ONNX_OPSET, type ExportResult } from '../src/onnx';
import { defaultLikeArchitecture } from './onnx-architectures';
import { defaultSpec, maxAbsDiff, metadataWith, ortSession, predictOrt, randomBatch, randomizeWeights, useCpuBackend } from './onnx-helpers';

let dir: string;
let path: string;
let result: ExportResult;
const metadata = { ...metadataWith(defaultSpec(), 'default'), version: '1.2.3', threshold: 0.4375 };

beforeAll(async () => {
  await useCpuBackend();
  dir = mkdtempSync(join(tmpdir(), 'melguard-onnx-'));
  path = join(dir, 'default.onnx');
  const model = defaultLikeArchitecture();
  randomizeWeights(model, 3);
  result = exportOnnx(model, metadata, path, { preset: 'speech16k' });
  model.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dims(v: onnx.IValueInfoProto): (string | number)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
}

describe('exported file', () => {
  it('declares opset 13, a dynamic batch, NCHW input and [N, 1] output with the metadata names', () => {
    const proto = onnx.ModelProto.decode(readFileSync(path));
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect(ONNX_OPSET).toBeGreaterThanOrEqual(13);
    expect(proto.producerName).toBe('melguard');
    const graph = proto.graph!;
    expect((graph.input ?? []).map((i) => [i.name, dims(i)])).toEqual([['logmel', ['N', 1, 80, 401]]]);
    expect((graph.output ?? []).map((o) => [o.name, dims(o)])).toEqual([['p_fake', ['N', 1]]]);
    // Every initializer is a constant, never a graph input.
    expect(graph.input).toHaveLength(1);
  });

  it('carries the full ModelMetadata as JSON plus readable keys', () => {
    const proto = onnx.ModelProto.decode(readFileSync(path));
    const props = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(props[MODEL_METADATA_KEY])).toEqual(metadata);
    expect(props).toMatchObject({ name: 'default', version: '1.2.3', preset: 'speech16k', threshold: '0.4375', format: 'melguard-model/1' });
  });

  it('ONNX Runtime loads it and runs any batch size, with and without its graph optimisations', async () => {
    const session = await ortSession(path);
    const raw = await ortSession(path, 'disabled'); // the graph as written, no fusions to mask a mistake
    expect(session.inputNames).toEqual(['logmel']);
    expect(session.outputNames).toEqual(['p_fake']);
    for (const n of [1, 3]) {
      const x = randomBatch(n, [1, 80, 401], n);
      const out = await predictOrt(session, x, [n, 1, 80, 401]);
      expect(out.dims).toEqual([n, 1]);
      expect(Array.from(out.data).every((p) => p > 0 && p < 1)).toBe(true);
      expect(maxAbsDiff((await predictOrt(raw, x, [n, 1, 80, 401])).data, out.data)).toBeLessThan(1e-5);
    }
    await session.release();
    await raw.release();
  });

  it('stores each weight once, as float32', () => {
    const size = readFileSync(path).length;
    expect(result.bytes).toBe(size);
    expect(result.parameters).toBeGreaterThan(20_000);
    expect(size).toBeGreaterThanOrEqual(4 * result.parameters);
    expect(size).toBeLessThan(4 * result.parameters + 20_000); // graph + metadata
  });
});
