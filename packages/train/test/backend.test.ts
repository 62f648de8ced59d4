// Backend choice: tfjs-node is not installed here, so the automatic choice is wasm with melguard's kernels.
import * as tf from '@tensorflow/tfjs';
import { initBackend, WASM_TRAINING_KERNELS } from '../src';

test('without tfjs-node the wasm backend is chosen, its training kernels registered, and the choice printed', async () => {
  expect(() => require.resolve('@tensorflow/tfjs-node')).toThrow();
  const lines: string[] = [];
  const info = await initBackend({ log: (l) => lines.push(l) });
  expect(info.name).toBe('wasm');
  expect(tf.getBackend()).toBe('wasm');
  expect(info.customKernels.sort()).toEqual(Object.keys(WASM_TRAINING_KERNELS).sort());
  expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  expect(lines).toEqual([expect.stringMatching(/^\[melguard\] tfjs backend: wasm \(SIMD/)]);
});

test('a forced backend is honoured; unknown or unavailable ones are clear errors', async () => {
  expect((await initBackend({ backend: 'cpu', log: null })).name).toBe('cpu');
  expect(tf.getBackend()).toBe('cpu');
  await expect(initBackend({ backend: 'tensorflow', log: null })).rejects.toMatchObject({ code: 'E_BACKEND' });
  await expect(initBackend({ backend: 'gpu' as never, log: null })).rejects.toMatchObject({ code: 'E_BACKEND' });
  process.env.MELGUARD_TF_BACKEND = 'wasm';
  try {
    expect((await initBackend({ log: null })).name).toBe('wasm');
  } finally {
    delete process.env.MELGUARD_TF_BACKEND;
  }
});
