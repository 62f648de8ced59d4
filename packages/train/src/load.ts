// Loading a trained model: the output directory of `train` (its model/ inside) or a model directory itself.
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from './backend';
import { TrainError } from './errors';
import { loadModelDir, MODEL_JSON, type LoadedModel } from './io/model-dir';

export async function loadTrainedModel(dir: string, opts: { log?: ((line: string) => void) | null } = {}): Promise<LoadedModel> {
  const candidates = [path.join(dir, 'model'), dir];
  const found = candidates.find((d) => fs.existsSync(path.join(d, MODEL_JSON)));
  if (!found) throw new TrainError('E_NO_MODEL', `no trained model in ${dir} (looked for model/${MODEL_JSON} and ${MODEL_JSON})`);
  await initBackend({ log: opts.log === undefined ? null : opts.log });
  const loaded = await loadModelDir(found);
  if (!loaded.metadata) {
    loaded.model.dispose();
    throw new TrainError('E_BAD_MODEL', `${found} has no metadata.json: it was not written by melguard's trainer`);
  }
  return loaded;
}
