// melguard scan <paths...>: every audio file under the paths -> one JSONL/CSV record each.
// Resumable (path + size + mtime), crash-safe (whole records only), shardable (--shard i/N).
import fs from 'node:fs';
import type { Command } from 'commander';
import { aggregate, choice, int, shard, type Shard } from '../lib/args';
import { CliError, EXIT } from '../lib/errors';
import { infer, modelPath, type DetectorLoadOptions, type DetectorPort } from '../lib/ports';
import { ProgressBar, formatDuration } from '../lib/progress';
import { collectFiles, type ScanFile } from '../scan/files';
import { acquireOutputLock } from '../scan/lock';
import { loadExistingOutput, RecordWriter, rewriteOutput } from '../scan/output';
import type { OutputFormat } from '../scan/records';
import { planResume, type StatedFile } from '../scan/resume';
import { scanLoop, type ScanTotals } from '../scan/run';
import { inShard } from '../scan/shard';

export interface ScanOptions {
  model?: string;
  out?: string;
  format?: OutputFormat;
  concurrency?: number;
  shard?: Shard;
  windows?: boolean;
  aggregate?: string;
  provider?: string;
  threads?: number;
  retryErrors?: boolean;
  quiet?: boolean;
  progress?: boolean;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('detect every audio file under the given paths; one JSONL/CSV record per file (resumable, shardable)')
    .argument('<paths...>', 'audio files and/or folders (searched recursively for wav, flac, ogg, opus, mp3)')
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--out <file>', 'output file; rerunning with the same file skips files already done (default: stdout, not resumable)')
    .option('--format <format>', 'jsonl or csv (default: from --out extension, else jsonl)', choice(['jsonl', 'csv'] as const))
    .option('--concurrency <n>', 'files decoded and featurised in parallel (native threads; default: all cores)', int(1, 1024))
    .option('--shard <i/N>', 'scan only shard i of N (0-based; a stable hash of each path decides)', shard)
    .option('--windows', 'include per-window scores in each record')
    .option('--aggregate <mode>', 'window scores -> clip score: mean, max or topk:K', aggregate)
    .option('--provider <name>', 'ONNX Runtime execution provider: cpu, cuda or auto', choice(['cpu', 'cuda', 'auto'] as const))
    .option('--threads <n>', 'ONNX Runtime threads (default: all cores)', int(1, 1024))
    .option('--retry-errors', 'scan again the files whose previous record is an error')
    .option('--quiet', 'no summary on stderr')
    .option('--no-progress', 'no progress bar even on a terminal')
    .action(async (paths: string[], opts: ScanOptions) => {
      process.exitCode = await runScan(paths, opts);
    });
}

export interface ScanDeps {
  loadDetector(model: string | undefined, options: DetectorLoadOptions): Promise<DetectorPort>;
}

const defaultDeps: ScanDeps = { loadDetector: (model, options) => infer().Detector.load(model, options) };

export async function runScan(paths: string[], opts: ScanOptions, deps: ScanDeps = defaultDeps): Promise<number> {
  const format: OutputFormat = opts.format ?? (opts.out && /\.csv$/i.test(opts.out) ? 'csv' : 'jsonl');
  const started = performance.now();
  const log = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };

  const { files, unreadable } = collectFiles(paths);
  for (const u of unreadable) log(`warning [${u.code}]: cannot read folder ${u.path}`);
  const mine = inShard(files, opts.shard);
  const stated = mine.map(statFile);

  let todo: (StatedFile & ScanFile)[] = stated;
  let skipped = 0;
  let release: (() => void) | undefined;
  let writer: RecordWriter;
  if (opts.out) {
    release = acquireOutputLock(opts.out);
    try {
      const existing = loadExistingOutput(opts.out, format);
      if (existing.truncatedBytes > 0) log(`resume: dropped an incomplete last record (${existing.truncatedBytes} bytes) from ${opts.out}`);
      const plan = planResume(stated, existing.records, { invalidLines: existing.invalid, retryErrors: opts.retryErrors });
      if (plan.rewrite) {
        rewriteOutput(opts.out, format, plan.keep);
        log(`resume: removed ${plan.dropped + existing.invalid} outdated, duplicate or unreadable records from ${opts.out}`);
      }
      todo = plan.todo;
      skipped = plan.done.length;
      writer = RecordWriter.open(opts.out, format);
    } catch (err) {
      release();
      throw err;
    }
  } else {
    writer = RecordWriter.toFd(1, format);
  }

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const toStdout = !opts.out;
  const progress = new ProgressBar({ total: todo.length, label: 'scan', enabled: opts.progress !== false && !opts.quiet && Boolean(process.stderr.isTTY) && !(toStdout && process.stdout.isTTY) });
  let totals: ScanTotals | undefined;
  try {
    if (todo.length > 0) {
      const detector = await deps.loadDetector(modelPath(opts.model), {
        ...(opts.provider ? { executionProvider: opts.provider } : {}),
        ...(opts.threads ? { threads: opts.threads } : {}),
        ...(opts.concurrency ? { featureThreads: opts.concurrency, filesPerBatch: Math.max(8, 4 * opts.concurrency) } : {}),
      });
      try {
        const result = await scanLoop(detector, todo, {
          aggregate: opts.aggregate,
          withWindows: Boolean(opts.windows),
          stopped: () => interrupted,
          onRecord: (record, r) => {
            writer.write(record);
            progress.tick(1, 'error' in r ? 0 : r.duration);
          },
        });
        totals = result.totals;
      } finally {
        await detector.dispose();
      }
    }
  } finally {
    progress.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    writer.close();
    release?.();
  }

  const seconds = (performance.now() - started) / 1000;
  const t = totals;
  const done = t ? t.ok + t.failed : 0;
  log(
    `scanned ${done} files in ${formatDuration(seconds)} (${seconds.toFixed(1)} s): ${t?.ok ?? 0} ok, ${t?.failed ?? 0} failed, ${skipped} skipped as already done` +
      (opts.shard ? ` [shard ${opts.shard.index}/${opts.shard.count}: ${mine.length} of ${files.length} files]` : ''),
  );
  if (t && done > 0) {
    log(`verdicts: ${t.fake} fake, ${t.real} real; ${(t.audioSeconds / seconds).toFixed(0)}x realtime, ${(done / seconds).toFixed(1)} files/s`);
    const codes = Object.entries(t.failuresByCode).sort((a, b) => b[1] - a[1]);
    if (codes.length) log(`failures: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  }
  if (opts.out) log(`output: ${opts.out}`);
  if (interrupted) {
    log('interrupted: rerun the same command to continue');
    return EXIT.interrupted;
  }
  return EXIT.ok;
}

function statFile<F extends ScanFile>(f: F): F & StatedFile {
  try {
    const st = fs.statSync(f.abs);
    return { ...f, size: st.size, mtime: st.mtimeMs };
  } catch (err) {
    // vanished between listing and stat: the detector reports it as a failed record
    if ((err as { code?: string }).code === 'ENOENT') return { ...f, size: -1, mtime: -1 };
    throw new CliError((err as { code?: string }).code ?? 'EIO', `cannot stat ${f.path}: ${(err as Error).message}`);
  }
}
