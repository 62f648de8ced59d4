// Difference analysis (the seed project's difference_analysis.py, made readable and honest):
// mean log-mel of REAL and FAKE and their difference as heat maps, the per-band mean difference with a
// 95 % confidence band, per-source differences, and analysis.json with every number.
//
// The unit is the FILE: each file's windows are averaged first, so long clips do not outweigh short ones
// and the confidence intervals (Welch t over files) are not inflated by correlated windows of one clip.
import * as fs from 'fs';
import * as path from 'path';
import type { SpectrogramOptions, WindowingOptions } from '@melguard/dsp';
import { writeFileAtomic } from './atomic';
import { discoverCorpusDetailed, type DiscoverOptions } from './discover';
import type { FeatureSelection, Extractor } from './dsp-bridge';
import { CorpusError } from './errors';
import { extractFeatures, INDEX_FILE, type ExtractProgress, type StoreEntry } from './extract';
import { binFrequencies, binPosition, formatHz } from './mel';
import { summarize, welch, type Difference, type Summary } from './stats';
import { FeatureStore } from './store';

export interface AnalyzeOptions extends FeatureSelection {
  windowing?: WindowingOptions;
  threads?: number;
  onProgress?: (p: ExtractProgress) => void;
  discover?: DiscoverOptions;
  /** Feature store to (re)use when the input is a corpus or entries (default: outDir/features). */
  featuresDir?: string;
  extract?: Extractor;
  resolved?: { presetName: string | null; features: SpectrogramOptions };
}

export interface AnalysisResult {
  json: string;
  images: { realMean: string; fakeMean: string; difference: string; bandDifference: string; bandMeans: string; bySource: string | null };
  analysis: Analysis;
}

interface BandStats {
  mean: number[];
  std: number[];
  n: number;
  ciLow: number[];
  ciHigh: number[];
}

export interface Analysis {
  format: 'melguard-analysis/1';
  store: string;
  presetName: string | null;
  features: SpectrogramOptions;
  windowing: FeatureStore['index']['windowing'];
  shape: [number, number];
  unit: 'file';
  files: { real: number; fake: number; unlabelled: number };
  rows: { real: number; fake: number };
  /** Centre frequency of each band (Hz). */
  bandsHz: number[];
  /** Time of each frame inside a window (s). */
  framesSeconds: number[];
  perBand: {
    real: BandStats;
    fake: BandStats;
    /** FAKE - REAL, Welch t over files, 95 % interval. */
    difference: { mean: number[]; se: number[]; df: number[]; t: number[]; ciLow: number[]; ciHigh: number[] };
  };
  /** Bands whose difference is largest relative to its uncertainty. */
  largestDifferences: { band: number; hz: number; difference: number; ciLow: number; ciHigh: number; t: number }[];
  bySource: Record<string, { real: number; fake: number; difference: number[] | null }>;
  /** Mean maps [bins][frames] (rounded to 1e-3). */
  maps: { real: number[][]; fake: number[][]; difference: number[][] };
}

