// Model card: what a model is, what it was trained on, how it was validated, written beside every ONNX file
// as JSON (for tools) and a short Markdown page (for people).
import type { ModelMetadata } from '@melguard/dsp';
import type { AttackMetrics, GroupMetrics, Summary } from '@melguard/metrics';
import type * as tf from '@tensorflow/tfjs';
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './io/atomic';

export const MODEL_CARD_FORMAT = 'melguard-model-card/1';

export interface LayerSummary {
  className: string;
  name: string;
  /** Without the batch dimension. */
  outputShape: number[];
  params: number;
}

export interface ArchitectureSummary {
  /** e.g. 'seed' or 'default'. */
  name: string;
  description?: string;
  layers: LayerSummary[];
  paramCount: number;
  trainableParams?: number;
}

export interface ClassCounts {
  real: number;
  fake: number;
}

export interface TrainingSummary {
  /** Clips per source (corpus / origin) and class. */
  sources: Record<string, ClassCounts>;
  /** Totals of the data the shipped model was trained on. */
  counts: ClassCounts & { files: number; windows?: number };
  /** Anything else worth recording: epochs, batch size, augmentation, backend, throughput, seed… */
  details?: Record<string, unknown>;
}

/** One validation protocol (e.g. grouped by speaker, or leave-generators-out) and its metrics. */
export interface ProtocolInput {
  name: string;
  description: string;
  /** The split file the protocol used, if any. */
  splitFile?: string;
  /** metrics.summarise(scores, labels, { threshold, groups: { source }, methods }) on its validation side. */
  summary: Summary;
}

export interface ModelCardInput {
  metadata: ModelMetadata;
  architecture: ArchitectureSummary;
  training: TrainingSummary;
  splitPolicy: string;
  validation: ProtocolInput[];
  /** How metadata.threshold was chosen (e.g. 'EER threshold on the grouped validation split'). */
  thresholdChosenBy: string;
  versions?: Partial<Versions>;
  date?: Date | string;
  /** File name of the ONNX model the card describes. */
  modelFile?: string;
}

export interface Versions {
  node: string;
  tfjs: string;
  melguard: string;
  [other: string]: string;
}

export interface OverallMetrics {
  n: number;
  real: number;
  fake: number;
  threshold: number;
  accuracy: number;
  balancedAccuracy: number;
  eer?: number;
  eerThreshold?: number;
  auc?: number;
  /** Rows true (real, fake), columns predicted (real, fake). */
  confusion: [[number, number], [number, number]];
}

export interface ProtocolCard {
  name: string;
  description: string;
  splitFile?: string;
  overall: OverallMetrics;
  perSource?: Record<string, GroupMetrics>;
  perMethod?: Record<string, AttackMetrics>;
}

export interface ModelCard {
  format: typeof MODEL_CARD_FORMAT;
  model: { name: string; version: string; file?: string; labels: ['real', 'fake'] };
  threshold: { value: number; chosenBy: string; rule: 'score >= threshold -> fake' };
  input: {
    preset: string;
    features: ModelMetadata['input']['features'];
    windowing: ModelMetadata['input']['windowing'];
    transform: ModelMetadata['input']['transform'];
    tensor: { name: string; shape: ['N', number, number, number]; layout: 'NCHW' };
    output: { name: string; shape: ['N', 1]; meaning: 'P(fake)' };
  };
  architecture: ArchitectureSummary;
  training: TrainingSummary;
  splitPolicy: string;
  validation: ProtocolCard[];
  versions: Versions;
  date: string;
}

function invalid(message: string): Error {
  return Object.assign(new RangeError(`model card: ${message}`), { code: 'E_CARD_INVALID' });
}

