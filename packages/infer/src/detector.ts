// The Detector: one ONNX session, features computed exactly as the model's metadata says, every window scored
// (micro-batched across concurrent calls), aggregated to one verdict per clip.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  decodeAudioBuffer,
  resample,
  spectrogramBatch,
  spectrogramFiles,
  toModelInput,
  type FileFeatures,
  type FileResult,
  type ModelInputLayout,
  type ModelMetadata,
} from '@melguard/dsp';
import { aggregateScores, labelFor, parseAggregate, type Aggregate } from './aggregate';
import { MicroBatcher, type BatchInfo } from './batcher';
import { errorCode, MelguardError } from './errors';
import { checkGraph, parseModelMetadata } from './model-metadata';
import { readOnnxMetadataProps } from './onnx-metadata';
import { openSession, type ActiveProvider, type ExecutionProviderChoice } from './session';
import { planWindows } from './windows';

/** The bundled model (trained on the project's corpus); resolved from src/ and dist/ alike. */
export const DEFAULT_MODEL_PATH = path.resolve(__dirname, '..', 'models', 'default.onnx');

export interface DetectorOptions {
  /** 'cpu' (default), 'cuda' (error when unavailable) or 'auto' (CUDA when available, else CPU with one warning). */
  executionProvider?: ExecutionProviderChoice;
  /** ONNX Runtime intra-op threads. Default: all cores (os.availableParallelism()). */
  threads?: number;
  /** Native threads for decoding and features (detectFiles, detectSamples). Default: all cores. */
  featureThreads?: number;
  /** Most windows per ONNX Runtime run (alias: maxBatch). Default 32. */
  batchSize?: number;
  maxBatch?: number;
  /** How long a queued window may wait for others to fill its batch, ms. Default 0 (next tick). */
  maxDelayMs?: number;
  /** Most windows waiting for inference; more -> E_OVERLOADED. Default unlimited. */
  maxQueue?: number;
  /** Default aggregation for every call. Default 'mean'. */
  aggregate?: Aggregate;
  /** Overrides the model's decision threshold. */
  threshold?: number;
  /** detectFiles: files per native feature batch (the next batch is computed while this one is scored). Default 32. */
  filesPerBatch?: number;
}

export interface DetectOptions {
  aggregate?: Aggregate;
  threshold?: number;
  /** Longer audio fails with E_TOO_LONG. */
  maxDurationSeconds?: number;
  /** Abandons the call (E_ABORTED) at the next stage boundary, or while its windows wait for inference. */
  signal?: AbortSignal;
  /** Names the input in error messages (detectBuffer). */
  filename?: string;
}

export interface WindowScore {
  /** Seconds from the start of the clip. */
  start: number;
  end: number;
  /** P(fake) of this window. */
  score: number;
}

export interface Detection {
  /** P(fake) of the clip: the aggregate of the window scores. */
  score: number;
  label: 'real' | 'fake';
  threshold: number;
  windows: WindowScore[];
  /** Seconds of audio. */
  duration: number;
  model: { name: string; version: string };
  /** Wall time per stage, seconds. `inference` includes waiting for a micro-batch. */
  timing?: { decode: number; features: number; inference: number };
}

export type FileDetection = (Detection & { path: string }) | { path: string; error: { code: string; message: string } };

export interface ModelCard {
  name: string;
  version: string;
  format: string;
  labels: ['real', 'fake'];
  threshold: number;
  input: ModelMetadata['input'];
  training: Record<string, unknown>;
  executionProvider: ActiveProvider;
  file: string;
}

export interface DetectorStats {
  /** Windows waiting for a run. */
  queueLength: number;
  /** Calls waiting for inference results. */
  pendingCalls: number;
  batches: number;
  windows: number;
}

interface Loaded {
  session: ort.InferenceSession;
  provider: ActiveProvider;
  metadata: ModelMetadata;
  layout: ModelInputLayout;
  fixedBatch: number | null;
  file: string;
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

export class Detector extends EventEmitter {
  private readonly batcher: MicroBatcher;
  private disposed = false;
  private batches = 0;
  private scored = 0;
  private readonly aggregate: Aggregate;