/** Analyses a feature store (directory or open store), a corpus path, or discovered entries. */
export async function analyzeCorpus(input: FeatureStore | string | StoreEntry[], outDir: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const out = path.resolve(outDir);
  fs.mkdirSync(out, { recursive: true });
  let store: FeatureStore;
  let opened = false;
  if (input instanceof FeatureStore) store = input;
  else if (typeof input === 'string' && fs.existsSync(path.join(input, INDEX_FILE))) {
    store = FeatureStore.open(input);
    opened = true;
  } else {
    let entries: StoreEntry[];
    let root: string | undefined;
    if (typeof input === 'string') {
      const d = discoverCorpusDetailed(input, opts.discover);
      entries = d.entries;
      root = d.root;
    } else entries = input;
    const featuresDir = opts.featuresDir ?? path.join(out, 'features');
    await extractFeatures(entries, {
      ...(opts.preset !== undefined ? { preset: opts.preset } : {}),
      ...(opts.options !== undefined ? { options: opts.options } : {}),
      ...(opts.windowing !== undefined ? { windowing: opts.windowing } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
      ...(opts.extract !== undefined ? { extract: opts.extract } : {}),
      ...(opts.resolved !== undefined ? { resolved: opts.resolved } : {}),
      ...(root !== undefined ? { root } : {}),
      outDir: featuresDir,
    });
    store = FeatureStore.open(featuresDir);
    opened = true;
  }
  try {
    const analysis = computeAnalysis(store);
    const images = drawAnalysis(analysis, out);
    const json = path.join(out, 'analysis.json');
    writeFileAtomic(json, JSON.stringify(analysis, null, 1) + '\n');
    return { json, images, analysis };
  } finally {
    if (opened) store.close();
  }
}

/** Streams the store file by file and accumulates per-class sums (no more than one file's rows in memory). */
export function computeAnalysis(store: FeatureStore): Analysis {
  const [bins, frames] = store.shape;
  const size = bins * frames;
  const acc = {
    real: { n: 0, rows: 0, map: new Float64Array(size), band: new Float64Array(bins), bandSq: new Float64Array(bins) },
    fake: { n: 0, rows: 0, map: new Float64Array(size), band: new Float64Array(bins), bandSq: new Float64Array(bins) },
  };
  const bySource = new Map<string, { real: { n: number; band: Float64Array; bandSq: Float64Array }; fake: { n: number; band: Float64Array; bandSq: Float64Array } }>();
  let unlabelled = 0;
  const fileMap = new Float64Array(size);
  const fileBand = new Float64Array(bins);
  let buf = new Float32Array(0);

  store.files.forEach((file, f) => {
    if (file.label === null) {
      unlabelled++;
      return;
    }
    const start = store.fileStart[f]!;
    const n = store.fileStart[f + 1]! - start;
    if (n === 0) return;
    if (buf.length < n * size) buf = new Float32Array(n * size);
    const rows = Int32Array.from({ length: n }, (_, k) => start + k);
    const x = store.readRows(rows, buf.subarray(0, n * size));
    fileMap.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * size;
      for (let i = 0; i < size; i++) fileMap[i]! += x[o + i]!;
    }
    for (let i = 0; i < size; i++) fileMap[i]! /= n;
    for (let b = 0; b < bins; b++) {
      let s = 0;
      for (let t = 0; t < frames; t++) s += fileMap[b * frames + t]!;
      fileBand[b] = s / frames;
    }
    const a = acc[file.label];
    a.n++;
    a.rows += n;
    for (let i = 0; i < size; i++) a.map[i]! += fileMap[i]!;
    const srcKey = file.source ?? '(none)';
    let src = bySource.get(srcKey);
    if (!src) {
      src = { real: { n: 0, band: new Float64Array(bins), bandSq: new Float64Array(bins) }, fake: { n: 0, band: new Float64Array(bins), bandSq: new Float64Array(bins) } };
      bySource.set(srcKey, src);
    }
    const s = src[file.label];
    s.n++;
    for (let b = 0; b < bins; b++) {
      const v = fileBand[b]!;
      a.band[b]! += v;
      a.bandSq[b]! += v * v;
      s.band[b]! += v;
      s.bandSq[b]! += v * v;
    }
  });

  if (acc.real.n === 0 || acc.fake.n === 0) {
    throw new CorpusError('E_NO_LABELS', `difference analysis needs real and fake files (store has ${acc.real.n} real, ${acc.fake.n} fake)`, { path: store.dir });
  }

  const idx = store.index;
  const bandsHz = binFrequencies(idx.features);
  const summaries = (a: { n: number; band: Float64Array; bandSq: Float64Array }) => Array.from({ length: bins }, (_, b) => summarize(a.n, a.band[b]!, a.bandSq[b]!));
  const real = summaries(acc.real);
  const fake = summaries(acc.fake);
  const diffs: Difference[] = real.map((r, b) => welch(r, fake[b]!));
  const bandStats = (s: Summary[], n: number): BandStats => ({ n, mean: s.map((x) => x.mean), std: s.map((x) => x.std), ciLow: s.map((x) => x.ciLow), ciHigh: s.map((x) => x.ciHigh) });

  const meanMap = (a: { n: number; map: Float64Array }) => Float64Array.from(a.map, (v) => v / a.n);
  const realMap = meanMap(acc.real);
  const fakeMap = meanMap(acc.fake);
  const diffMap = Float64Array.from(fakeMap, (v, i) => v - realMap[i]!);
  const toRows = (m: Float64Array) => Array.from({ length: bins }, (_, b) => Array.from(m.subarray(b * frames, (b + 1) * frames), (v) => Math.round(v * 1000) / 1000));

  const hop = idx.features.hopLength / idx.features.sr;
  const largest = diffs
    .map((d, b) => ({ band: b, hz: bandsHz[b]!, difference: d.mean, ciLow: d.ciLow, ciHigh: d.ciHigh, t: d.t }))
    .filter((d) => Number.isFinite(d.t))
    .sort((p, q) => Math.abs(q.t) - Math.abs(p.t))
    .slice(0, 10);

  const bySourceOut: Analysis['bySource'] = {};
  for (const [name, s] of [...bySource.entries()].sort((p, q) => (p[0] < q[0] ? -1 : 1))) {
    const difference = s.real.n > 0 && s.fake.n > 0 ? Array.from({ length: bins }, (_, b) => s.fake.band[b]! / s.fake.n - s.real.band[b]! / s.real.n) : null;
    bySourceOut[name] = { real: s.real.n, fake: s.fake.n, difference };
  }

  return {
    format: 'melguard-analysis/1',
    store: store.dir,
    presetName: idx.presetName,
    features: idx.features,
    windowing: idx.windowing,
    shape: [bins, frames],
    unit: 'file',
    files: { real: acc.real.n, fake: acc.fake.n, unlabelled },
    rows: { real: acc.real.rows, fake: acc.fake.rows },
    bandsHz,
    framesSeconds: Array.from({ length: frames }, (_, t) => t * hop),
    perBand: {
      real: bandStats(real, acc.real.n),
      fake: bandStats(fake, acc.fake.n),
      difference: {
        mean: diffs.map((d) => d.mean),
        se: diffs.map((d) => d.se),
        df: diffs.map((d) => d.df),
        t: diffs.map((d) => d.t),
        ciLow: diffs.map((d) => d.ciLow),
        ciHigh: diffs.map((d) => d.ciHigh),
      },
    },
    largestDifferences: largest,
    bySource: bySourceOut,
    maps: { real: toRows(realMap), fake: toRows(fakeMap), difference: toRows(diffMap) },
  };
}

