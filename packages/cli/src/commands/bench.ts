// melguard bench dsp|features|train|scan|server: benchmarks that print their numbers (and ratios against
// a baseline measured in the same run); --json for machines.
import os from 'node:os';
import type { Command } from 'commander';
import { choice, int, num } from '../lib/args';
import { CliError } from '../lib/errors';
import { dsp, infer, loadPackage, modelPath, need } from '../lib/ports';
import { collectFiles } from '../scan/files';
import { scanLoop } from '../scan/run';

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('benchmarks: dsp, features, train, scan, server');

  bench
    .command('dsp')
    .description('spectrogram engine on synthetic speech-like audio: x-realtime, frames/s, FFT vs the rest, thread scaling')
    .option('--preset <name>', 'feature preset', 'seed')
    .option('--seconds <s>', 'seconds of audio per measurement', num(0, 36_000, { exclusiveMin: true }))
    .option('--threads <n>', 'most threads in the scaling table (default: all cores)', int(1, 1024))
    .option('--json', 'one JSON object')
    .action(async (o: { preset: string; seconds?: number; threads?: number; json?: boolean }) => {
      const api = dsp();
      const result = await api.runDspBench({ preset: o.preset, ...(o.seconds ? { seconds: o.seconds } : {}), ...(o.threads ? { threads: o.threads } : {}) });
      process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : `${api.formatDspBench(result)}\n`);
    });

  bench
    .command('features')
    .description('decode + resample + spectrogram over a corpus: x-realtime, files/s, per-stage split; soxr resampling speed')
    .argument('<corpus>', 'folder of audio files')
    .option('--preset <name>', 'feature preset', 'speech16k')
    .option('--threads <n>', 'native threads (default: all cores)', int(1, 1024))
    .option('--repeats <n>', 'timed passes, the fastest is reported (default 1, after a warm-up pass)', int(1, 100))
    .option('--whole', 'one whole-clip spectrogram per file instead of 4 s windows every 2 s')
    .option('--no-resample', 'skip the 44.1 -> 16 kHz resampling measurement')
    .option('--json', 'one JSON object')
    .action(async (target: string, o: { preset: string; threads?: number; repeats?: number; whole?: boolean; resample: boolean; json?: boolean }) => {
      const api = dsp() as unknown as Record<string, unknown>;
      const run = need<(paths: string[], opts: Record<string, unknown>) => Promise<unknown>>(api, 'runFeaturesBench', '@melguard/dsp');
      const format = need<(r: unknown) => string>(api, 'formatFeaturesBench', '@melguard/dsp');
      const paths = collectFiles([target]).files.map((f) => f.abs);
      if (paths.length === 0) throw new CliError('E_NO_FILES', `no audio files under ${target}`);
      const features = await run(paths, { preset: o.preset, ...(o.threads ? { threads: o.threads } : {}), ...(o.repeats ? { repeats: o.repeats } : {}), ...(o.whole ? { windowing: null } : {}) });
      let resample: unknown;
      if (o.resample && typeof api.runResampleBench === 'function') resample = await (api.runResampleBench as () => Promise<unknown>)();
      if (o.json) {
        process.stdout.write(`${JSON.stringify(resample ? { ...(features as object), resample } : features)}\n`);
        return;
      }
      process.stdout.write(`${format(features)}\n`);
      if (resample && typeof api.formatResampleBench === 'function') process.stdout.write(`${(api.formatResampleBench as (r: unknown) => string)(resample)}\n`);
    });

  bench
    .command('train')
    .description('training throughput (samples/s) of the seed and default models, with the TensorFlow.js backend named')
    .option('--model <name>', 'seed, default or both', choice(['seed', 'default', 'both'] as const), 'both')
    .option('--preset <name>', 'input features of the default model: speech16k (80 mels) or stft16k (257 linear bins)', choice(['speech16k', 'stft16k'] as const), 'speech16k')
    .option('--batch-size <n>', 'batch size (default 32)', int(1, 4096))
    .option('--steps <n>', 'timed steps after a warm-up step (default 5)', int(1, 10_000))
    .option('--baseline', 'also time the wasm backend without melguard\'s gradient kernels (slow)')
    .option('--json', 'one JSON array')
    .action(async (o: { model: string; preset: string; batchSize?: number; steps?: number; baseline?: boolean; json?: boolean }) => {
      // loaded here only: TensorFlow.js stays out of every other command
      const train = loadPackage<Record<string, unknown>>('@melguard/train');
      const run = need<(opts: Record<string, unknown>) => Promise<BenchTrainResult>>(train, 'benchTrain', '@melguard/train');
      const results: BenchTrainResult[] = [];
      for (const model of o.model === 'both' ? ['seed', 'default'] : [o.model]) {
        results.push(await run({ model, ...(model === 'default' ? { preset: o.preset } : {}), ...(o.batchSize ? { batchSize: o.batchSize } : {}), ...(o.steps ? { steps: o.steps } : {}), ...(o.baseline ? { baseline: true } : {}), log: null }));
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify(results)}\n`);
        return;
      }
      const w = Math.max(7, ...results.map((r) => r.backend.length));
      const lines = [`model              ${'backend'.padEnd(w)}  batch  train samples/s  ms/step  inference samples/s`];
      for (const r of results) {
        lines.push(`${`${r.model}/${r.preset}`.padEnd(18)} ${r.backend.padEnd(w)} ${String(r.batch_size).padStart(6)} ${r.samples_per_s.toFixed(1).padStart(16)} ${r.ms_per_step.toFixed(1).padStart(8)} ${r.inference_samples_per_s.toFixed(1).padStart(20)}`);
        if (r.baseline) lines.push(`  without melguard's kernels (${r.baseline.kernels}): ${r.baseline.samples_per_s.toFixed(1)} samples/s -> ${r.baseline.speedup.toFixed(1)}x faster with them`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  bench
    .command('scan')
    .description('end-to-end scan (decode + features + inference): x-realtime, files/s, per-stage split, memory')
    .argument('<corpus>', 'folder of audio files')
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--replicate <n>', 'scan the file list n times (e.g. to reach 10 000 files)', int(1, 1000), 1)
    .option('--concurrency <n>', 'native feature threads (default: all cores)', int(1, 1024))
    .option('--threads <n>', 'ONNX Runtime threads (default: all cores)', int(1, 1024))
    .option('--json', 'one JSON object')
    .action(async (target: string, o: { model?: string; replicate: number; concurrency?: number; threads?: number; json?: boolean }) => {
      const result = await benchScan(target, o);
      process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : `${formatBenchScan(result)}\n`);
    });

  bench
    .command('server')
    .description('HTTP service under load (autocannon on loopback): req/s and p50/p99 at 1, 8, 32 connections vs in-process; RSS over 10 000 requests')
    .option('--model <path>', 'ONNX model (default: $MELGUARD_MODEL, else the bundled model)')
    .option('--corpus <dir>', 'take the 4 s clips from this folder (default: synthetic speech-like clips)')
    .option('--clips <n>', 'distinct clips sent round-robin', int(1, 1000), 16)
    .option('--clip-seconds <s>', 'clip length', num(0, 600, { exclusiveMin: true }), 4)
    .option('--connections <list>', 'comma-separated concurrency levels', '1,8,32')
    .option('--seconds-per-level <s>', 'upper bound on each level', num(1, 3600), 10)
    .option('--max-requests <n>', 'upper bound on requests per level', int(1), 3000)
    .option('--rss-requests <n>', 'requests between the two RSS readings (0 skips)', int(0), 10_000)
    .option('--inference <where>', 'ONNX Runtime in a worker thread or inline on the main thread', choice(['worker', 'inline'] as const), 'worker')
    .option('--inference-workers <n>', "server's detector worker threads (default 2)", int(1, 64))
    .option('--concurrency <n>', "server's detector slots", int(1, 4096))
    .option('--max-batch <n>', 'most windows per ONNX Runtime run', int(1, 4096))
    .option('--max-delay-ms <ms>', 'micro-batch fill delay', num(0, 10_000))
    .option('--threads <n>', 'ONNX Runtime threads (server and in-process baseline alike; default 1, as melguard serve)', int(1, 1024))
    .option('--json', 'one JSON object')
    .action(async (o: BenchServerCliOptions) => {
      const server = loadPackage<ServerBenchPort>('@melguard/server');
      const connections = o.connections.split(',').map((s) => Number(s.trim()));
      if (connections.some((c) => !Number.isInteger(c) || c < 1 || c > 1024)) throw new CliError('E_USAGE', `--connections must be integers in [1, 1024], got ${o.connections}`, 2);
      const clips = o.corpus ? await corpusClips(o.corpus, o.clips, o.clipSeconds) : server.syntheticClips(o.clips, o.clipSeconds, 16000);
      const report = await server.runServerBench({
        clips,
        clipSeconds: o.clipSeconds,
        connections,
        secondsPerLevel: o.secondsPerLevel,
        maxRequestsPerLevel: o.maxRequests,
        rssRequests: o.rssRequests,
        inference: o.inference,
        ...(o.inferenceWorkers ? { inferenceWorkers: o.inferenceWorkers } : {}),
        modelPath: modelPath(o.model),
        ...(o.concurrency ? { concurrency: o.concurrency } : {}),
        ...(o.maxBatch ? { maxBatch: o.maxBatch } : {}),
        ...(o.maxDelayMs !== undefined ? { maxDelayMs: o.maxDelayMs } : {}),
        ...(o.threads ? { threads: o.threads } : {}),
        log: o.json ? undefined : (line: string) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : `${server.formatServerBench(report)}\n`);
    });
}

interface BenchTrainResult {
  backend: string;
  model: string;
  preset: string;
  batch_size: number;
  steps: number;
  samples_per_s: number;
  ms_per_step: number;
  inference_samples_per_s: number;
  baseline?: { kernels: string; samples_per_s: number; ms_per_step: number; speedup: number };
}

interface BenchServerCliOptions {
  model?: string;
  corpus?: string;
  clips: number;
  clipSeconds: number;
  connections: string;
  secondsPerLevel: number;
  maxRequests: number;
  rssRequests: number;
  inference: 'worker' | 'inline';
  inferenceWorkers?: number;
  concurrency?: number;
  maxBatch?: number;
  maxDelayMs?: number;
  threads?: number;
  json?: boolean;
}

interface ServerBenchPort {
  runServerBench(o: Record<string, unknown>): Promise<unknown>;
  formatServerBench(r: unknown): string;
  syntheticClips(count: number, seconds: number, sampleRate?: number): Buffer[];
  encodeWavPcm16(samples: Float32Array, sampleRate: number): Buffer;
}

/** The first `seconds` of `count` corpus files, resampled to 16 kHz mono, as WAV uploads. */
async function corpusClips(dir: string, count: number, seconds: number): Promise<Buffer[]> {
  const { encodeWavPcm16 } = loadPackage<ServerBenchPort>('@melguard/server');
  const files = collectFiles([dir]).files;
  const clips: Buffer[] = [];
  for (const f of files) {
    if (clips.length >= count) break;
    try {
      const a = await dsp().loadAudio(f.abs, { sr: 16000, mono: true, duration: seconds });
      if (a.duration >= seconds - 0.01) clips.push(encodeWavPcm16(a.samples, 16000));
    } catch {
      /* unreadable: take the next */
    }
  }
  if (clips.length === 0) throw new CliError('E_NO_CLIPS', `no readable clip of at least ${seconds} s in ${dir}`);
  return clips;
}

export interface BenchScanResult {
  files: number;
  ok: number;
  failed: number;
  audioSeconds: number;
  seconds: number;
  xRealtime: number;
  filesPerSecond: number;
  /** Process CPU time (user + system) of the timed pass, and audio seconds per CPU second. */
  cpuSeconds: number;
  xRealtimePerCpu: number;
  /** Share of the summed compute time of the stages (decode and features: native thread-seconds; inference: ONNX Runtime runs). */
  stageShare: { decode: number; features: number; inference: number };
  stageSeconds: { decode: number; features: number; inference: number };
  /** ONNX Runtime runs and the mean windows per run. */
  batches: { runs: number; meanWindows: number };
  model: { name: string; version: string };
  executionProvider: string;
  cores: number;
  rssMb: { start: number; afterFirstTenth: number; end: number; max: number };
  inference?: Record<string, unknown>;
}

async function benchScan(target: string, o: { model?: string; replicate: number; concurrency?: number; threads?: number }): Promise<BenchScanResult> {
  const list = collectFiles([target]).files;
  if (list.length === 0) throw new CliError('E_NO_FILES', `no audio files under ${target}`);
  const files = [];
  for (let r = 0; r < o.replicate; r++) for (const f of list) files.push({ ...f, path: f.abs, size: 0, mtime: 0 });
  const detector = await infer().Detector.load(modelPath(o.model), {
    ...(o.threads ? { threads: o.threads } : {}),
    ...(o.concurrency ? { featureThreads: o.concurrency } : {}),
  });
  const rss = () => process.memoryUsage.rss() / 2 ** 20;
  const mem = { start: rss(), afterFirstTenth: NaN, end: NaN, max: 0 };
  try {
    // warm-up: ORT picks kernels and the engine builds its filterbank on first use
    for await (const _ of detector.detectFilesIter(list.slice(0, 8).map((f) => f.abs))) void _;
    mem.start = rss();
    // inference time = the ONNX Runtime runs themselves (per-file timing would include the wait for a batch)
    const runs = { count: 0, windows: 0, seconds: 0 };
    detector.on?.('batch', (b) => {
      runs.count++;
      runs.windows += b.size;
      runs.seconds += b.seconds;
    });
    let n = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { totals } = await scanLoop(detector, files, {
      withWindows: false,
      onRecord: () => {
        n++;
        if (n % 256 === 0) mem.max = Math.max(mem.max, rss());
        if (n === Math.ceil(files.length / 10)) mem.afterFirstTenth = rss();
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    mem.end = rss();
    mem.max = Math.max(mem.max, mem.end);
    const st = { decode: totals.stages.decode, features: totals.stages.features, inference: runs.seconds };
    const sum = st.decode + st.features + st.inference || 1;
    const inference = await infer().benchInfer(detector, {});
    return {
      files: files.length,
      ok: totals.ok,
      failed: totals.failed,
      audioSeconds: totals.audioSeconds,
      seconds,
      xRealtime: totals.audioSeconds / seconds,
      filesPerSecond: files.length / seconds,
      cpuSeconds,
      xRealtimePerCpu: totals.audioSeconds / cpuSeconds,
      stageShare: { decode: st.decode / sum, features: st.features / sum, inference: st.inference / sum },
      stageSeconds: st,
      batches: { runs: runs.count, meanWindows: runs.count ? runs.windows / runs.count : 0 },
      model: detector.model,
      executionProvider: detector.executionProvider,
      cores: os.availableParallelism(),
      rssMb: mem,
      inference,
    };
  } finally {
    await detector.dispose();
  }
}

function formatBenchScan(r: BenchScanResult): string {
  const p = (v: number) => `${(100 * v).toFixed(1)} %`;
  const lines = [
    `melguard bench scan — model ${r.model.name} ${r.model.version} on ${r.executionProvider}, ${r.cores} cores`,
    `${r.files} files (${r.ok} ok, ${r.failed} failed), ${(r.audioSeconds / 3600).toFixed(2)} h of audio in ${r.seconds.toFixed(1)} s`,
    `end to end: ${r.xRealtime.toFixed(0)}x realtime, ${r.filesPerSecond.toFixed(1)} files/s`,
    `stage split (thread-seconds): decode+resample ${p(r.stageShare.decode)} (${r.stageSeconds.decode.toFixed(2)} s), features ${p(r.stageShare.features)} (${r.stageSeconds.features.toFixed(2)} s), inference ${p(r.stageShare.inference)} (${r.stageSeconds.inference.toFixed(2)} s in ${r.batches.runs} ONNX Runtime runs of ${r.batches.meanWindows.toFixed(1)} windows)`,
    `CPU: ${r.cpuSeconds.toFixed(1)} s of process CPU time -> ${r.xRealtimePerCpu.toFixed(0)}x realtime per CPU-second (what one fully available core does; robust to other load)`,
    `RSS: ${r.rssMb.start.toFixed(0)} MiB after warm-up, ${r.rssMb.afterFirstTenth.toFixed(0)} MiB after 10 %, ${r.rssMb.end.toFixed(0)} MiB at the end (max ${r.rssMb.max.toFixed(0)} MiB)`,
  ];
  const inf = r.inference as { msPerWindow?: { median: number }; windowsPerSecond?: number; batch?: number } | undefined;
  if (inf?.msPerWindow) lines.push(`inference only: ${inf.msPerWindow.median.toFixed(2)} ms per window (batch 1), ${inf.windowsPerSecond?.toFixed(0)} windows/s (batch ${inf.batch})`);
  return lines.join('\n');
}

