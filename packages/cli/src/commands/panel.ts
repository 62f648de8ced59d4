// melguard panel <corpus>: the seed project's prediction panel — random clips as a grid of spectrograms,
// each titled with its true label, predicted label and score; wrong predictions framed in red.
import path from 'node:path';
import type { Command } from 'commander';
import { choice, int } from '../lib/args';
import { writeFileAtomic } from '../lib/atomic';
import { sample, selectLabelled } from '../lib/corpus-select';
import { dsp, infer, modelPath, plot, type PlotImage } from '../lib/ports';

interface PanelOptions {
  n: number;
  seed: number;
  out: string;
  model?: string;
  columns?: number;
  split?: string;
  subset?: 'train' | 'val' | 'all';
  provider?: string;
}

export function registerPanel(program: Command): void {
  program
    .command('panel')
    .description('grid of random clips as spectrograms, titled with true label, prediction and score (wrong ones marked)')
    .argument('<corpus>', 'corpus folder (labelled for true labels; unlabelled clips show "?")')
    .option('--n <count>', 'number of clips', int(1, 200), 12)
    .option('--seed <n>', 'random seed for the choice of clips', int(0), 0)
    .option('--out <file>', 'PNG to write', 'panel.png')
    .option('--columns <n>', 'grid columns (default: 4, or fewer for small panels)', int(1, 20))
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--split <file>', 'draw clips from one side of a split file')
    .option('--subset <side>', 'with --split: val (default), train or all', choice(['train', 'val', 'all'] as const))
    .option('--provider <name>', 'ONNX Runtime execution provider: cpu, cuda or auto', choice(['cpu', 'cuda', 'auto'] as const))
    .action(async (target: string, opts: PanelOptions) => {
      const summary = await makePanel(target, opts);
      process.stderr.write(`${summary}\n`);
    });
}

export async function makePanel(target: string, opts: PanelOptions): Promise<string> {
  const sel = selectLabelled(target, { split: opts.split, subset: opts.subset, requireLabels: false });
  const chosen = sample(sel.entries, opts.n, opts.seed);
  const detector = await infer().Detector.load(modelPath(opts.model), opts.provider ? { executionProvider: opts.provider } : {});
  const api = dsp();
  const features = detector.metadata.input.features;
  const windowSeconds = detector.metadata.input.windowing.windowSeconds;
  const tiles: { image: PlotImage; title: string; subtitle?: string; marked?: boolean }[] = [];
  let wrong = 0;
  try {
    const results = new Map<string, Awaited<ReturnType<typeof detector.detectFile>> | { error: { code: string } }>();
    for await (const r of detector.detectFilesIter(chosen.map((e) => e.path))) results.set(r.path, r);
    for (const e of chosen) {
      const r = results.get(e.path)!;
      const truth = e.label ? e.label.toUpperCase() : '?';
      const name = path.basename(e.path);
      if ('error' in r) {
        tiles.push({ image: blank(), title: `true: ${truth}  pred: error`, subtitle: `${r.error.code} · ${name}`, marked: true });
        continue;
      }
      // what the model saw first: its own features over the first window
      const audio = await api.loadAudio(e.path, { sr: features.sr, mono: true, duration: windowSeconds });
      const spec = api.spectrogramAsync ? await api.spectrogramAsync(audio.samples, features) : api.spectrogram(audio.samples, features);
      const image = plot().spectrogramImage(spec.data, spec.shape[0], spec.shape[1], { width: 256, height: 160 });
      const isWrong = e.label !== null && e.label !== r.label;
      if (isWrong) wrong++;
      tiles.push({ image, title: `true: ${truth}  pred: ${r.label.toUpperCase()}`, subtitle: `score ${r.score.toFixed(3)} · ${name}`, marked: isWrong });
    }
  } finally {
    await detector.dispose();
  }
  const columns = opts.columns ?? Math.min(4, tiles.length);
  const png = plot().panelPng({
    title: `${detector.model.name} ${detector.model.version} — ${tiles.length} random clips (seed ${opts.seed})`,
    columns,
    tiles,
    note: 'red frame = wrong prediction; spectrogram of the first window, low frequencies at the bottom',
  } as Parameters<ReturnType<typeof plot>['panelPng']>[0]);
  writeFileAtomic(opts.out, png);
  return `${opts.out}: ${tiles.length} clips, ${wrong} wrong`;
}

function blank(): PlotImage {
  return { width: 256, height: 160, rgb: new Uint8Array(256 * 160 * 3).fill(40) };
}
