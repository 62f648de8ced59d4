// The store source feeds the model exactly what inference computes: toModelInput of the stored window,
// moved to channels-last.
import * as fs from 'fs';
import * as path from 'path';
import { toModelInput } from '@melguard/dsp';
import { FeatureStore } from '@melguard/corpus';
import { recipeFor, StoreSource } from '../src';
import { chwToHwc } from '../src/data/layout';
import { makeStore, tmpDir } from './helpers';

test('chwToHwc interleaves channels', () => {
  const src = Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40, 100, 200, 300, 400]); // [3][2][2]
  const out = new Float32Array(14).fill(-1);
  chwToHwc(src, 3, 2, 2, out, 1);
  expect(Array.from(out)).toEqual([-1, 1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400, -1]);
});

test.each([['default', 'speech16k'], ['seed', 'seed']] as const)('%s model inputs from a %s store', async (model, preset) => {
  const dir = makeStore(path.join(tmpDir('data'), 'features'), { preset, bins: 12, frames: 20, perClass: 3 }).dir;
  const recipe = recipeFor(model);
  const source = new StoreSource(FeatureStore.open(dir), recipe);
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const raw = new Float32Array(fs.readFileSync(path.join(dir, 'shard-0000.f32')).buffer.slice(0));
  const [h, w, c] = source.inputShape;
  expect(source.spec.shape).toEqual([c, h, w]);
  const refs = [{ file: 4, window: 1 }, { file: 0, window: 0 }];
  const out = new Float32Array(2 * h * w * c);
  await source.fill(refs, out, { epoch: 1, augment: true });
  refs.forEach((r, i) => {
    const row = index.files[r.file].row + r.window;
    const expected = toModelInput(raw.subarray(row * 240, (row + 1) * 240), 12, 20, source.spec);
    const hwc = new Float32Array(h * w * c);
    chwToHwc(expected, c, h, w, hwc, 0);
    expect(Array.from(out.subarray(i * h * w * c, (i + 1) * h * w * c))).toEqual(Array.from(hwc));
  });
  expect(source.files[4]).toMatchObject({ id: index.files[4].id, label: index.files[4].label === 'fake' ? 1 : 0, windows: 2 });
  source.close();
});
