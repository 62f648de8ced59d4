// melguard features / analyze: thin flag parsing over @melguard/corpus's command functions.
import type { Command } from 'commander';
import { choice, int, num } from '../lib/args';
import { CliError, EXIT } from '../lib/errors';
import { corpus, need } from '../lib/ports';
import { ProgressBar } from '../lib/progress';
import { addFeatureOptions, featureInput, type SpectrogramCliOptions } from './spectrogram';

interface ExtractProgress {
  files: number;
  total: number;
  extracted: number;
  reused: number;
  failed: number;
  elapsedSeconds: number;
}

interface WindowFlags {
  windowSeconds?: number;
  hopSeconds?: number;
  firstOnly?: boolean;
  maxWindows?: number;
  minSeconds?: number;
  threads?: number;
  layout?: string;
  audioDir?: string;
  allowMissing?: boolean;
}

function addCorpusOptions(cmd: Command): Command {
  return cmd
    .option('--layout <layout>', 'corpus layout: auto, label-folders, asvspoof, manifest or unlabelled', choice(['auto', 'label-folders', 'asvspoof', 'manifest', 'unlabelled'] as const))
    .option('--audio-dir <dir>', 'ASVspoof: folder holding the FLAC files')
    .option('--allow-missing', 'skip manifest/protocol rows whose file is missing');
}

function addWindowOptions(cmd: Command): Command {
  return cmd
    .option('--window-seconds <s>', 'window length (default: the preset’s)', num(0, 3600, { exclusiveMin: true }))
    .option('--hop-seconds <s>', 'hop between windows (default: the window length)', num(0, 3600, { exclusiveMin: true }))
    .option('--first-only', 'only the first window of each clip (the seed project’s first 3 s)')
    .option('--max-windows <n>', 'at most this many windows per clip', int(1))
    .option('--min-seconds <s>', 'clips shorter than this are skipped (E_TOO_SHORT); shorter than a window are zero-padded', num(0))
    .option('--threads <n>', 'native threads (default: all cores)', int(1, 1024));
}

function windowing(o: WindowFlags): Record<string, unknown> | undefined {
  if (o.windowSeconds === undefined && o.hopSeconds === undefined && !o.firstOnly && o.maxWindows === undefined && o.minSeconds === undefined) return undefined;
  return {
    ...(o.windowSeconds !== undefined ? { windowSeconds: o.windowSeconds } : {}),
    ...(o.hopSeconds !== undefined ? { hopSeconds: o.hopSeconds } : {}),
    ...(o.firstOnly ? { firstOnly: true } : {}),
    ...(o.maxWindows !== undefined ? { maxWindows: o.maxWindows } : {}),
    ...(o.minSeconds !== undefined ? { minSeconds: o.minSeconds } : {}),
  };
}

