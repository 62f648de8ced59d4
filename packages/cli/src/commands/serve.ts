// melguard serve: the detection HTTP service (@melguard/server) with graceful shutdown on SIGTERM.
import type { Command } from 'commander';
import { choice, int, num } from '../lib/args';
import { loadPackage, modelPath } from '../lib/ports';

interface ServeOptions {
  port: number;
  host: string;
  model?: string;
  maxBodyMb: number;
  maxDurationS: number;
  concurrency?: number;
  maxQueue?: number;
  timeoutMs?: number;
  maxBatch?: number;
  maxDelayMs?: number;
  inference: 'worker' | 'inline';
  inferenceWorkers?: number;
  provider?: 'cpu' | 'cuda' | 'auto';
  threads?: number;
  logLevel: string;
}

interface ServerPort {
  startServer(options: Record<string, unknown>): Promise<{ url: string }>;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the detection HTTP service: POST /v1/detect, GET /v1/model, /healthz, /readyz, /metrics')
    .option('--port <n>', 'TCP port (0 = any free port)', int(0, 65535), 8080)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--max-body-mb <mb>', 'largest upload, MB', num(0, 2047, { exclusiveMin: true }), 25)
    .option('--max-duration-s <s>', 'longest audio accepted, seconds', num(0, Infinity, { exclusiveMin: true }), 600)
    .option('--concurrency <n>', 'requests in the detector at once, micro-batched together (default: 8 x cores)', int(1, 4096))
    .option('--max-queue <n>', 'requests waiting for a slot before 503 (default: 4 x concurrency)', int(0, 1_000_000))
    .option('--timeout-ms <ms>', 'deadline per request once its body is received (504 after it)', int(1, 3_600_000))
    .option('--max-batch <n>', 'most windows per ONNX Runtime run', int(1, 4096))
    .option('--max-delay-ms <ms>', 'how long a window may wait for its batch to fill', num(0, 10_000))
    .option('--inference <where>', 'run ONNX Runtime in a worker thread (default) or inline on the main thread', choice(['worker', 'inline'] as const), 'worker')
    .option('--inference-workers <n>', 'detector worker threads (default 2: one feeds the native threads while another runs ONNX Runtime)', int(1, 64))
    .option('--provider <name>', 'ONNX Runtime execution provider: cpu, cuda or auto', choice(['cpu', 'cuda', 'auto'] as const))
    .option('--threads <n>', 'ONNX Runtime intra-op threads (default 1: concurrent requests keep the cores busy)', int(1, 1024))
    .option('--log-level <level>', 'pino log level (access logs are info)', choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const), 'info')
    .action(async (o: ServeOptions) => {
      const { startServer } = loadPackage<ServerPort>('@melguard/server');
      const s = await startServer({
        port: o.port,
        host: o.host,
        modelPath: modelPath(o.model),
        maxBodyBytes: Math.round(o.maxBodyMb * 1024 * 1024),
        maxDurationSeconds: o.maxDurationS,
        ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
        ...(o.maxQueue !== undefined ? { maxQueue: o.maxQueue } : {}),
        ...(o.timeoutMs !== undefined ? { requestTimeoutMs: o.timeoutMs } : {}),
        ...(o.maxBatch !== undefined ? { maxBatch: o.maxBatch } : {}),
        ...(o.maxDelayMs !== undefined ? { maxDelayMs: o.maxDelayMs } : {}),
        ...(o.provider ? { executionProvider: o.provider } : {}),
        ...(o.threads ? { threads: o.threads } : {}),
        inference: o.inference,
        ...(o.inferenceWorkers ? { inferenceWorkers: o.inferenceWorkers } : {}),
        logger: { level: o.logLevel },
      });
      process.stderr.write(`melguard serving on ${s.url} (POST ${s.url}/v1/detect); SIGTERM or Ctrl-C stops it gracefully\n`);
    });
}
