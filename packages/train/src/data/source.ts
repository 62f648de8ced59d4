// Where training windows come from. The trainer only sees this interface, so the feature store (features
// computed once) and an augmenting source (audio re-decoded and perturbed every epoch) are interchangeable.
import type { ModelInputSpec } from '@melguard/dsp';

export interface SourceFile {
  /** Split-file id (corpus-relative path). */
  id: string;
  /** 1 = fake, 0 = real. Unlabelled files never reach a source. */
  label: 0 | 1;
  group: string;
  source?: string;
  method?: string;
  speaker?: string;
  /** Number of windows (rows) of this file. */
  windows: number;
}

export interface WindowRef {
  /** Index into TrainingSource.files. */
  file: number;
  /** Window index inside the file. */
  window: number;
}

export interface FillContext {
  epoch: number;
  augment: boolean;
}

export interface TrainingSource {
  readonly kind: string;
  readonly files: readonly SourceFile[];
  /** What the model is fed: features, windowing, transform and the NCHW shape written into the model metadata. */
  readonly spec: ModelInputSpec;
  /** The named feature preset the windows were made with, as the feature store recorded it (null: custom). */
  readonly presetName?: string | null;
  /** Channels-last shape of one input for tfjs: [height, width, channels]. */
  readonly inputShape: [number, number, number];
  /**
   * Writes the model inputs of `refs` (channels-last, one after another) into `out`. With `ctx.augment` an
   * augmenting source perturbs the windows, reproducibly for (seed, epoch, file, window); validation asks for
   * clean windows. The store source always serves the stored features.
   */
  fill(refs: readonly WindowRef[], out: Float32Array, ctx: FillContext): Promise<void>;
  close(): void;
}

/** Floats of one input. */
export function inputSize(source: Pick<TrainingSource, 'inputShape'>): number {
  const [h, w, c] = source.inputShape;
  return h * w * c;
}

/** All windows of the given files, in file order. */
export function windowsOf(source: TrainingSource, fileIndices: readonly number[]): WindowRef[] {
  const refs: WindowRef[] = [];
  for (const file of fileIndices) for (let window = 0; window < source.files[file].windows; window++) refs.push({ file, window });
  return refs;
}
