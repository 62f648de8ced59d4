// Scoring windows and turning scores into the numbers training decides on: EER per window and per clip
// (a clip's score is the mean of its windows' scores, as the detector aggregates them).
import { eer, rocAuc, summarise, type Summary } from '@melguard/metrics';
import * as tf from '@tensorflow/tfjs';
import { inputSize, type TrainingSource, type WindowRef } from './data/source';

/** P(fake) of each window, in inference mode (dropout off, batch-norm moving statistics). */
export async function scoreWindows(
  model: tf.LayersModel, source: TrainingSource, refs: readonly WindowRef[], batchSize: number,
): Promise<Float32Array> {
  const size = inputSize(source);
  const buf = new Float32Array(batchSize * size);
  const scores = new Float32Array(refs.length);
  for (let start = 0; start < refs.length; start += batchSize) {
    const part = refs.slice(start, start + batchSize);
    await source.fill(part, buf, { epoch: 0, augment: false });
    const out = tf.tidy(() => {
      const x = tf.tensor4d(buf.subarray(0, part.length * size), [part.length, ...source.inputShape]);
      return model.predict(x) as tf.Tensor;
    });
    scores.set((await out.data()) as Float32Array, start);
    out.dispose();
  }
  return scores;
}

export interface ClipScores {
  /** Source file index of each clip. */
  files: number[];
  scores: Float32Array;
  labels: Uint8Array;
}

/** Mean window score per file, files in first-seen order. */
export function clipScores(source: TrainingSource, refs: readonly WindowRef[], windowScores: Float32Array): ClipScores {
  const sum = new Map<number, { s: number; n: number }>();
  refs.forEach((r, i) => {
    const e = sum.get(r.file) ?? { s: 0, n: 0 };
    e.s += windowScores[i];
    e.n++;
    sum.set(r.file, e);
  });
  const files = [...sum.keys()];
  return {
    files,
    scores: Float32Array.from(files, (f) => sum.get(f)!.s / sum.get(f)!.n),
    labels: Uint8Array.from(files, (f) => source.files[f].label),
  };
}

export interface ValMetrics {
  loss: number;
  windowEer: number;
  windowThreshold: number;
  clipEer: number;
  clipThreshold: number;
  /** At 0.5. */
  windowAccuracy: number;
  clipAuc: number;
  windows: number;
  clips: number;
}

/** Mean binary cross-entropy (unweighted) of scores against labels. */
export function bce(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const eps = 1e-7;
  let s = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, scores[i]));
    s -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, scores.length);
}

export function valMetrics(source: TrainingSource, refs: readonly WindowRef[], windowScores: Float32Array): ValMetrics {
  const labels = Uint8Array.from(refs, (r) => source.files[r.file].label);
  const w = eer(windowScores, labels);
  const clips = clipScores(source, refs, windowScores);
  const c = eer(clips.scores, clips.labels);
  let correct = 0;
  windowScores.forEach((s, i) => (correct += Number((s >= 0.5 ? 1 : 0) === labels[i])));
  return {
    loss: bce(windowScores, labels),
    windowEer: w.eer,
    windowThreshold: w.threshold,
    clipEer: c.eer,
    clipThreshold: c.threshold,
    windowAccuracy: correct / refs.length,
    clipAuc: rocAuc(clips.scores, clips.labels),
    windows: refs.length,
    clips: clips.files.length,
  };
}

/** Full clip-level report (threshold = the clip EER threshold) with per-source and per-method breakdowns. */
export function clipReport(source: TrainingSource, refs: readonly WindowRef[], windowScores: Float32Array, threshold?: number): Summary {
  const clips = clipScores(source, refs, windowScores);
  const f = clips.files.map((i) => source.files[i]);
  return summarise(clips.scores, clips.labels, {
    threshold,
    groups: { source: f.map((x) => x.source ?? null) },
    methods: f.map((x) => x.method ?? null),
  });
}

/** What a trained model's metadata records of its validation (training.validation): the numbers without counts. */
export function validationSummary(v: ValMetrics): Record<string, number> {
  return {
    windowEer: v.windowEer, windowThreshold: v.windowThreshold, clipEer: v.clipEer,
    clipThreshold: v.clipThreshold, clipAuc: v.clipAuc, windowAccuracy: v.windowAccuracy, loss: v.loss,
  };
}

/** metrics.json's `val` section: window-level EER and accuracy at 0.5, and the full clip-level report. */
export function metricsVal(v: ValMetrics, clip: Summary): { window: { eer: number; threshold: number; accuracyAt05: number }; clip: Summary } {
  return { window: { eer: v.windowEer, threshold: v.windowThreshold, accuracyAt05: v.windowAccuracy }, clip };
}
