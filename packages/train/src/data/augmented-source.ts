// On-the-fly waveform augmentation for training: each training window is re-decoded from its audio file,
// perturbed by @melguard/dsp `augment` (gain, coloured noise, band limits, codecs, reverb, ...; seeded per
// epoch, file and window, so a resumed run sees the same perturbations) and turned into a spectrogram with
// the store's exact options. Validation windows come unperturbed from the feature store.
import * as path from 'path';
import { toModelInput, type AugmentStep, type ModelInputSpec, type SpectrogramOptions } from '@melguard/dsp';
import { TrainError } from '../errors';
import { chwToHwc } from './layout';
import type { FillContext, SourceFile, TrainingSource, WindowRef } from './source';
import type { StoreSource } from './store-source';

export interface AugmentOptions {
  /** The augmentation recipe handed to dsp `augment` (its AugmentStep list); default: dsp's defaultAugmentation. */
  steps?: readonly AugmentStep[];
  /** Share of training windows that are augmented (the rest are served clean from the store). Default 1. */
  probability?: number;
  /** The dsp functions to use (default: @melguard/dsp's); tests inject stand-ins. */
  dsp?: AugmentDsp;
}

/** The dsp entry points augmentation needs; resolved at run time (they land with the augmentation engine). */
export interface AugmentDsp {
  loadAudio(file: string, opts: { sr?: number | null; offset?: number; duration?: number | null }): Promise<{ samples: Float32Array; sampleRate: number }> | { samples: Float32Array; sampleRate: number };
  augment(samples: Float32Array, sr: number, steps: readonly AugmentStep[] | undefined, seed: number):
    Promise<{ samples: Float32Array } | Float32Array> | { samples: Float32Array } | Float32Array;
  spectrogram(samples: Float32Array, options: SpectrogramOptions): { data: Float32Array; shape: [number, number] };
  defaultAugmentation?: readonly AugmentStep[];
}

function augmentDsp(given?: AugmentDsp): AugmentDsp {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dsp = (given ?? require('@melguard/dsp')) as Partial<AugmentDsp>;
  const missing = (['loadAudio', 'augment', 'spectrogram'] as const).filter((k) => typeof dsp[k] !== 'function');
  if (missing.length > 0) {
    throw new TrainError('E_AUGMENT_UNAVAILABLE', `waveform augmentation needs @melguard/dsp ${missing.join(', ')}, which this build does not provide`);
  }
  return dsp as AugmentDsp;
}

/** 32-bit FNV-1a over the parts: the per-window augmentation seed. */
function mixSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class AugmentedSource implements TrainingSource {
  readonly kind = 'augmented';
  readonly files: readonly SourceFile[];
  readonly spec: ModelInputSpec;
  readonly presetName: string | null;
  readonly inputShape: [number, number, number];
  private readonly dsp: AugmentDsp;
  private readonly chw: Float32Array;
  private readonly one: Float32Array;

  constructor(private readonly base: StoreSource, private readonly opts: AugmentOptions & { seed: number }) {
    this.dsp = augmentDsp(opts.dsp);
    this.files = base.files;
    this.spec = base.spec;
    this.presetName = base.presetName;
    this.inputShape = base.inputShape;
    const [c, h, w] = base.spec.shape;
    this.chw = new Float32Array(c * h * w);
    this.one = new Float32Array(c * h * w);
    const p = opts.probability ?? 1;
    if (!(p >= 0 && p <= 1)) throw new TrainError('E_BAD_OPTION', `augment probability must be in [0, 1], got ${p}`);
  }

  /** The recipe as recorded in the model metadata. */
  describe(): Record<string, unknown> {
    return { steps: this.opts.steps ?? this.dsp.defaultAugmentation ?? 'dsp default', probability: this.opts.probability ?? 1, seed: this.opts.seed };
  }

  async fill(refs: readonly WindowRef[], out: Float32Array, ctx: FillContext): Promise<void> {
    if (!ctx.augment) return this.base.fill(refs, out, ctx);
    const size = this.chw.length;
    const p = this.opts.probability ?? 1;
    // Decoding and augmentation run in the native thread pool: all windows of the batch at once.
    const perturbed = await Promise.all(refs.map((r) => {
      const seed = mixSeed(this.opts.seed, ctx.epoch, this.files[r.file].id, r.window);
      return p < 1 && (seed % 10000) / 10000 >= p ? null : this.perturb(r, seed);
    }));
    const [c, h, w] = this.spec.shape;
    const features = this.base.store.index.features;
    for (let i = 0; i < refs.length; i++) {
      const samples = perturbed[i];
      if (samples === null) {
        await this.base.fill([refs[i]], this.one, ctx);
        out.set(this.one.subarray(0, size), i * size);
        continue;
      }
      const spec = this.dsp.spectrogram(samples, features);
      const [bins, frames] = spec.shape;
      // A view in this realm: the addon's arrays fail `instanceof Float32Array` inside vm contexts (jest).
      const data = new Float32Array(spec.data.buffer, spec.data.byteOffset, spec.data.length);
      toModelInput(data, bins, frames, this.spec, this.chw, 0);
      chwToHwc(this.chw, c, h, w, out, i * size);
    }
  }

  /** The window's samples, re-decoded at its offset (zero-padded to a full window) and augmented. */
  private async perturb(r: WindowRef, seed: number): Promise<Float32Array> {
    const { index, dir } = this.base.store;
    const features = index.features;
    const winSamples = Math.round(index.windowing.windowSeconds * features.sr);
    const sf = index.files[this.base.storeFileIndex[r.file]];
    const span = sf.windows[r.window];
    const file = path.isAbsolute(sf.path) ? sf.path : path.join(index.root ?? dir, sf.path);
    const audio = await this.dsp.loadAudio(file, { sr: features.sr, offset: span.start, duration: index.windowing.windowSeconds });
    const samples = new Float32Array(winSamples);
    samples.set(audio.samples.subarray(0, winSamples));
    const res = await this.dsp.augment(samples, features.sr, this.opts.steps ?? this.dsp.defaultAugmentation, seed);
    const out = res instanceof Float32Array || ArrayBuffer.isView(res) ? (res as Float32Array) : res.samples;
    return out.length === winSamples ? out : padOrTrim(out, winSamples);
  }

  close(): void {
    this.base.close();
  }
}

// Exactly n samples: a codec round-trip may return a few more or fewer (zero-padded at the end).
function padOrTrim(x: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  y.set(x.subarray(0, n));
  return y;
}
