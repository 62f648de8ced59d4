// @melguard/server: the detection HTTP service (fastify) — library entry.
export { createServer } from './create-server';
export { startServer, type StartServerOptions, type RunningServer } from './start-server';
export { resolveServerOptions, type ServerOptions } from './options';
export { ApiError, mapError, statusForCode } from './errors';
export { Admission } from './admission';
export { adaptInferDetector, loadDetector, type DetectorLoadOptions } from './detector/inline';
export { WorkerDetector, type WorkerDetectorOptions } from './detector/worker';
export { WorkerPoolDetector } from './detector/worker-pool';
export { parseAggregate } from './upload';
export { syntheticClips, syntheticSpeech, encodeWavPcm16 } from './bench-clips';
export { runServerBench, formatServerBench, type ServerBenchOptions, type ServerBenchReport } from './bench';
export type { Aggregate, BatchEvent, DetectBufferOptions, DetectionResult, DetectorLike, WindowScore } from './types';
