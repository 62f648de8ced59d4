// The few dsp entry points the corpus uses, loaded on first use (the addon is only needed to extract and to
// copy-synthesise).
import type { CopySynthesisOptions, FileResult, PresetName, SpectrogramInput, SpectrogramOptions, WindowingOptions } from '@melguard/dsp';
import { canonicalJson } from './hashing';
import type { ResolvedWindowing } from './windows';

export interface DspApi {
  resolveOptions(input: SpectrogramInput): SpectrogramOptions;
  presets: Record<PresetName, SpectrogramOptions>;
  spectrogramFiles(paths: string[], options: SpectrogramOptions, windowing: WindowingOptions, opts: { threads: number; sr: number }): Promise<FileResult[]>;
  // copy-synth
  loadAudio(file: string, opts: { sr: number }): Promise<{ samples: Float32Array; sampleRate: number }>;
  copySynthesis(samples: Float32Array, sr: number, options: CopySynthesisOptions): Promise<Float32Array>;
  resolveCopySynthesisOptions(sr: number, options: CopySynthesisOptions): Required<CopySynthesisOptions>;
  encodeAudio(samples: Float32Array, sr: number, format: 'flac'): Promise<Uint8Array>;
}

/** The dsp entry points copy-synth uses (tests may pass stand-ins). */
export type CopySynthesisDsp = Pick<DspApi, 'loadAudio' | 'copySynthesis' | 'resolveCopySynthesisOptions' | 'encodeAudio'>;

let cached: DspApi | undefined;

export function dspApi(): DspApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached ??= require('@melguard/dsp') as DspApi;
  return cached;
}

/** Which features to compute: a preset and/or explicit options (options override the preset). */
export interface FeatureSelection {
  preset?: PresetName;
  options?: Partial<SpectrogramOptions>;
}

export const DEFAULT_PRESET: PresetName = 'speech16k';

/** Resolves (and, through dsp, validates) the options; presetName is null when options change the preset. */
export function resolveFeatures(sel: FeatureSelection): { presetName: PresetName | null; features: SpectrogramOptions } {
  const api = dspApi();
  const preset = sel.preset ?? (sel.options === undefined ? DEFAULT_PRESET : undefined);
  const features = api.resolveOptions({ ...(sel.options ?? {}), ...(preset !== undefined ? { preset } : {}) });
  const presetName = preset !== undefined && canonicalJson(api.presets[preset]) === canonicalJson(features) ? preset : null;
  return { presetName, features };
}

export type Extractor = (paths: string[], options: SpectrogramOptions, windowing: ResolvedWindowing, opts: { threads: number; sr: number }) => Promise<FileResult[]>;

/** dsp's batch call (native threads: decode, resample, windows, spectrograms) with every windowing option spelled out. */
export const dspExtractor: Extractor = (paths, options, w, opts) => {
  const api = dspApi();
  if (typeof api.spectrogramFiles !== 'function') throw Object.assign(new Error('@melguard/dsp has no spectrogramFiles (audio decoding not built yet)'), { code: 'E_EXTRACTOR' });
  const windowing: WindowingOptions = { windowSeconds: w.windowSeconds, hopSeconds: w.hopSeconds, minSeconds: w.minSeconds, firstOnly: w.firstOnly, ...(w.maxWindows !== null ? { maxWindows: w.maxWindows } : {}) };
  return api.spectrogramFiles(paths, options, windowing, opts);
};
