// melguard train / export: @melguard/train is loaded only inside these actions, so no other command
// (detect, scan, serve) ever loads TensorFlow.js.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { choice, int, num } from '../lib/args';
import { CliError, EXIT } from '../lib/errors';
import { loadPackage } from '../lib/ports';

interface TrainCliOptions {
  features: string;
  model: 'seed' | 'default';
  out: string;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  split?: string;
  devFraction?: number;
  balance?: 'class' | 'source';
  ema?: number;
  seed?: number;
  resume?: boolean;
  augment?: boolean;
  augmentProbability?: number;
  patience?: number;
  backend?: string;
  arch?: string;
}

/** The part of @melguard/train these commands use. */
interface TrainPort {
  train(o: Record<string, unknown>): Promise<{ out: string; modelDir: string; bestEpoch: number; stoppedEarly: boolean; aborted: boolean; metrics?: Record<string, unknown> }>;
  consoleProgress(stream?: NodeJS.WriteStream): (e: unknown) => void;
  recipeFor(name: string): unknown;
  openStoreFor(dir: string, recipe: unknown): unknown;
  StoreSource: new (store: unknown, recipe: unknown) => unknown;
  AugmentedSource: new (base: unknown, opts: { seed: number; probability?: number }) => { describe(): Record<string, unknown> };
  createEnsemble(o: { members: string[]; features: string; out: string }): Promise<{ out: string; modelDir: string; metrics: Record<string, unknown> }>;
  loadTrainedModel(dir: string, opts?: Record<string, unknown>): Promise<{ model: { dispose(): void }; metadata: unknown; dir: string }>;
  exportOnnx(model: unknown, metadata: unknown, out: string, opts?: Record<string, unknown>): { path: string; bytes: number } & Record<string, unknown>;
  trainedModelCardInput(model: unknown, metadata: unknown, card: Record<string, unknown>): Record<string, unknown>;
  buildModelCard(input: Record<string, unknown>): unknown;
  writeModelCard(target: string, card: unknown): { json: string; markdown: string };
  [name: string]: unknown;
}

const trainPackage = () => loadPackage<TrainPort>('@melguard/train');

