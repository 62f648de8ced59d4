// melguard detect <file>: the verdict for one clip, with every window's score.
import type { Command } from 'commander';
import { aggregate, choice, int, num } from '../lib/args';
import { infer, modelPath, type Detection } from '../lib/ports';

interface DetectCliOptions {
  model?: string;
  json?: boolean;
  aggregate?: string;
  provider?: string;
  threads?: number;
  threshold?: number;
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('is this clip fake? prints the verdict and per-window scores')
    .argument('<file>', 'audio file (wav, flac, ogg, opus, mp3, ...)')
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--json', 'print the result as JSON')
    .option('--aggregate <mode>', 'window scores -> clip score: mean (default), max or topk:K', aggregate)
    .option('--threshold <p>', "decision threshold in [0, 1] (default: the model's)", num(0, 1))
    .option('--provider <name>', 'ONNX Runtime execution provider: cpu, cuda or auto', choice(['cpu', 'cuda', 'auto'] as const))
    .option('--threads <n>', 'ONNX Runtime threads', int(1, 1024))
    .action(async (file: string, opts: DetectCliOptions) => {
      const detector = await infer().Detector.load(modelPath(opts.model), {
        ...(opts.provider ? { executionProvider: opts.provider } : {}),
        ...(opts.threads ? { threads: opts.threads } : {}),
      });
      try {
        const r = await detector.detectFile(file, {
          ...(opts.aggregate ? { aggregate: opts.aggregate } : {}),
          ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
        });
        if (opts.json) {
          const { timing: _timing, ...result } = r;
          process.stdout.write(`${JSON.stringify({ path: file, ...result }, null, 2)}\n`);
        } else {
          process.stdout.write(formatDetection(file, r, opts.aggregate ?? 'mean'));
        }
      } finally {
        await detector.dispose();
      }
    });
}

export function formatDetection(file: string, r: Detection, aggregateName: string): string {
  const lines = [
    `${file}: ${r.label.toUpperCase()}  score ${r.score.toFixed(3)} (${aggregateName} of ${r.windows.length} window${r.windows.length === 1 ? '' : 's'}; fake when >= ${r.threshold.toFixed(3)})`,
    `duration ${r.duration.toFixed(2)} s, model ${r.model.name} ${r.model.version}`,
    '',
    '  window   start s    end s   score',
  ];
  r.windows.forEach((w, i) => {
    const bar = '#'.repeat(Math.round(w.score * 20)).padEnd(20, '.');
    const flag = w.score >= r.threshold ? ' fake' : '';
    lines.push(`${String(i + 1).padStart(8)} ${w.start.toFixed(2).padStart(9)} ${w.end.toFixed(2).padStart(8)}   ${w.score.toFixed(3)} ${bar}${flag}`);
  });
  return `${lines.join('\n')}\n`;
}
