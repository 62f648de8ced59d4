// melguard evaluate <labelled corpus>: accuracy, balanced accuracy, EER, ROC AUC, confusion matrix and
// per-source / per-method tables; writes report.json and roc.png.
import path from 'node:path';
import type { Command } from 'commander';
import { aggregate, choice, int, num } from '../lib/args';
import { writeFileAtomic } from '../lib/atomic';
import { selectLabelled } from '../lib/corpus-select';
import { infer, metrics, modelPath, plot, type CorpusEntry, type MetricsSummary } from '../lib/ports';
import { ProgressBar } from '../lib/progress';

interface EvaluateOptions {
  model?: string;
  out?: string;
  json?: boolean;
  split?: string;
  subset?: 'train' | 'val' | 'all';
  threshold?: number;
  aggregate?: string;
  provider?: string;
  threads?: number;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score a labelled corpus: accuracy, balanced accuracy, EER, ROC AUC, confusion, per source/method; ROC PNG + report.json')
    .argument('<corpus>', 'labelled corpus (REAL/FAKE folders, manifest.tsv/csv or ASVspoof protocol)')
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--out <dir>', 'write report.json and roc.png here')
    .option('--json', 'print the report as JSON')
    .option('--split <file>', 'split file from `melguard split`: evaluate one side of it')
    .option('--subset <side>', 'with --split: val (default), train or all', choice(['train', 'val', 'all'] as const))
    .option('--threshold <p>', "decision threshold for accuracy/confusion (default: the model's)", num(0, 1))
    .option('--aggregate <mode>', 'window scores -> clip score: mean, max or topk:K', aggregate)
    .option('--provider <name>', 'ONNX Runtime execution provider: cpu, cuda or auto', choice(['cpu', 'cuda', 'auto'] as const))
    .option('--threads <n>', 'ONNX Runtime threads', int(1, 1024))
    .action(async (target: string, opts: EvaluateOptions) => {
      const report = await evaluate(target, opts);
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(formatReport(report));
    });
}

export interface EvaluationReport {
  corpus: string;
  selection: string;
  model: { name: string; version: string; file: string };
  aggregate: string;
  clips: number;
  failures: { path: string; code: string; message: string }[];
  metrics: MetricsSummary;
  roc?: { fpr: number[]; tpr: number[] };
  files?: { rocPng: string; report: string };
}

export async function evaluate(target: string, opts: EvaluateOptions): Promise<EvaluationReport> {
  const sel = selectLabelled(target, { split: opts.split, subset: opts.subset });
  const detector = await infer().Detector.load(modelPath(opts.model), {
    ...(opts.provider ? { executionProvider: opts.provider } : {}),
    ...(opts.threads ? { threads: opts.threads } : {}),
  });
  const scores: number[] = [];
  const labels: number[] = [];
  const kept: CorpusEntry[] = [];
  const failures: EvaluationReport['failures'] = [];
  const progress = new ProgressBar({ total: sel.entries.length, label: 'evaluate' });
  const byPath = new Map(sel.entries.map((e) => [e.path, e]));
  try {
    for await (const r of detector.detectFilesIter(
      sel.entries.map((e) => e.path),
      opts.aggregate ? { aggregate: opts.aggregate } : {},
    )) {
      const entry = byPath.get(r.path)!;
      if ('error' in r) {
        failures.push({ path: r.path, code: r.error.code, message: r.error.message });
        progress.tick(1, 0);
        continue;
      }
      scores.push(r.score);
      labels.push(entry.label === 'fake' ? 1 : 0);
      kept.push(entry);
      progress.tick(1, r.duration);
    }
  } finally {
    progress.finish();
  }
  const threshold = opts.threshold ?? detector.threshold;
  const model = { ...detector.model, file: modelPath(opts.model) ?? infer().DEFAULT_MODEL_PATH };
  await detector.dispose();

  const m = metrics();
  const summary = m.summarise(scores, labels, {
    threshold,
    groups: { source: kept.map((e) => e.source ?? null) },
    methods: kept.map((e) => (e.label === 'fake' ? (e.method ?? null) : null)),
  });
  const bothClasses = summary.real > 0 && summary.fake > 0;
  const curve = bothClasses ? m.rocCurve(scores, labels) : undefined;
  const report: EvaluationReport = {
    corpus: target,
    selection: sel.description,
    model,
    aggregate: opts.aggregate ?? 'mean',
    clips: sel.entries.length,
    failures,
    metrics: summary,
    ...(curve ? { roc: thin(curve) } : {}),
  };
  if (opts.out) {
    const rocPng = path.join(opts.out, 'roc.png');
    const reportFile = path.join(opts.out, 'report.json');
    report.files = { rocPng, report: reportFile };
    if (curve) {
      const title = `ROC — ${model.name} ${model.version}: AUC ${summary.auc!.toFixed(4)}, EER ${(100 * summary.eer!).toFixed(2)} % (${summary.n} clips)`;
      const png = plot().linePlotPng({
        title,
        x: { label: 'false positive rate (real called fake)', min: 0, max: 1 },
        y: { label: 'true positive rate (fake called fake)', min: 0, max: 1 },
        series: [
          { label: `ROC (AUC ${summary.auc!.toFixed(3)})`, x: curve.fpr, y: curve.tpr },
          { label: 'chance', x: [0, 1], y: [0, 1], dashed: true },
        ],
      });
      writeFileAtomic(rocPng, png);
    }
    writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  }
  return report;
}