  private constructor(
    private readonly loaded: Loaded,
    private readonly options: Required<Pick<DetectorOptions, 'threads' | 'featureThreads' | 'filesPerBatch'>> & DetectorOptions,
  ) {
    super();
    this.aggregate = parseAggregate(options.aggregate);
    const { layout, session, metadata, fixedBatch } = loaded;
    const { inputName, outputName } = metadata.input;
    this.batcher = new MicroBatcher(
      async (input, rows) => {
        const out = await session.run({ [inputName]: new ort.Tensor('float32', input, [rows, ...layout.shape]) }, [outputName]);
        const result = out[outputName];
        if (result.type !== 'float32') throw new MelguardError('E_INFERENCE', `output '${outputName}' is ${result.type}, expected float32`);
        return result.data as Float32Array;
      },
      {
        windowSize: layout.size,
        maxBatch: options.maxBatch ?? options.batchSize ?? 32,
        maxDelayMs: options.maxDelayMs ?? 0,
        maxQueue: options.maxQueue ?? Infinity,
        fixedBatch,
      },
      (info: BatchInfo) => {
        this.batches++;
        this.scored += info.size;
        this.emit('batch', info);
      },
    );
  }

  /**
   * Loads a model: a path, the ONNX file's bytes, or nothing for the bundled default. The features, windowing,
   * input transform, threshold and labels come from the model's metadata; a model without it fails with
   * E_MODEL_METADATA.
   */
  static async load(model: string | Uint8Array = DEFAULT_MODEL_PATH, options: DetectorOptions = {}): Promise<Detector> {
    const cores = os.availableParallelism();
    const threads = positiveInt(options.threads ?? cores, 'threads');
    const featureThreads = positiveInt(options.featureThreads ?? cores, 'featureThreads');
    const filesPerBatch = positiveInt(options.filesPerBatch ?? 32, 'filesPerBatch');
    if (options.batchSize !== undefined) positiveInt(options.batchSize, 'batchSize');
    if (options.maxBatch !== undefined) positiveInt(options.maxBatch, 'maxBatch');
    if (options.maxDelayMs !== undefined && !(options.maxDelayMs >= 0)) throw invalid(`maxDelayMs must be >= 0, got ${options.maxDelayMs}`);
    if (options.maxQueue !== undefined && !(options.maxQueue >= 1)) throw invalid(`maxQueue must be >= 1, got ${options.maxQueue}`);
    if (options.threshold !== undefined) checkThreshold(options.threshold);
    if (options.aggregate !== undefined) parseAggregate(options.aggregate);
    const executionProvider = options.executionProvider ?? 'cpu';
    if (!['cpu', 'cuda', 'auto'].includes(executionProvider)) throw invalid(`executionProvider must be 'cpu', 'cuda' or 'auto', got ${JSON.stringify(executionProvider)}`);

    let file: string;
    let bytes: Uint8Array;
    if (model instanceof Uint8Array) {
      file = '<model bytes>';
      bytes = model;
    } else if (typeof model === 'string' && model) {
      file = path.resolve(model);
      try {
        bytes = await fs.readFile(file);
      } catch (err) {
        const code = errorCode(err);
        const hint = file === DEFAULT_MODEL_PATH ? ' (the bundled default model is missing: reinstall @melguard/infer or pass a model path)' : '';
        throw new MelguardError(code === 'ENOENT' || code === 'EACCES' ? code : 'E_MODEL_LOAD', `cannot read model ${file}: ${(err as Error).message}${hint}`, {
          path: file,
          cause: err,
        });
      }
    } else {
      throw invalid('model must be a path or the bytes of an ONNX file');
    }
    // Metadata first: a model melguard cannot feed is rejected before ONNX Runtime spends time on it.
    const { metadata, layout } = parseModelMetadata(readOnnxMetadataProps(bytes, file), file);
    const { session, provider } = await openSession(bytes, { executionProvider, threads }, file);
    let fixedBatch: number | null;
    try {
      fixedBatch = checkGraph(metadata, session.inputMetadata, session.outputMetadata, file);
    } catch (err) {
      await session.release();
      throw err;
    }
    return new Detector({ session, provider, metadata, layout, fixedBatch, file }, { ...options, threads, featureThreads, filesPerBatch });
  }