function countOf(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(`${name} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** Layers, output shapes and parameter counts of a tfjs model, as the card records them. */
export function summariseArchitecture(model: tf.LayersModel, name: string, description?: string): ArchitectureSummary {
  const layers = model.layers.map((l) => ({
    className: l.getClassName(),
    name: l.name,
    outputShape: ((Array.isArray(l.outputShape[0]) ? l.outputShape[0] : l.outputShape) as (number | null)[]).slice(1) as number[],
    params: l.countParams(),
  }));
  const trainableParams = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  return { name, ...(description ? { description } : {}), layers, paramCount: model.countParams(), trainableParams };
}

/** What train() records in metadata.training about the data (see trainingSummary in train.ts). */
interface RecordedTraining {
  model?: string;
  architecture?: string;
  sources?: string[];
  epochs?: number;
  hyperparameters?: unknown;
  augmentation?: unknown;
  backend?: string;
  split?: { policy?: string; origin?: string; train?: Partial<ClassCounts> & { files?: number; windows?: number; bySource?: Record<string, ClassCounts> } };
}

/**
 * The card input of a model trained by train(), from what it recorded in its metadata (architecture, training
 * side of the split per source and class, hyperparameters); the caller adds how it was validated. One place for
 * `melguard export` and tools/train-default-card.js.
 */
export function trainedModelCardInput(
  model: tf.LayersModel,
  metadata: ModelMetadata,
  card: Pick<ModelCardInput, 'validation' | 'thresholdChosenBy' | 'modelFile'> & { splitPolicy?: string; details?: Record<string, unknown> },
): ModelCardInput {
  const t = (metadata.training ?? {}) as RecordedTraining;
  const side = t.split?.train ?? {};
  return {
    metadata,
    architecture: summariseArchitecture(model, t.model ?? metadata.name, t.architecture),
    training: {
      sources: side.bySource ?? {},
      counts: { files: side.files ?? 0, real: side.real ?? 0, fake: side.fake ?? 0, ...(side.windows !== undefined ? { windows: side.windows } : {}) },
      details: { sources: t.sources, epochs: t.epochs, hyperparameters: t.hyperparameters, augmentation: t.augmentation ?? 'none', backend: t.backend, ...card.details },
    },
    splitPolicy: card.splitPolicy ?? `${t.split?.policy ?? 'unknown'} (${t.split?.origin ?? 'unknown origin'})`,
    validation: card.validation,
    thresholdChosenBy: card.thresholdChosenBy,
    ...(card.modelFile ? { modelFile: card.modelFile } : {}),
  };
}

function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(require(join(__dirname, '..', 'package.json')).version);
  } catch {
    return 'unknown';
  }
}

/** node, tfjs and melguard versions of this process. */
export function currentVersions(): Versions {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tfjs = String((require('@tensorflow/tfjs') as typeof tf).version.tfjs);
  return { node: process.version, tfjs, melguard: packageVersion() };
}

function overallOf(s: Summary): OverallMetrics {
  const o: OverallMetrics = {
    n: s.n,
    real: s.real,
    fake: s.fake,
    threshold: s.threshold,
    accuracy: s.accuracy,
    balancedAccuracy: s.balancedAccuracy,
    confusion: s.confusion.matrix,
  };
  if (s.eer !== undefined) Object.assign(o, { eer: s.eer, eerThreshold: s.eerThreshold, auc: s.auc });
  return o;
}

export function buildModelCard(input: ModelCardInput): ModelCard {
  const { metadata, architecture, training } = input;
  if (!metadata?.input) throw invalid('metadata with an input spec is required');
  if (!architecture?.name) throw invalid('architecture.name is required');
  countOf('architecture.paramCount', architecture.paramCount);
  for (const [source, c] of Object.entries(training?.sources ?? {})) {
    countOf(`training.sources.${source}.real`, c.real);
    countOf(`training.sources.${source}.fake`, c.fake);
  }
  if (!training?.counts) throw invalid('training.counts is required');
  countOf('training.counts.files', training.counts.files);
  countOf('training.counts.real', training.counts.real);
  countOf('training.counts.fake', training.counts.fake);
  if (!input.splitPolicy?.trim()) throw invalid('splitPolicy is required');
  if (!Array.isArray(input.validation) || input.validation.length === 0) throw invalid('at least one validation protocol is required');
  const names = new Set<string>();
  for (const p of input.validation) {
    if (!p.name || names.has(p.name)) throw invalid(`validation protocol names must be unique and non-empty, got '${p.name}'`);
    names.add(p.name);
  }
  const date = input.date === undefined ? new Date() : new Date(input.date);
  if (Number.isNaN(date.getTime())) throw invalid(`date ${String(input.date)} is not a valid date`);
  const preset = metadata.training?.preset;
  return {
    format: MODEL_CARD_FORMAT,
    model: {
      name: metadata.name,
      version: metadata.version,
      ...(input.modelFile ? { file: input.modelFile } : {}),
      labels: metadata.labels,
    },
    threshold: { value: metadata.threshold, chosenBy: input.thresholdChosenBy, rule: 'score >= threshold -> fake' },
    input: {
      preset: typeof preset === 'string' ? preset : 'custom',
      features: metadata.input.features,
      windowing: metadata.input.windowing,
      transform: metadata.input.transform,
      tensor: { name: metadata.input.inputName, shape: ['N', ...metadata.input.shape], layout: 'NCHW' },
      output: { name: metadata.input.outputName, shape: ['N', 1], meaning: 'P(fake)' },
    },
    architecture,
    training,
    splitPolicy: input.splitPolicy,
    validation: input.validation.map((p) => ({
      name: p.name,
      description: p.description,
      ...(p.splitFile ? { splitFile: p.splitFile } : {}),
      overall: overallOf(p.summary),
      ...(p.summary.groups?.source ? { perSource: p.summary.groups.source } : {}),
      ...(p.summary.attacks ? { perMethod: p.summary.attacks } : {}),
    })),
    versions: { ...currentVersions(), ...input.versions } as Versions,
    date: date.toISOString(),
  };
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : `${(100 * v).toFixed(2)} %`);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A short human-readable page for the card. */
export function renderModelCardMarkdown(card: ModelCard): string {
  const { input, architecture: arch } = card;
  const lines: string[] = [
    `# ${card.model.name} ${card.model.version}`,
    '',
    `Deepfake-speech detector (melguard). Input \`${input.tensor.name}\` [${input.tensor.shape.join(', ')}] (NCHW): ` +
      `${input.windowing.windowSeconds} s windows (hop ${input.windowing.hopSeconds} s) of the \`${input.preset}\` spectrogram ` +
      `(${input.features.sr} Hz, ${input.features.nMels > 0 ? `${input.features.nMels} mels` : 'linear bins'}, ${input.transform.kind} transform). ` +
      `Output \`${input.output.name}\` [N, 1] = P(fake); **score >= ${card.threshold.value.toPrecision(4)} → fake** (${card.threshold.chosenBy}).`,
    '',
    '## Architecture',
    '',
    `\`${arch.name}\`, ${arch.paramCount.toLocaleString('en-US')} parameters${arch.description ? ` — ${arch.description}` : ''}.`,
    '',
    arch.layers.map((l) => l.className).join(' → '),
    '',
    '## Training data',
    '',
    `${card.training.counts.files} files (${card.training.counts.real} real, ${card.training.counts.fake} fake` +
      `${card.training.counts.windows !== undefined ? `, ${card.training.counts.windows} windows` : ''}).`,
    '',
    '| source | real | fake |',
    '|---|---:|---:|',
    ...Object.entries(card.training.sources).map(([s, c]) => `| ${cell(s)} | ${c.real} | ${c.fake} |`),
    '',
    `Split policy: ${card.splitPolicy}`,
    ...augmentationLine(card.training.details),
    ...selectionLines(card.training.details),
    '',
    '## Validation',
  ];
  for (const p of card.validation) {
    const o = p.overall;
    lines.push(
      '',
      `### ${p.name}`,
      '',
      p.description,
      '',
      `| clips | real | fake | EER | ROC AUC | accuracy | balanced accuracy |`,
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${o.n} | ${o.real} | ${o.fake} | ${pct(o.eer)} | ${o.auc === undefined ? '—' : o.auc.toFixed(4)} | ${pct(o.accuracy)} | ${pct(o.balancedAccuracy)} |`,
    );
    if (p.perSource) {
      lines.push('', '| source | clips | real | fake | accuracy | EER |', '|---|---:|---:|---:|---:|---:|');
      for (const [s, g] of Object.entries(p.perSource)) lines.push(`| ${cell(s)} | ${g.n} | ${g.real} | ${g.fake} | ${pct(g.accuracy)} | ${pct(g.eer)} |`);
    }
    if (p.perMethod) {
      lines.push('', '| method (fakes vs all reals) | fakes | detected | EER |', '|---|---:|---:|---:|');
      for (const [m, a] of Object.entries(p.perMethod)) lines.push(`| ${cell(m)} | ${a.n} | ${pct(a.detectionRate)} | ${pct(a.eer)} |`);
    }
  }
  lines.push(
    '',
    '## Versions',
    '',
    `${Object.entries(card.versions).map(([k, v]) => `${k} ${v}`).join(', ')}; card written ${card.date}.`,
    '',
  );
  return lines.join('\n');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes `<base>.card.json` and `<base>.card.md` (atomically). `target`: a directory (base 'model'), the ONNX
 * file the card describes (`dir/x.onnx` -> `dir/x.card.json`), or the JSON path itself (`*.card.json`).
 */
export function writeModelCard(target: string, card: ModelCard): { json: string; markdown: string } {
  let dir: string;
  let base: string;
  if (isDirectory(target)) {
    dir = target;
    base = 'model';
  } else {
    dir = dirname(target);
    base = basename(target).replace(/\.card\.json$|\.onnx$/, '');
  }
  const json = join(dir, `${base}.card.json`);
  const markdown = join(dir, `${base}.card.md`);
  writeFileAtomic(json, `${JSON.stringify(card, null, 2)}\n`);
  writeFileAtomic(markdown, renderModelCardMarkdown(card));
  return { json, markdown };
}

/** Markdown saying how the epoch and threshold were chosen (when the caller recorded it) and whether the weights are averaged. */
function selectionLines(details: unknown): string[] {
  const d = (details ?? {}) as { trainedOn?: unknown; hyperparameters?: { weightAverage?: { decay?: number } | null } };
  const decay = d.hyperparameters?.weightAverage?.decay;
  return [
    ...(typeof d.trainedOn === 'string' ? ['', `Trained on: ${d.trainedOn}.`] : []),
    ...(decay !== undefined ? ['', `Weights: an exponential moving average of the training weights (decay ${decay}), validated and saved instead of the last step's.`] : []),
  ];
}

/** Markdown naming the waveform augmentation the model was trained with (each member's, for an ensemble whose members differ). */
function augmentationLine(details: unknown): string[] {
  const aug = (details as { augmentation?: unknown } | undefined)?.augmentation;
  if (aug === undefined) return [];
  const perMember = (aug as { perMember?: { run: string; augmentation: unknown }[] } | null)?.perMember;
  if (Array.isArray(perMember)) return ['', 'Augmentation, per member:', ...perMember.map((m) => `- ${m.run}: ${describeAugmentation(m.augmentation)}`)];
  return ['', `Augmentation: ${describeAugmentation(aug)}.`];
}

function describeAugmentation(aug: unknown): string {
  if (aug === null || aug === 'none') return 'none';
  const { steps, probability } = aug as { steps?: unknown; probability?: number };
  const list = Array.isArray(steps)
    ? steps.map((st: { type: string; p?: number }) => (st.p !== undefined ? `${st.type} (p ${st.p})` : st.type)).join(', ')
    : steps === 'dsp default'
      ? "@melguard/dsp's defaultAugmentation: gain, random EQ, synthetic-IR reverb, white/pink noise, telephone band, resampling, MP3/Opus round-trips, clipping"
      : JSON.stringify(aug);
  const share = probability !== undefined ? `, ${Math.round(probability * 100)} % of training windows` : '';
  return `on-the-fly waveform augmentation through the native engine (${list}${share})`;
}
