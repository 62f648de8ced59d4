// Training windows streamed from a feature store (packages/corpus FeatureStore): positioned reads of the
// requested rows, then the model's input transform (@melguard/dsp toModelInput, shared with inference).
import { toModelInput, type InputTransform, type ModelInputSpec } from '@melguard/dsp';
import { FeatureStore } from '@melguard/corpus';
import { TrainError } from '../errors';
import { trainablePresets, type ModelRecipe } from '../models';
import { chwToHwc } from './layout';
import type { FillContext, SourceFile, TrainingSource, WindowRef } from './source';

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'score';

/** Opens the store and checks it was made with the preset the model is designed for. */
export function openStoreFor(dir: string, recipe: ModelRecipe): FeatureStore {
  const store = FeatureStore.open(dir);
  const preset = store.index.presetName;
  const accepted = trainablePresets(recipe);
  if (!(accepted as (string | null)[]).includes(preset)) {
    store.close();
    throw new TrainError(
      'E_PRESET_MISMATCH',
      `the ${recipe.name} model is designed for the ${accepted.map((p) => `"${p}"`).join(' or ')} feature preset, but the store at ${store.dir} ` +
        `holds ${preset === null ? 'custom features (no preset)' : `"${preset}" features`} ${JSON.stringify(store.shape)}; ` +
        `run \`melguard features --preset ${recipe.preset}\` or pick the other model`,
      { details: { model: recipe.name, expected: recipe.preset, accepted, store: preset } },
    );
  }
  const labelled = store.index.files.filter((f) => f.label !== null && f.windows.length > 0);
  if (store.rows === 0 || labelled.length === 0) {
    store.close();
    throw new TrainError('E_EMPTY_STORE', `the feature store at ${store.dir} holds no labelled windows ` +
      `(${store.index.files.length} files, ${store.rows} windows, ${store.index.failures.length} failures)`);
  }
  return store;
}

export class StoreSource implements TrainingSource {
  readonly kind = 'store';
  readonly files: SourceFile[];
  readonly spec: ModelInputSpec;
  readonly presetName: string | null;
  readonly inputShape: [number, number, number];
  /** Global store row of each file's first window (parallel to `files`). */
  private readonly firstRow: Int32Array;
  /** Position in store.index.files of each source file (parallel to `files`). */
  readonly storeFileIndex: Int32Array;
  private raw = new Float32Array(0);
  private readonly chw: Float32Array;

  constructor(readonly store: FeatureStore, recipe: ModelRecipe) {
    const [bins, frames] = store.shape;
    const transform: InputTransform = recipe.transform(store.index.features, bins, frames);
    this.inputShape = recipe.inputShape(bins, frames);
    this.presetName = store.index.presetName;
    const [h, w, c] = this.inputShape;
    const w8 = store.index.windowing;
    this.spec = {
      features: store.index.features,
      windowing: { windowSeconds: w8.windowSeconds, hopSeconds: w8.hopSeconds, minSeconds: w8.minSeconds },
      transform,
      inputName: INPUT_NAME,
      shape: [c, h, w],
      outputName: OUTPUT_NAME,
    };
    this.chw = new Float32Array(c * h * w);
    const files: SourceFile[] = [];
    const first: number[] = [];
    const storeIdx: number[] = [];
    store.index.files.forEach((f, i) => {
      if (f.label === null || f.windows.length === 0) return;
      files.push({
        id: f.id ?? f.path, label: f.label === 'fake' ? 1 : 0, group: f.group,
        source: f.source, method: f.method, speaker: f.speaker, windows: f.windows.length,
      });
      first.push(store.fileStart[i]);
      storeIdx.push(i);
    });
    this.files = files;
    this.firstRow = Int32Array.from(first);
    this.storeFileIndex = Int32Array.from(storeIdx);
  }

  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  async fill(refs: readonly WindowRef[], out: Float32Array, _ctx?: FillContext): Promise<void> {
    const [bins, frames] = this.store.shape;
    const rowSize = bins * frames;
    if (this.raw.length < refs.length * rowSize) this.raw = new Float32Array(refs.length * rowSize);
    const rows = refs.map((r) => this.firstRow[r.file] + r.window);
    this.store.readRows(rows, this.raw.subarray(0, refs.length * rowSize));
    const [c, h, w] = this.spec.shape;
    for (let i = 0; i < refs.length; i++) {
      toModelInput(this.raw.subarray(i * rowSize, (i + 1) * rowSize), bins, frames, this.spec, this.chw, 0);
      chwToHwc(this.chw, c, h, w, out, i * c * h * w);
    }
  }

  close(): void {
    this.store.close();
  }
}