  /** The model's melguard metadata (features, windowing, transform, threshold, training summary). */
  get metadata(): ModelMetadata {
    return this.loaded.metadata;
  }

  get model(): { name: string; version: string } {
    return { name: this.loaded.metadata.name, version: this.loaded.metadata.version };
  }

  /** The execution provider actually in use. */
  get executionProvider(): ActiveProvider {
    return this.loaded.provider;
  }

  /** The decision threshold in effect (the option, else the model's). */
  get threshold(): number {
    return this.options.threshold ?? this.loaded.metadata.threshold;
  }

  /** [channels, height, width] of one window's input tensor. */
  get inputShape(): [number, number, number] {
    return [...this.loaded.layout.shape] as [number, number, number];
  }

  get layout(): ModelInputLayout {
    return this.loaded.layout;
  }

  /** The model card: metadata plus where and how it runs (served by the server's GET /v1/model). */
  get card(): ModelCard {
    const m = this.loaded.metadata;
    return {
      name: m.name,
      version: m.version,
      format: m.format,
      labels: m.labels,
      threshold: this.threshold,
      input: m.input,
      training: m.training,
      executionProvider: this.loaded.provider,
      file: path.basename(this.loaded.file),
    };
  }

  modelCard(): ModelCard {
    return this.card;
  }

  /** Windows waiting for inference (for metrics and admission control). */
  get queueLength(): number {
    return this.batcher.queuedWindows;
  }

  get stats(): DetectorStats {
    return { queueLength: this.batcher.queuedWindows, pendingCalls: this.batcher.pendingCalls, batches: this.batches, windows: this.scored };
  }

  /** Scores mono samples at any rate (resampled to the model's rate when needed). */
  async detectSamples(samples: Float32Array, sampleRate: number, options: DetectOptions = {}): Promise<Detection> {
    this.checkOpen();
    if (!(samples instanceof Float32Array)) throw invalid('samples must be a Float32Array');
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw invalid(`sampleRate must be a positive integer, got ${sampleRate}`);
    const mode = this.callSettings(options);
    this.checkDuration(samples.length / sampleRate, options);
    const t0 = process.hrtime.bigint();
    const sr = this.loaded.metadata.input.features.sr;
    const audio = sampleRate === sr ? samples : await resample(samples, sampleRate, sr);
    return this.detectAudio(audio, seconds(t0), mode, options);
  }

  /** Decodes an encoded audio file held in memory (WAV, FLAC, OGG, MP3, ... as the engine reads) and scores it. */
  async detectBuffer(bytes: Uint8Array, options: DetectOptions = {}): Promise<Detection> {
    this.checkOpen();
    if (!(bytes instanceof Uint8Array)) throw invalid('bytes must be a Uint8Array or Buffer');
    const mode = this.callSettings(options);
    const t0 = process.hrtime.bigint();
    const audio = await decodeAudioBuffer(bytes, {
      sr: this.loaded.metadata.input.features.sr,
      mono: true,
      ...(options.filename ? { name: options.filename } : {}),
    });
    this.checkDuration(audio.duration, options);
    return this.detectAudio(audio.samples, seconds(t0), mode, options);
  }

  /** Decodes, computes features (native threads) and scores one file. Engine errors keep their codes (ENOENT, E_CORRUPT, ...). */
  async detectFile(file: string, options: DetectOptions = {}): Promise<Detection> {
    this.checkOpen();
    if (typeof file !== 'string' || !file) throw invalid('path must be a non-empty string');
    const mode = this.callSettings(options);
    const [result] = await this.fileFeatures([file]);
    if ('error' in result) throw new MelguardError(result.error.code, result.error.message, { path: result.path });
    this.checkDuration(result.duration, options);
    return this.scoreFeatures(result, mode, options);
  }