/** At most ~500 ROC points in the JSON (the curve keeps its corners; the PNG uses every point). */
function thin(c: { fpr: number[]; tpr: number[] }): { fpr: number[]; tpr: number[] } {
  const step = Math.max(1, Math.ceil(c.fpr.length / 500));
  const idx = c.fpr.map((_, i) => i).filter((i) => i % step === 0 || i === c.fpr.length - 1);
  return { fpr: idx.map((i) => c.fpr[i]), tpr: idx.map((i) => c.tpr[i]) };
}

const pct = (v: number | undefined) => (v === undefined ? '   -  ' : `${(100 * v).toFixed(2).padStart(6)}`);

export function formatReport(r: EvaluationReport): string {
  const s = r.metrics;
  const c = s.confusion;
  const lines = [
    `model ${r.model.name} ${r.model.version} on ${r.selection}`,
    `${s.n} clips scored (${s.real} real, ${s.fake} fake)${r.failures.length ? `, ${r.failures.length} could not be read` : ''}; aggregate ${r.aggregate}`,
    '',
    `accuracy           ${pct(s.accuracy)} %   (threshold ${s.threshold.toFixed(3)}, ${s.thresholdSource === 'given' ? "the model's" : 'at EER'})`,
    `balanced accuracy  ${pct(s.balancedAccuracy)} %`,
    `EER                ${pct(s.eer)} %${s.eerThreshold !== undefined ? `   (threshold ${s.eerThreshold.toFixed(3)})` : ''}`,
    `ROC AUC            ${s.auc === undefined ? '  -' : s.auc.toFixed(4).padStart(7)}`,
    '',
    'confusion           predicted real  predicted fake',
    `  true real         ${String(c.tn).padStart(14)}  ${String(c.fp).padStart(14)}`,
    `  true fake         ${String(c.fn).padStart(14)}  ${String(c.tp).padStart(14)}`,
  ];
  const sources = s.groups?.source;
  if (sources && Object.keys(sources).length > 0) {
    lines.push('', 'per source                         n   real   fake  accuracy %   EER %    AUC');
    for (const [name, g] of Object.entries(sources)) {
      lines.push(`  ${name.slice(0, 30).padEnd(30)} ${String(g.n).padStart(5)} ${String(g.real).padStart(6)} ${String(g.fake).padStart(6)}  ${pct(g.accuracy).padStart(10)}  ${pct(g.eer)}  ${g.auc === undefined ? '   -' : g.auc.toFixed(3)}`);
    }
  }
  if (s.attacks && Object.keys(s.attacks).length > 0) {
    lines.push('', 'per method (fakes vs all reals)    n  detected %   EER %');
    for (const [name, a] of Object.entries(s.attacks)) {
      lines.push(`  ${name.slice(0, 30).padEnd(30)} ${String(a.n).padStart(5)}  ${pct(a.detectionRate).padStart(10)}  ${pct(a.eer)}`);
    }
  }
  if (r.failures.length) {
    lines.push('', `unreadable clips (${r.failures.length}):`);
    for (const f of r.failures.slice(0, 10)) lines.push(`  [${f.code}] ${f.path}`);
    if (r.failures.length > 10) lines.push(`  ... and ${r.failures.length - 10} more (see report.json)`);
  }
  if (r.files) lines.push('', `wrote ${r.files.report}${r.roc ? ` and ${r.files.rocPng}` : ''}`);
  return `${lines.join('\n')}\n`;
}
