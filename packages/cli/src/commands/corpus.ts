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
    ...(o.layout !== undefined ? { layout: o.layout } : {}),
    ...(o.audioDir !== undefined ? { audioDir: o.audioDir } : {}),
    ...(o.allowMissing ? { allowMissing: true } : {}),
  };
}

function progressReporter(label: string): { bar: ProgressBar | null; onProgress: (p: ExtractProgress) => void; done(): void } {
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

export function registerCorpusCommands(program: Command): void {
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