  /**
   * Scores many files: features for `filesPerBatch` files at a time in native threads (the next batch is computed
   * while the current one is scored), windows batched through ONNX Runtime. Yields one result per path, in order;
   * a file that cannot be read or decoded yields `{path, error: {code, message}}` and the run goes on.
   */
  async *detectFilesIter(paths: readonly string[], options: DetectOptions = {}): AsyncGenerator<FileDetection> {
    this.checkOpen();
    if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) throw invalid('paths must be an array of strings');
    const mode = this.callSettings(options);
    const size = this.options.filesPerBatch;
    const chunks: string[][] = [];
    for (let i = 0; i < paths.length; i += size) chunks.push(paths.slice(i, i + size));
    // One batch ahead: the next files decode in native threads while this batch is scored. A consumer that stops
    // early leaves that prefetch behind (fileFeatures marks its rejection handled).
    let next: Promise<FileResult[]> | null = chunks.length ? this.fileFeatures(chunks[0]) : null;
    for (let i = 0; i < chunks.length; i++) {
      const features = await next!;
      next = i + 1 < chunks.length ? this.fileFeatures(chunks[i + 1]) : null;
      const results = await Promise.all(
        features.map(async (f): Promise<FileDetection> => {
          if ('error' in f) return { path: f.path, error: f.error };
          try {
            return { path: f.path, ...(await this.scoreFeatures(f, mode, options)) };
          } catch (err) {
            // Only a dispose or abort fails the whole run; per-file problems become result lines.
            if (this.disposed || errorCode(err) === 'E_ABORTED') throw err;
            return { path: f.path, error: { code: errorCode(err) ?? 'E_INTERNAL', message: (err as Error).message } };
          }
        }),
      );
      yield* results;
    }
  }

  /** detectFilesIter collected into an array (in input order). */
  async detectFiles(paths: readonly string[], options: DetectOptions = {}): Promise<FileDetection[]> {
    const out: FileDetection[] = [];
    for await (const r of this.detectFilesIter(paths, options)) out.push(r);
    return out;
  }

