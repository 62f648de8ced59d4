// This machine has no CUDA provider for ONNX Runtime (the CPU-only onnxruntime-node is installed), which is
// exactly the situation the fallback handles. On a machine with the CUDA build these tests are skipped.
import * as ort from 'onnxruntime-node';
import { CUDA_WARNING_CODE, Detector } from '../src';
import { noise } from './helpers/audio';
import { linearModel, makeMetadata, tempDir } from './helpers/models';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const cudaBundled = (ort as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[] })
  .listSupportedBackends?.()
  .some((b) => b.name === 'cuda' && b.bundled);
const describeNoCuda = cudaBundled ? describe.skip : describe;

describeNoCuda('CUDA execution provider unavailable', () => {
  const metadata = makeMetadata({ windowSeconds: 1, transform: { kind: 'affine', scale: 1 / 80, offset: 1 } });
  const file = tmp.write('m.onnx', linearModel(metadata.input.shape, new Float32Array(8080).fill(0.0005), 0, { metadata }));

  it("'auto' falls back to the CPU with exactly one warning per process, and works", async () => {
    // Jest gives tests their own `process` object: spy on emitWarning rather than listen for 'warning' events.
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    let calls: Parameters<typeof process.emitWarning>[] = [];
    try {
      const a = await Detector.load(file, { executionProvider: 'auto', threads: 1 });
      const b = await Detector.load(file, { executionProvider: 'auto', threads: 1 });
      expect(a.executionProvider).toBe('cpu');
      expect(b.executionProvider).toBe('cpu');
      expect(a.card.executionProvider).toBe('cpu');
      const ra = await a.detectSamples(noise(1, 16000, 0.1), 16000);
      const cpu = await Detector.load(file, { executionProvider: 'cpu', threads: 1 });
      const rc = await cpu.detectSamples(noise(1, 16000, 0.1), 16000);
      expect(ra.score).toBe(rc.score);
      await Promise.all([a.dispose(), b.dispose(), cpu.dispose()]);
      calls = emit.mock.calls.slice() as typeof calls;
    } finally {
      emit.mockRestore();
    }
    const warnings = calls.filter((c) => (c[1] as { code?: string } | undefined)?.code === CUDA_WARNING_CODE);
    expect(calls).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0][0]).toContain('running inference on the CPU');
    expect(warnings[0][0]).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });

  it("'cuda' fails with E_CUDA_UNAVAILABLE saying how to install the CUDA provider", async () => {
    const err = await Detector.load(file, { executionProvider: 'cuda', threads: 1 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'E_CUDA_UNAVAILABLE', name: 'MelguardError' });
    expect(err.message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 npm install onnxruntime-node');
    expect(err.message).toMatch(/CUDA 12.*cuDNN 9/);
  });
});