interface PlotApi {
  heatmapPng(o: {
    data: Float64Array;
    rows: number;
    cols: number;
    title?: string;
    x: { label: string; min: number; max: number };
    y: { label: string; ticks?: { value: number; label: string }[] };
    colorbar: { label: string };
    colormap?: 'viridis' | 'magma' | 'diverging';
    vmin?: number;
    vmax?: number;
  }): Buffer;
  linePlotPng(o: {
    title?: string;
    x: { label: string; log?: boolean; min?: number; max?: number };
    y: { label: string; min?: number; max?: number };
    series: { label: string; x: number[]; y: number[]; lo?: number[]; hi?: number[]; dashed?: boolean; color?: string; markers?: boolean }[];
  }): Buffer;
}

function scaleLabel(f: SpectrogramOptions): string {
  if (f.scale === 'db') return f.ref === 'max' ? 'dB (re window max)' : 'dB';
  return f.scale === 'log' ? 'log power' : 'power';
}

function drawAnalysis(a: Analysis, out: string): AnalysisResult['images'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plot = require('@melguard/plot') as PlotApi;
  const [bins, frames] = a.shape;
  const unit = scaleLabel(a.features);
  const hop = a.features.hopLength / a.features.sr;
  // Columns are frames: frame t covers [t*hop - hop/2, t*hop + hop/2] when centred.
  const x = { label: 'Time within window (s)', min: a.features.center ? -hop / 2 : 0, max: (frames - (a.features.center ? 0.5 : 0)) * hop };
  const yLabel = a.features.nMels > 0 ? 'Mel band centre frequency (Hz)' : 'Frequency (Hz)';
  const ticks = frequencyTicks(a.bandsHz);
  const flat = (m: number[][]) => Float64Array.from(m.flat());
  const realData = flat(a.maps.real);
  const fakeData = flat(a.maps.fake);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...realData, ...fakeData]) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const images = {
    realMean: path.join(out, 'mean-real.png'),
    fakeMean: path.join(out, 'mean-fake.png'),
    difference: path.join(out, 'mean-difference.png'),
    bandDifference: path.join(out, 'band-difference.png'),
    bandMeans: path.join(out, 'band-means.png'),
    bySource: null as string | null,
  };
  const heat = (data: Float64Array, title: string, colorbar: string, colormap: 'magma' | 'diverging', vmin: number, vmax: number) =>
    plot.heatmapPng({ data, rows: bins, cols: frames, title, x, y: { label: yLabel, ticks }, colorbar: { label: colorbar }, colormap, vmin, vmax });
  writeFileAtomic(images.realMean, heat(realData, `Mean spectrogram of REAL clips (${files(a.files.real)})`, unit, 'magma', lo, hi));
  writeFileAtomic(images.fakeMean, heat(fakeData, `Mean spectrogram of FAKE clips (${files(a.files.fake)})`, unit, 'magma', lo, hi));
  const diffData = flat(a.maps.difference);
  const m = Math.max(1e-6, percentileAbs(diffData, 0.995));
  writeFileAtomic(images.difference, heat(diffData, 'FAKE minus REAL: mean difference (red = louder in fakes)', `difference (${unit.replace(/ \(.*\)/, '')})`, 'diverging', -m, m));

  const bandX = a.bandsHz;
  const logX = a.features.nMels > 0 && bandX[0]! > 0;
  const xAxis = { label: 'Band centre frequency (Hz)', log: logX };
  const d = a.perBand.difference;
  writeFileAtomic(
    images.bandDifference,
    plot.linePlotPng({
      title: `FAKE - REAL per band, 95 % CI over files (${a.files.fake} fake, ${a.files.real} real)`,
      x: xAxis,
      y: { label: `FAKE - REAL (${unit.replace(/ \(.*\)/, '')})` },
      series: [
        { label: 'FAKE - REAL', x: bandX, y: d.mean, lo: finiteOr(d.ciLow, d.mean), hi: finiteOr(d.ciHigh, d.mean) },
        { label: 'no difference', x: [bandX[0]!, bandX[bandX.length - 1]!], y: [0, 0], dashed: true, color: '#7f7f7f', markers: false },
      ],
    }),
  );
  const r = a.perBand.real;
  const f = a.perBand.fake;
  writeFileAtomic(
    images.bandMeans,
    plot.linePlotPng({
      title: 'Per-band mean level with 95 % CI',
      x: xAxis,
      y: { label: unit },
      series: [
        { label: `REAL (${files(r.n)})`, x: bandX, y: r.mean, lo: finiteOr(r.ciLow, r.mean), hi: finiteOr(r.ciHigh, r.mean), color: '#1f77b4' },
        { label: `FAKE (${files(f.n)})`, x: bandX, y: f.mean, lo: finiteOr(f.ciLow, f.mean), hi: finiteOr(f.ciHigh, f.mean), color: '#d62728' },
      ],
    }),
  );
  const sources = Object.entries(a.bySource).filter(([, s]) => s.difference !== null);
  if (sources.length > 0) {
    images.bySource = path.join(out, 'band-difference-by-source.png');
    writeFileAtomic(
      images.bySource,
      plot.linePlotPng({
        title: 'FAKE - REAL per band within each source (fake/real files)',
        x: xAxis,
        y: { label: `FAKE - REAL (${unit.replace(/ \(.*\)/, '')})` },
        series: [
          ...sources.map(([name, s]) => ({ label: `${name} ${s.fake}/${s.real}`, x: bandX, y: s.difference!, markers: false })),
          { label: 'all sources', x: bandX, y: d.mean, dashed: true, color: '#000000', markers: false },
        ],
      }),
    );
  }
  return images;
}

/** Round frequencies (125 Hz, 250 Hz, 500 Hz, 1k, 2k, …) placed at their fractional band position. */
function frequencyTicks(freqs: number[]): { value: number; label: string }[] {
  const candidates = [0, 125, 250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 12000, 16000, 20000];
  const ticks: { value: number; label: string }[] = [];
  for (const hz of candidates) {
    const pos = binPosition(freqs, hz);
    if (pos === null) continue;
    // Skip ticks closer than ~4 % of the axis to the previous one (labels would overlap).
    if (ticks.length > 0 && pos - ticks[ticks.length - 1]!.value < freqs.length * 0.04) continue;
    ticks.push({ value: pos, label: formatHz(hz) });
  }
  return ticks;
}

function percentileAbs(data: Float64Array, q: number): number {
  const abs = Float64Array.from(data, Math.abs).sort();
  return abs[Math.min(abs.length - 1, Math.floor(q * abs.length))] ?? 0;
}

function finiteOr(values: number[], fallback: number[]): number[] {
  return values.map((v, i) => (Number.isFinite(v) ? v : fallback[i]!));
}
