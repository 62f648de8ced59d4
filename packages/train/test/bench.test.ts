// `melguard bench train`: the timed model is the one asked for (model, preset), the numbers are well-formed,
// bad options are typed errors. Speeds themselves are not asserted here (they live in `npm run bench`).
import { benchTrain, TrainError } from '../src';

const quick = { batchSize: 2, steps: 1, backend: 'wasm' as const, log: null };

test('times the default model on either 16 kHz preset and names backend and preset', async () => {
  for (const [preset, bins] of [['speech16k', 80], ['stft16k', 257]] as const) {
    const r = await benchTrain({ model: 'default', preset, ...quick });
    expect(r).toMatchObject({ model: 'default', preset, input_shape: [bins, 401, 1], batch_size: 2, steps: 1 });
    expect(r.backend).toMatch(/^wasm/);
    expect(r.samples_per_s).toBeGreaterThan(0);
    expect(r.ms_per_step).toBeCloseTo((1000 * 2) / r.samples_per_s, 6);
    expect(r.inference_samples_per_s).toBeGreaterThan(0);
  }
});

test('the seed model times its 128x128 RGB image', async () => {
  expect(await benchTrain({ model: 'seed', ...quick })).toMatchObject({ model: 'seed', preset: 'seed', input_shape: [128, 128, 3] });
});

test('rejects a preset for the seed model, an unknown preset and bad counts', async () => {
  await expect(benchTrain({ model: 'seed', preset: 'stft16k', ...quick })).rejects.toThrow(TrainError);
  await expect(benchTrain({ model: 'default', preset: 'seed' as never, ...quick })).rejects.toThrow('preset must be speech16k or stft16k');
  await expect(benchTrain({ model: 'default', ...quick, steps: 0 })).rejects.toThrow('steps must be a positive integer');
});
