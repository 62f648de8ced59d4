// Progress events of a training run, and a terminal renderer (one updating line per epoch).
import type { ValMetrics } from './evaluate';

export type ProgressEvent =
  | {
      kind: 'start'; backend: string; model: string; parameters: number; trainWindows: number; valWindows: number;
      epochs: number; stepsPerEpoch: number; resumedFrom: number | null;
    }
  | {
      kind: 'step'; epoch: number; epochs: number; step: number; steps: number;
      /** Running means over the epoch so far (loss is class-weighted). */
      loss: number; accuracy: number; samplesPerSec: number; seconds: number;
    }
  | { kind: 'validate'; epoch: number; epochs: number }
  | {
      kind: 'epoch'; epoch: number; epochs: number; train: { loss: number; accuracy: number };
      val: ValMetrics; dev?: ValMetrics; improved: boolean; bestEpoch: number; samplesPerSec: number; seconds: number;
    }
  | { kind: 'done'; bestEpoch: number; stoppedEarly: boolean; aborted: boolean; seconds: number };

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

/** Renders events as a progress bar on a TTY (plain lines otherwise). */
export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): (e: ProgressEvent) => void {
  const tty = Boolean(stream.isTTY);
  let lastPlain = 0;
  return (e) => {
    switch (e.kind) {
      case 'start':
        stream.write(`training ${e.model} (${e.parameters.toLocaleString('en')} parameters) on ${e.backend}: ` +
          `${e.trainWindows} train / ${e.valWindows} val windows, ${e.epochs} epochs x ${e.stepsPerEpoch} steps` +
          `${e.resumedFrom !== null ? `, resuming after epoch ${e.resumedFrom}` : ''}\n`);
        break;
      case 'step': {
        const width = 24;
        const done = Math.round((width * e.step) / e.steps);
        const line = `epoch ${e.epoch}/${e.epochs} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${e.step}/${e.steps} ` +
          `loss ${e.loss.toFixed(4)} acc ${pct(e.accuracy)} ${e.samplesPerSec.toFixed(1)} samples/s`;
        if (tty) stream.write(`\r${line}\x1b[K`);
        else if (e.step === e.steps || Date.now() - lastPlain > 30000) {
          lastPlain = Date.now();
          stream.write(line + '\n');
        }
        break;
      }
      case 'validate':
        if (tty) stream.write(`\repoch ${e.epoch}/${e.epochs} validating…\x1b[K`);
        break;
      case 'epoch':
        stream.write(`${tty ? '\r' : ''}epoch ${e.epoch}/${e.epochs} loss ${e.train.loss.toFixed(4)} acc ${pct(e.train.accuracy)} | ` +
          `val loss ${e.val.loss.toFixed(4)} EER ${pct(e.val.windowEer)} (window) ${pct(e.val.clipEer)} (clip) ` +
          `AUC ${e.val.clipAuc.toFixed(4)}${e.dev ? ` | dev EER ${pct(e.dev.clipEer)} (clip)` : ''} | ${e.samplesPerSec.toFixed(1)} samples/s ${e.seconds.toFixed(0)} s` +
          `${e.improved ? ' *' : ''}${tty ? '\x1b[K' : ''}\n`);
        break;
      case 'done':
        stream.write(`${e.aborted ? 'aborted' : e.stoppedEarly ? 'stopped early' : 'finished'}; best epoch ${e.bestEpoch} ` +
          `(${e.seconds.toFixed(0)} s)\n`);
        break;
    }
  };
}
