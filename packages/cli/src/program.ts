// The melguard command tree.
import { Command } from 'commander';
import { registerBench } from './commands/bench';
import { registerDetect } from './commands/detect';
import { registerEvaluate } from './commands/evaluate';
import { registerCorpusCommands } from './commands/corpus';
import { registerPanel } from './commands/panel';
import { registerScan } from './commands/scan';
import { registerServe } from './commands/serve';
import { registerSpectrogram } from './commands/spectrogram';
import { registerSplit } from './commands/split';
import { registerTrainCommands } from './commands/train';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('melguard')
    .description('deepfake-speech detection: log-mel features, training, ONNX inference, scanning and serving')
    .version(version, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: () => undefined }); // errors are printed by main() as `error [CODE]: ...`
  registerSpectrogram(program);
  registerDetect(program);
  registerScan(program);
  registerEvaluate(program);
  registerPanel(program);
  registerCorpusCommands(program);
  registerSplit(program);
  registerTrainCommands(program);
  registerServe(program);
  registerBench(program);
  return program;
}
