// @melguard/corpus: discovery of labelled corpora, leak-free groups and splits, windowing policy,
// the resumable feature store (writer and streaming reader) and the difference analysis.
export type { Label, StoreFile, StoreFailure, StoreIndex } from './store-types';
export type { CorpusEntry, Discovery, Layout, SkippedFile } from './types';
export { CorpusError, type CorpusErrorCode } from './errors';
export { AUDIO_EXTENSIONS, isAudioFile, walkFiles } from './audio-files';
export { REAL_FOLDER_NAMES, FAKE_FOLDER_NAMES, labelFromFolderName, parseLabelValue } from './labels';
export { discoverCorpus, discoverCorpusDetailed, type DiscoverOptions } from './discover';
export { readManifest, type ManifestOptions } from './manifest';
export { readProtocols, parseProtocolLine, findProtocolFiles, protocolSource, type ProtocolOptions } from './asvspoof';
export { utteranceInfo, structuralPath, type UtteranceInfo } from './utterance';
export { assignGroups, summarizeGroups, type GroupingOptions, type GroupSummary } from './groups';
export { makeSplit, readSplitFile, writeSplitFile, type Split, type SplitItem, type SplitOptions, type SplitPolicy, type SplitSide, type SideCounts } from './split';
export { defaultWindowing, resolveWindowing, planWindows, type ResolvedWindowing } from './windows';
export { resolveFeatures, DEFAULT_PRESET, type Extractor, type FeatureSelection } from './dsp-bridge';
export { extractFeatures, expectedShape, optionsHashOf, INDEX_FILE, STORE_FORMAT, type ExtractOptions, type ExtractProgress, type ExtractResult, type StoreEntry } from './extract';
export { FeatureStore, type Batch, type OpenOptions, type SplitLike, type VerifyMode } from './store';
export { analyzeCorpus, computeAnalysis, type Analysis, type AnalysisResult, type AnalyzeOptions } from './analyze';
export { binFrequencies, hzToMel, melEdges, melToHz } from './mel';
export { studentTQuantile, summarize, welch } from './stats';
export { formatProgress, formatDuration } from './progress';
export {
  analyzeCommand,
  describeCorpus,
  featuresCommand,
  splitCommand,
  summarizeDiscovery,
  type AnalyzeCommandArgs,
  type CorpusArgs,
  type DiscoverySummary,
  type FeatureArgs,
  type FeaturesCommandArgs,
  type SplitCommandArgs,
} from './commands';
export {
  copySynthesisCommand,
  pseudoFakeId,
  COPY_SYNTHESIS_FOLDER,
  COPY_SYNTHESIS_METHOD,
  type CopySynthesisCommandArgs,
  type CopySynthesisCommandResult,
} from './copy-synthesis';