  /**
   * Scores windows that are already model input tensors (`n` windows, C*H*W floats each, see `inputShape`),
   * through the same micro-batcher. Returns one P(fake) per window. For benchmarks and custom pipelines.
   */
  scoreWindows(input: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> {
    this.checkOpen();
    if (!(input instanceof Float32Array)) throw invalid('input must be a Float32Array');
    if (!Number.isInteger(n) || n < 0 || input.length !== n * this.loaded.layout.size) {
      throw invalid(`input must hold n * ${this.loaded.layout.size} floats (n = ${n}), got ${input.length}`);
    }
    return this.batcher.submit(input, n, signal);
  }

  /**
   * Releases the session. Calls still waiting for inference are rejected with E_DISPOSED, later calls too.
   * Resolves once a run in progress (if any) has finished and the session is released.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.batcher.close(new MelguardError('E_DISPOSED', 'the Detector was disposed before this detection finished'));
    await this.loaded.session.release();
  }

  // ---- internals ----

  private checkOpen(): void {
    if (this.disposed) throw new MelguardError('E_DISPOSED', 'this Detector has been disposed');
  }

  private callSettings(options: DetectOptions): { aggregate: Aggregate; threshold: number } {
    if (options.threshold !== undefined) checkThreshold(options.threshold);
    if (options.maxDurationSeconds !== undefined && !(options.maxDurationSeconds > 0)) {
      throw invalid(`maxDurationSeconds must be > 0, got ${options.maxDurationSeconds}`);
    }
    return {
      aggregate: options.aggregate === undefined ? this.aggregate : parseAggregate(options.aggregate),
      threshold: options.threshold ?? this.threshold,
    };
  }

  private checkDuration(duration: number, options: DetectOptions): void {
    const limit = options.maxDurationSeconds;
    if (limit !== undefined && duration > limit) {
      const name = options.filename ? `${options.filename} lasts` : 'the audio lasts';
      throw new MelguardError('E_TOO_LONG', `${name} ${duration.toFixed(2)} s, longer than the limit of ${limit} s`);
    }
  }

  private checkAbort(options: DetectOptions): void {
    const signal = options.signal;
    if (signal?.aborted) {
      throw new MelguardError('E_ABORTED', `detection aborted${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`, { cause: signal.reason });
    }
  }

  private fileFeatures(paths: string[]): Promise<FileResult[]> {
    const { features, windowing } = this.loaded.metadata.input;
    const p = spectrogramFiles(paths, features, windowing, { threads: this.options.featureThreads, sr: features.sr });
    // A prefetched batch may fail while the previous one is being scored: mark it handled now, the caller still
    // sees the rejection when it awaits it.
    p.catch(() => {});
    return p;
  }

  /** Mono samples at the model's rate -> windows -> features (native threads) -> scores. */
  private async detectAudio(samples: Float32Array, decode: number, mode: { aggregate: Aggregate; threshold: number }, options: DetectOptions): Promise<Detection> {
    this.checkOpen(); // disposed while decoding: skip the feature work
    this.checkAbort(options);
    const { features, windowing } = this.loaded.metadata.input;
    const { windowSamples, bins, frames, size } = this.loaded.layout;
    const sr = features.sr;
    const plan = planWindows(samples.length, sr, windowSamples, Math.round(windowing.hopSeconds * sr), windowing.minSeconds);
    const t0 = process.hrtime.bigint();
    const signals = plan.starts.map((s) => {
      if (s + windowSamples <= samples.length) return samples.subarray(s, s + windowSamples);
      const padded = new Float32Array(windowSamples); // a clip shorter than one window, zero-padded
      padded.set(samples.subarray(s));
      return padded;
    });
    const spectrograms = await spectrogramBatch(signals, features, { threads: this.options.featureThreads });
    const input = new Float32Array(signals.length * size);
    spectrograms.forEach((spec, i) => {
      if (spec.shape[0] !== bins || spec.shape[1] !== frames) {
        throw new MelguardError('E_INTERNAL', `window spectrogram is ${spec.shape[0]}x${spec.shape[1]}, the model expects ${bins}x${frames}`);
      }
      toModelInput(spec.data, bins, frames, this.loaded.metadata.input, input, i * size);
    });
    const featureTime = seconds(t0);
    return this.finish(input, plan.spans, samples.length / sr, { decode, features: featureTime }, mode, options);
  }

  /** Windowed features of one file (from spectrogramFiles) -> scores. */
  private scoreFeatures(f: FileFeatures, mode: { aggregate: Aggregate; threshold: number }, options: DetectOptions): Promise<Detection> {
    this.checkOpen();
    this.checkAbort(options);
    const [n, bins, frames] = f.shape;
    const { size } = this.loaded.layout;
    if (bins !== this.loaded.layout.bins || frames !== this.loaded.layout.frames) {
      throw new MelguardError('E_INTERNAL', `${f.path}: window spectrogram is ${bins}x${frames}, the model expects ${this.loaded.layout.bins}x${this.loaded.layout.frames}`);
    }
    const t0 = process.hrtime.bigint();
    const input = new Float32Array(n * size);
    const plane = bins * frames;
    for (let i = 0; i < n; i++) toModelInput(f.data.subarray(i * plane, (i + 1) * plane), bins, frames, this.loaded.metadata.input, input, i * size);
    const t = f.timing;
    return this.finish(input, f.windows, f.duration, { decode: t.decode + t.resample, features: t.spectrogram + seconds(t0) }, mode, options);
  }

  private async finish(
    input: Float32Array,
    spans: readonly { start: number; end: number }[],
    duration: number,
    timing: { decode: number; features: number },
    mode: { aggregate: Aggregate; threshold: number },
    options: DetectOptions,
  ): Promise<Detection> {
    if (spans.length === 0) throw new MelguardError('E_TOO_SHORT', 'the audio is too short for one window of this model');
    const t0 = process.hrtime.bigint();
    const scores = await this.batcher.submit(input, spans.length, options.signal);
    const inference = seconds(t0);
    const score = aggregateScores(scores, mode.aggregate);
    return {
      score,
      label: labelFor(score, mode.threshold),
      threshold: mode.threshold,
      windows: spans.map((s, i) => ({ start: s.start, end: s.end, score: scores[i] })),
      duration,
      model: this.model,
      timing: { ...timing, inference },
    };
  }
}

function invalid(message: string): MelguardError {
  return new MelguardError('E_INVALID_ARG', message);
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw invalid(`${name} must be a positive integer, got ${v}`);
  return v;
}

function checkThreshold(t: number): void {
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw invalid(`threshold must be a number in [0, 1], got ${t}`);
}
