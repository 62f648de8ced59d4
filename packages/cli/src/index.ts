// @melguard/cli as a library: the command tree, and the scan building blocks (pure, tested).
export { main } from './main';
export { buildProgram } from './program';
export { CliError, describeError, formatError, EXIT } from './lib/errors';
export { ProgressBar, renderProgress, formatDuration } from './lib/progress';
export { writeFileAtomic } from './lib/atomic';
export { collectFiles, isAudioName, AUDIO_EXTENSIONS, type ScanFile } from './scan/files';
export { shardOf, inShard } from './scan/shard';
export { parseOutput, formatRecord, csvRows, CSV_COLUMNS, type ScanRecord, type OutputFormat } from './scan/records';
export { planResume, type ResumePlan, type StatedFile } from './scan/resume';
export { loadExistingOutput, rewriteOutput, RecordWriter } from './scan/output';
export { runScan, type ScanOptions } from './commands/scan';