export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('train the seed or default model on a feature store (checkpoint each epoch, early stopping on validation EER)')
    .requiredOption('--features <dir>', 'feature store from `melguard features`')
    .requiredOption('--model <name>', 'seed (the original CNN) or default', choice(['seed', 'default'] as const))
    .requiredOption('--out <dir>', 'output folder (checkpoint, log, curves, model)')
    .option('--epochs <n>', 'most epochs (default 30)', int(1, 100_000))
    .option('--batch-size <n>', 'batch size (default 32)', int(1, 65_536))
    .option('--lr <x>', 'Adam learning rate (default 1e-3)', num(0, 10, { exclusiveMin: true }))
    .option('--split <file>', 'split file from `melguard split` (default: a grouped split made with --seed)')
    .option('--dev-fraction <f>', 'hold this share of the training side out (grouped) for early stopping and the threshold, so validation numbers involve no selection (default 0: select on validation)', num(0, 1, { exclusiveMin: true }))
    .option('--balance <mode>', 'loss weighting: class (reals and fakes half each, the default) or source (also every source an equal share inside each class)', choice(['class', 'source'] as const))
    .option('--ema <decay>', 'validate and save an exponential moving average of the weights with this decay (e.g. 0.99) instead of the last step\'s weights', num(0, 1, { exclusiveMin: true }))
    .option('--seed <n>', 'random seed: weights, shuffling, split, augmentation (default 0)', int(0))
    .option('--patience <n>', 'early stopping: epochs without a better EER on the selection side (dev, else validation) (default 6)', int(1, 10_000))
    .option('--resume', 'continue from the checkpoint in --out (same options)')
    .option('--augment', 'on-the-fly waveform augmentation (noise, band-limiting, codecs, reverb, ...) through the native engine')
    .option('--augment-probability <p>', 'share of training windows augmented (default 1)', num(0, 1))
    .option('--arch <name>', 'default model variant: small-freq (the default), small, wide-freq, small-freq-cmn (packages/train/README.md)')
    .option('--backend <name>', 'TensorFlow.js backend (default: tfjs-node when installed, else wasm)')
    .action(async (o: TrainCliOptions) => {
      const t = trainPackage();
      let source: { describe(): Record<string, unknown> } | undefined;
      if (o.augment) {
        const recipe = t.recipeFor(o.model);
        const base = new t.StoreSource(t.openStoreFor(o.features, recipe), recipe);
        source = new t.AugmentedSource(base, { seed: o.seed ?? 0, ...(o.augmentProbability !== undefined ? { probability: o.augmentProbability } : {}) });
      } else if (o.augmentProbability !== undefined) {
        throw new CliError('E_USAGE', '--augment-probability needs --augment', EXIT.usage);
      }
      const ac = new AbortController();
      const onSignal = () => {
        process.stderr.write('\nstopping after this step; rerun with --resume to continue\n');
        ac.abort();
      };
      process.once('SIGINT', onSignal);
      try {
        const r = await t.train({
          ...(source ? { source, notes: { augmentation: source.describe() } } : { features: o.features }),
          model: o.model,
          out: o.out,
          ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
          ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
          ...(o.lr !== undefined ? { lr: o.lr } : {}),
          ...(o.split !== undefined ? { split: o.split } : {}),
          ...(o.devFraction !== undefined ? { devFraction: o.devFraction } : {}),
          ...(o.balance !== undefined ? { balance: o.balance } : {}),
          ...(o.ema !== undefined ? { ema: o.ema } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.patience !== undefined ? { patience: o.patience } : {}),
          ...(o.resume ? { resume: true } : {}),
          ...(o.backend ? { backend: o.backend } : {}),
          ...(o.arch !== undefined ? { arch: o.arch } : {}),
          onProgress: t.consoleProgress(process.stderr),
          signal: ac.signal,
        });
        process.stderr.write(`model: ${r.modelDir}${r.aborted ? ' (interrupted: resumable with --resume)' : ''}; export it with: melguard export --model ${r.out} --out model.onnx\n`);
        if (r.aborted) process.exitCode = EXIT.interrupted;
      } finally {
        process.off('SIGINT', onSignal);
      }
    });

  program
    .command('ensemble')
    .description('combine trained models (same features, same split) into one: sigmoid of the mean of their logits, thresholded on their validation side')
    .requiredOption('--model <dir>', 'output folder of `melguard train`; give it two or more times', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .requiredOption('--features <dir>', 'the feature store the models were trained on')
    .requiredOption('--out <dir>', 'output folder (model/, metrics.json, split.json: export it like a training run)')
    .action(async (o: { model: string[]; features: string; out: string }) => {
      const r = await trainPackage().createEnsemble({ members: o.model, features: o.features, out: o.out });
      const clip = (r.metrics.val as { clip?: { eer?: number; auc?: number } } | undefined)?.clip;
      process.stderr.write(`ensemble of ${o.model.length}: validation clip EER ${((clip?.eer ?? NaN) * 100).toFixed(2)} %, AUC ${clip?.auc?.toFixed(4)}; ` +
        `export it with: melguard export --model ${r.out} --out model.onnx\n`);
    });

  program
    .command('export')
    .description('export a trained model to ONNX (with the metadata inference needs) and write its model card beside it')
    .requiredOption('--model <dir>', 'output folder of `melguard train` (or its model/ folder)')
    .requiredOption('--out <file>', 'ONNX file to write')
    .action(async (o: { model: string; out: string }) => {
      const t = trainPackage();
      if (typeof t.exportModelDir === 'function') {
        // the train package's own command-level export (ONNX + model card)
        const r = (await (t.exportModelDir as (a: Record<string, unknown>) => Promise<Record<string, unknown>>)({ modelDir: o.model, out: o.out })) ?? {};
        process.stderr.write(`wrote ${o.out}${typeof r.card === 'string' ? ` and ${r.card}` : ''}\n`);
        return;
      }
      const loaded = await t.loadTrainedModel(o.model, { log: null });
      try {
        const r = t.exportOnnx(loaded.model, loaded.metadata, o.out);
        process.stderr.write(`wrote ${r.path} (${(r.bytes / 1024).toFixed(0)} KiB)\n`);
        const card = writeCard(t, loaded, o.model, o.out);
        process.stderr.write(card.ok ? `wrote ${card.json} and ${card.markdown}\n` : `warning: no model card written (${card.reason})\n`);
      } finally {
        loaded.model.dispose();
      }
    });
}


/**
 * The model card beside the exported file, from what `melguard train` left in its output folder: the model's
 * metadata (training summary) and metrics.json (the validation split's clip-level summary).
 */
function writeCard(
  t: TrainPort,
  loaded: { model: unknown; metadata: unknown; dir: string },
  trainDir: string,
  onnxFile: string,
): { ok: true; json: string; markdown: string } | { ok: false; reason: string } {
  const candidates = [path.join(trainDir, 'metrics.json'), path.join(path.dirname(loaded.dir), 'metrics.json')];
  const metricsFile = candidates.find((f) => fs.existsSync(f));
  if (!metricsFile) return { ok: false, reason: `no metrics.json next to the model in ${trainDir}` };
  try {
    const metrics = JSON.parse(fs.readFileSync(metricsFile, 'utf8')) as { val?: { clip?: unknown }; split?: { policy?: string; origin?: string; selection?: string } };
    const onDev = metrics.split?.selection === 'dev';
    const card = t.buildModelCard(
      t.trainedModelCardInput(loaded.model, loaded.metadata, {
        ...(metrics.split ? { splitPolicy: `${metrics.split.policy ?? 'unknown'} (${metrics.split.origin ?? 'unknown origin'})` } : {}),
        validation: [{ name: 'validation', description: 'the validation side of the training split, clip scores = mean of window scores', summary: metrics.val?.clip }],
        thresholdChosenBy: onDev
          ? 'clip-level EER threshold on the dev side carved out of the training side (best epoch on dev); validation is measurement only'
          : 'clip-level EER threshold on the validation split (best epoch)',
        modelFile: path.basename(onnxFile),
      }),
    );
    const written = t.writeModelCard(onnxFile, card);
    return { ok: true, ...written };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
