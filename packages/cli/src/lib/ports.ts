// The sibling packages, loaded on first use: `melguard --help` or `melguard detect` never loads TensorFlow,
// and a command only needs the packages it uses. Each port lists the part of the package's API the CLI calls.
import { CliError } from './errors';

export interface SpectrogramOptions {
  sr: number;
  nFft: number;
  hopLength: number;
  winLength: number;
  window: string;
  center: boolean;
  padMode: string;
  power: 1 | 2;
  nMels: number;
  fMin: number;
  fMax: number;
  htk: boolean;
  norm: 'slaney' | null;
  scale: string;
  ref: 'max' | number;
  amin: number;
  topDb: number | null;
}

export type SpectrogramInput = Partial<SpectrogramOptions> & { preset?: string };

export interface Spectrogram {
  data: Float32Array;
  shape: [bins: number, frames: number];
}

export interface DspPort {
  presets: Record<string, SpectrogramOptions>;
  resolveOptions(input: SpectrogramInput): SpectrogramOptions;
  spectrogram(samples: Float32Array, options?: SpectrogramInput): Spectrogram;
  spectrogramAsync?(samples: Float32Array, options?: SpectrogramInput): Promise<Spectrogram>;
  loadAudio(path: string, options?: { sr?: number | null; mono?: boolean; offset?: number; duration?: number | null }): Promise<{ samples: Float32Array; sampleRate: number; channels: number; duration: number }>;
  resample(samples: Float32Array, inRate: number, outRate: number): Promise<Float32Array> | Float32Array;
  runDspBench(options: Record<string, unknown>): Promise<Record<string, unknown>> | Record<string, unknown>;
  formatDspBench(result: unknown): string;
}

export interface PlotImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export interface PlotPort {
  spectrogramPng(data: Float32Array, bins: number, frames: number, opts?: Record<string, unknown>): Buffer;
  spectrogramImage(data: Float32Array, bins: number, frames: number, opts?: Record<string, unknown>): PlotImage;
  linePlotPng(opts: {
    title?: string;
    x: { label: string; log?: boolean; min?: number; max?: number };
    y: { label: string; min?: number; max?: number };
    series: { label: string; x: number[]; y: number[]; dashed?: boolean }[];
    width?: number;
    height?: number;
  }): Buffer;
  panelPng(opts: { title?: string; columns: number; tiles: { image: PlotImage; title: string; subtitle?: string; marked?: boolean }[] }): Buffer;
}

export interface WindowScore {
  start: number;
  end: number;
  score: number;
}

export interface Detection {
  score: number;
  label: 'real' | 'fake';
  threshold: number;
  windows: WindowScore[];
  duration: number;
  model: { name: string; version: string };
  timing?: { decode: number; features: number; inference: number };
}

export type FileDetection = (Detection & { path: string }) | { path: string; error: { code: string; message: string } };

export interface DetectOptions {
  aggregate?: string;
  threshold?: number;
  signal?: AbortSignal;
}

export interface DetectorPort {
  readonly metadata: {
    name: string;
    version: string;
    threshold: number;
    input: { features: SpectrogramOptions; windowing: { windowSeconds: number; hopSeconds: number; minSeconds: number } };
  };
  readonly model: { name: string; version: string };
  readonly executionProvider: string;
  readonly threshold: number;
  detectFile(path: string, options?: DetectOptions): Promise<Detection>;
  detectFilesIter(paths: readonly string[], options?: DetectOptions): AsyncGenerator<FileDetection>;
  dispose(): Promise<void>;
  /** 'batch' events: one per ONNX Runtime run. */
  on?(event: 'batch', listener: (info: { size: number; requests: number; seconds: number }) => void): unknown;
}

export interface DetectorLoadOptions {
  executionProvider?: string;
  threads?: number;
  featureThreads?: number;
  batchSize?: number;
  filesPerBatch?: number;
  aggregate?: string;
}

export interface InferPort {
  Detector: { load(modelPath?: string, options?: DetectorLoadOptions): Promise<DetectorPort> };
  DEFAULT_MODEL_PATH: string;
  benchInfer(detector: DetectorPort, options?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export type Numbers = ArrayLike<number>;

export interface MetricsPort {
  summarise(scores: Numbers, labels: Numbers, options?: { threshold?: number; groups?: Record<string, ArrayLike<string | null | undefined>>; methods?: ArrayLike<string | null | undefined> }): MetricsSummary;
  rocCurve(scores: Numbers, labels: Numbers): { fpr: number[]; tpr: number[]; thresholds: number[] };
  formatSummary(s: MetricsSummary): string;
}

export interface MetricsSummary {
  n: number;
  real: number;
  fake: number;
  threshold: number;
  thresholdSource: 'given' | 'eer';
  accuracy: number;
  balancedAccuracy: number;
  confusion: { tp: number; fp: number; tn: number; fn: number; matrix: [[number, number], [number, number]] };
  eer?: number;
  eerThreshold?: number;
  auc?: number;
  groups?: Record<string, Record<string, { n: number; real: number; fake: number; accuracy: number; eer?: number; auc?: number }>>;
  attacks?: Record<string, { n: number; detectionRate: number; eer?: number }>;
}

export interface CorpusEntry {
  path: string;
  id: string;
  label: 'real' | 'fake' | null;
  source?: string;
  method?: string;
  speaker?: string;
  group: string;
}

export interface SplitFile {
  format: string;
  policy: string;
  train: string[];
  val: string[];
  counts: unknown;
  heldOutMethods: string[];
  heldOutSources?: string[];
}

export interface CorpusPort {
  discoverCorpusDetailed(target: string, opts?: Record<string, unknown>): { layout: string; root: string; entries: CorpusEntry[]; skipped: { path: string; reason: string }[] };
  makeSplit(items: CorpusEntry[], opts?: { policy?: string; seed?: number | string; valFraction?: number; holdOutMethods?: string[]; holdOutSources?: string[] }): SplitFile;
  writeSplitFile(file: string, split: SplitFile): void;
  readSplitFile(file: string): SplitFile;
  [name: string]: unknown;
}

const cache = new Map<string, unknown>();

/** require() a workspace package; a missing build is a clear error, not a stack trace. */
export function loadPackage<T>(name: string): T {
  if (cache.has(name)) return cache.get(name) as T;
  let mod: T;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(name) as T;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND' && e.message?.includes(name)) {
      throw new CliError('E_NOT_BUILT', `${name} is not available: build the workspace first (npm run build)`);
    }
    throw err;
  }
  cache.set(name, mod);
  return mod;
}

export const dsp = () => loadPackage<DspPort>('@melguard/dsp');
export const plot = () => loadPackage<PlotPort>('@melguard/plot');
export const infer = () => loadPackage<InferPort>('@melguard/infer');
export const metrics = () => loadPackage<MetricsPort>('@melguard/metrics');
export const corpus = () => loadPackage<CorpusPort>('@melguard/corpus');

/** A function the package must export (checked at call time: a clear error if the sibling package lacks it). */
export function need<F>(mod: object, name: string, pkg: string): F {
  const f = (mod as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new CliError('E_NOT_BUILT', `${pkg} does not export ${name}() (rebuild the workspace)`);
  return f.bind(mod) as F;
}

/** --model, else $MELGUARD_MODEL, else undefined (the bundled default model). */
export function modelPath(flag: string | undefined): string | undefined {
  return flag ?? (process.env.MELGUARD_MODEL || undefined);
}