/** Preset and explicit librosa options, as the corpus package takes them. */
function featureArgs(o: Partial<SpectrogramCliOptions> & WindowFlags): Record<string, unknown> {
  const { preset, ...options } = featureInput(o);
  const w = windowing(o);
  return {
    ...(preset !== undefined ? { preset } : {}),
    ...(Object.keys(options).length ? { options } : {}),
    ...(w ? { windowing: w } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    ...corpusArgs(o),
  };
}

/** The --layout, --audio-dir and --allow-missing flags, as the corpus package takes them. */
function corpusArgs(o: { layout?: string; audioDir?: string; allowMissing?: boolean }): Record<string, unknown> {
  return {
    ...(o.layout !== undefined ? { layout: o.layout } : {}),
    ...(o.audioDir !== undefined ? { audioDir: o.audioDir } : {}),
    ...(o.allowMissing ? { allowMissing: true } : {}),
  };
}

function progressReporter(label: string): { bar: ProgressBar | null; onProgress: (p: Pick<ExtractProgress, 'files' | 'total' | 'failed' | 'reused'>) => void; done(): void } {
  let bar: ProgressBar | null = null;
  let last = 0;
  return {
    get bar() {
      return bar;
    },
    onProgress: (p) => {
      bar ??= new ProgressBar({ total: p.total, label });
      bar.tick(p.files - last, 0, `${p.failed} failed${p.reused ? `, ${p.reused} reused` : ''}`);
      last = p.files;
    },
    done: () => bar?.finish(),
  };
}

interface CopySynthCliOptions {
  out: string;
  split: string[];
  sr: number;
  nFft?: number;
  hopLength?: number;
  nMels?: number;
  nIter?: number;
  seed: number;
  concurrency?: number;
  layout?: string;
  audioDir?: string;
  allowMissing?: boolean;
}

function registerCopySynth(program: Command): void {
  const cmd = program
    .command('copy-synth')
    .description('pseudo-fakes for training: resynthesise real clips through a mel bottleneck and Griffin-Lim, so a fake shares its real\u2019s channel; writes a combined corpus (links, FLACs, manifest.tsv) and splits extended on the train side')
    .argument('<corpus>', 'corpus folder, manifest file or ASVspoof protocol')
    .requiredOption('--out <dir>', 'output folder (outside the corpus): train on <dir>/manifest.tsv')
    .option('--split <file>', 'only the train-side reals of this split; writes <dir>/splits/<name> with them added (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--sr <hz>', 'sample rate of decoding and output', int(1000, 768000), 16000)
    .option('--n-fft <n>', 'FFT size (default 1024)', int(16, 65536))
    .option('--hop-length <n>', 'hop in samples (default n-fft / 4)', int(1))
    .option('--n-mels <n>', 'mel bands of the bottleneck, 0 = none (default 80)', int(0))
    .option('--n-iter <n>', 'Griffin-Lim iterations (default 32)', int(0, 1000))
    .option('--seed <n>', 'seed of the random initial phases', int(0), 0)
    .option('--concurrency <n>', 'files in flight (default 2)', int(1, 64));
  addCorpusOptions(cmd).action(async (target: string, o: CopySynthCliOptions) => {
    const run = need<(a: Record<string, unknown>) => Promise<{ out: string; manifest: string; reals: number; written: number; reused: number; failures: { id: string; code: string; message: string }[]; splits: { to: string; added: number }[]; elapsedSeconds: number }>>(corpus(), 'copySynthesisCommand', '@melguard/corpus');
    const progress = progressReporter('copy-synth');
    const options = {
      seed: o.seed,
      ...(o.nFft !== undefined ? { nFft: o.nFft } : {}),
      ...(o.hopLength !== undefined ? { hopLength: o.hopLength } : {}),
      ...(o.nMels !== undefined ? { nMels: o.nMels } : {}),
      ...(o.nIter !== undefined ? { nIter: o.nIter } : {}),
    };
    let r;
    try {
      r = await run({
        corpus: target, out: o.out, splits: o.split, sr: o.sr, options,
        ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
        ...corpusArgs(o),
        onProgress: progress.onProgress,
      });
    } finally {
      progress.done();
    }
    for (const f of r.failures.slice(0, 10)) process.stderr.write(`  failed ${f.id}: ${f.code} ${f.message}\n`);
    process.stderr.write(
      `${r.out}: ${r.written} pseudo-fakes written, ${r.reused} reused, ${r.failures.length} failed (of ${r.reals} reals) in ${r.elapsedSeconds.toFixed(1)} s\n` +
        `  manifest ${r.manifest}\n` + r.splits.map((s) => `  split ${s.to} (+${s.added} on the train side)\n`).join(''),
    );
  });
}

export function registerCorpusCommands(program: Command): void {
  registerCopySynth(program);
  const features = program
    .command('features')
    .description('extract every window’s spectrogram of a corpus into a feature store (resumable, parallel, atomic)')
    .argument('<corpus>', 'corpus folder, manifest file or ASVspoof protocol')
    .requiredOption('--out <dir>', 'feature store folder');
  addCorpusOptions(addWindowOptions(addFeatureOptions(features)))
    .option('--png', 'also write seed-style spectrogram PNGs (out/png/)')
    .option('--retry-failures', 'retry files that failed in an earlier run')
    .action(async (target: string, o: Partial<SpectrogramCliOptions> & WindowFlags & { out: string; png?: boolean; retryFailures?: boolean }) => {
      const run = need<(a: Record<string, unknown>) => Promise<Record<string, unknown>>>(corpus(), 'featuresCommand', '@melguard/corpus');
      const ac = new AbortController();
      const onSignal = () => ac.abort();
      process.once('SIGINT', onSignal);
      const progress = progressReporter('features');
      let r: { extracted: number; reused: number; failed: number; elapsedSeconds: number; xRealtime: number; filesPerSec: number; dir: string };
      try {
        r = (await run({ corpus: target, out: o.out, ...featureArgs(o), png: Boolean(o.png), retryFailures: Boolean(o.retryFailures), onProgress: progress.onProgress, signal: ac.signal })) as typeof r;
      } catch (err) {
        if ((err as { code?: string }).code === 'E_ABORTED') throw new CliError('E_ABORTED', 'interrupted: completed files are kept; rerun the same command to continue', EXIT.interrupted);
        throw err;
      } finally {
        progress.done();
        process.off('SIGINT', onSignal);
      }
      process.stderr.write(
        `${r.dir}: ${r.extracted} files extracted, ${r.reused} reused, ${r.failed} failed in ${r.elapsedSeconds.toFixed(1)} s (${r.filesPerSec.toFixed(1)} files/s, ${r.xRealtime.toFixed(0)}x realtime)\n`,
      );
    });

  const analyze = program
    .command('analyze')
    .description('difference analysis: mean log-mel of REAL and FAKE, their difference, per-band differences (PNGs + JSON)')
    .argument('<input>', 'labelled corpus, or a feature store folder')
    .requiredOption('--out <dir>', 'folder for the PNGs and analysis.json');
  addCorpusOptions(addWindowOptions(addFeatureOptions(analyze))).action(async (input: string, o: Partial<SpectrogramCliOptions> & WindowFlags & { out: string }) => {
    const run = need<(a: Record<string, unknown>) => Promise<{ json: string; images: Record<string, string | null> }>>(corpus(), 'analyzeCommand', '@melguard/corpus');
    const progress = progressReporter('analyze');
    let r;
    try {
      r = await run({ input, out: o.out, ...featureArgs(o), onProgress: progress.onProgress });
    } finally {
      progress.done();
    }
    const images = Object.values(r.images).filter((v): v is string => typeof v === 'string');
    process.stderr.write(`wrote ${r.json}\n${images.map((i) => `wrote ${i}`).join('\n')}\n`);
  });
}
