// melguard split <corpus|store>: a leak-free train/validation split (grouped, leave-methods-out or
// leave-sources-out), seeded, as JSON.
import type { Command } from 'commander';
import { choice, int, num } from '../lib/args';
import { usageError } from '../lib/errors';
import { corpus, need, type SplitFile } from '../lib/ports';

interface SplitCliOptions {
  policy: 'grouped' | 'leave-methods-out' | 'leave-sources-out';
  seed: number;
  out: string;
  valFraction?: number;
  holdOut?: string;
  layout?: string;
  audioDir?: string;
  allowMissing?: boolean;
}

interface SideCounts {
  files: number;
  real: number;
  fake: number;
  groups: number;
}

export function registerSplit(program: Command): void {
  program
    .command('split')
    .description('write a leak-free train/validation split: no file, speaker or recording (or held-out method or source) on both sides')
    .argument('<corpus>', 'labelled corpus, or a feature store folder (adds identical-content grouping)')
    .option('--policy <policy>', 'grouped, leave-methods-out or leave-sources-out', choice(['grouped', 'leave-methods-out', 'leave-sources-out'] as const), 'grouped')
    .option('--seed <n>', 'random seed', int(0), 0)
    .option('--val-fraction <f>', 'share of files in validation (default 0.2)', num(0, 1, { exclusiveMin: true }))
    .option('--hold-out <names>', 'comma-separated methods (leave-methods-out) or sources (leave-sources-out) to hold out (default: a seeded choice)')
    .option('--layout <layout>', 'corpus layout: auto, label-folders, asvspoof, manifest or unlabelled', choice(['auto', 'label-folders', 'asvspoof', 'manifest', 'unlabelled'] as const))
    .option('--audio-dir <dir>', 'ASVspoof: folder holding the FLAC files')
    .option('--allow-missing', 'skip manifest/protocol rows whose file is missing')
    .requiredOption('--out <file>', 'split file to write (JSON)')
    .action((input: string, o: SplitCliOptions) => {
      if (o.holdOut !== undefined && o.policy === 'grouped') throw usageError('--hold-out needs --policy leave-methods-out or leave-sources-out');
      const run = need<(a: Record<string, unknown>) => SplitFile>(corpus(), 'splitCommand', '@melguard/corpus');
      const split = run({
        input,
        out: o.out,
        policy: o.policy,
        seed: o.seed,
        ...(o.valFraction !== undefined ? { valFraction: o.valFraction } : {}),
        ...(o.holdOut ? { [o.policy === 'leave-sources-out' ? 'holdOutSources' : 'holdOutMethods']: o.holdOut.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        ...(o.layout ? { layout: o.layout } : {}),
        ...(o.audioDir ? { audioDir: o.audioDir } : {}),
        ...(o.allowMissing ? { allowMissing: true } : {}),
      });
      const counts = split.counts as { train: SideCounts; val: SideCounts };
      const side = (s: SideCounts) => `${s.files} files (${s.real} real, ${s.fake} fake, ${s.groups} groups)`;
      process.stderr.write(
        `${o.out}: ${o.policy} split, seed ${o.seed}\n  train ${side(counts.train)}\n  val   ${side(counts.val)}\n` +
          (split.heldOutMethods.length ? `  held-out methods: ${split.heldOutMethods.join(', ')}\n` : '') +
          (split.heldOutSources?.length ? `  held-out sources: ${split.heldOutSources.join(', ')}\n` : ''),
      );
    });
}
