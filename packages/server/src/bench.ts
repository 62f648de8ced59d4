// `melguard bench server`: HTTP throughput/latency with autocannon on loopback at several concurrencies,
// compared with the same clips pushed through the detector in-process, plus RSS over many requests.
// Every phase is bounded both in time and in request count.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DetectorLike } from './types';
import type { DetectorLoadOptions } from './detector/inline';

export interface ServerBenchOptions extends DetectorLoadOptions {
  /** Audio clips sent round-robin (e.g. 4 s WAVs). */
  clips: Buffer[];
  clipSeconds: number;
  contentType?: string;
  connections?: number[];
  /** Upper bound on each concurrency level's duration, s. */
  secondsPerLevel?: number;
  /** Upper bound on each level's request count. */
  maxRequestsPerLevel?: number;
  /** Requests between the two RSS readings (0 skips the phase). */
  rssRequests?: number;
  /** Upper bound on the RSS phase's duration, s. */
  rssMaxSeconds?: number;
  inference?: 'worker' | 'inline';
  /** Detector worker threads in the server (default: the server's default). */
  inferenceWorkers?: number;
  /** Server's detector slots (requests batched together). */
  concurrency?: number;
  /** Detector for the in-process baseline; default loads the model in this process. */
  createDetector?: () => Promise<DetectorLike>;
  /** Run the server in this process with this detector instead of a child process (tests). */
  inProcessServer?: DetectorLike;
  log?: (line: string) => void;
}

export interface LevelResult {
  connections: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  status5xx: number;
  errors: number;
  /** GET /healthz latency while the level runs: shows whether inference blocks the event loop. */
  healthzP99Ms: number;
  eventLoopLagP99Ms: number | null;
}

export interface ServerBenchReport {
  inference: 'worker' | 'inline';
  clips: { count: number; seconds: number; bytes: number };
  /** clipsPerSecond: mean of the runs right before and right after the top HTTP level. */
  inProcess: { clipsPerSecond: number; before: number; after: number; concurrency: number; singleP50Ms: number; singleP99Ms: number; clips: number };
  levels: LevelResult[];
  rss: { requests: number; beforeMb: number; afterMb: number; growthPct: number; status5xx: number } | null;
  ratios: { topLevelVsInProcess: number; p99AtMidVsSingle: number | null; p99AtMidVsSingleP99: number | null };
}

export async function runServerBench(o: ServerBenchOptions): Promise<ServerBenchReport> {
  if (!o.clips.length) throw new RangeError('runServerBench: clips must not be empty');
  const log = o.log ?? (() => undefined);
  const inference = o.inference ?? 'worker';
  const connections = o.connections ?? [1, 8, 32];
  const secondsPerLevel = o.secondsPerLevel ?? 10;
  const maxRequests = o.maxRequestsPerLevel ?? 3000;
  const contentType = o.contentType ?? 'audio/wav';
  const loadOptions: DetectorLoadOptions = { modelPath: o.modelPath, executionProvider: o.executionProvider, threads: o.threads ?? 1, maxBatch: o.maxBatch, maxDelayMs: o.maxDelayMs };

  // The in-process baseline runs right before and right after the top level, so load from elsewhere on the
  // machine (which drifts) weighs on both sides of the comparison alike.
  const detector = o.createDetector ? await o.createDetector() : await (await import('./detector/inline')).loadDetector(loadOptions);
  try {
    log('in-process baseline ...');
    for (let i = 0; i < Math.min(8, o.clips.length); i++) await detector.detectBuffer(o.clips[i]); // warm-up
    const single = await singleLatency(detector, o.clips, secondsPerLevel / 4);
    const top = Math.max(...connections);
    const server = await launchServer(o, loadOptions, inference);
    try {
      await hammer(server.url, o.clips, contentType, { connections: 4, seconds: 1, amount: 100 }); // warm-up
      const levels: LevelResult[] = [];
      const inProcessRuns: { clips: number; seconds: number }[] = [];
      for (const c of connections) {
        if (c === top) inProcessRuns.push(await inProcessThroughput(detector, o.clips, c, secondsPerLevel, maxRequests));
        await scrapeMetric(server.url, 'melguard_nodejs_eventloop_lag_p99_seconds'); // resets the lag histogram
        const probe = healthProbe(server.url);
        const r = await hammer(server.url, o.clips, contentType, { connections: c, seconds: secondsPerLevel, amount: maxRequests });
        const healthz = await probe.stop();
        const lag = await scrapeMetric(server.url, 'melguard_nodejs_eventloop_lag_p99_seconds');
        levels.push({ connections: c, ...r, healthzP99Ms: healthz, eventLoopLagP99Ms: lag === null ? null : lag * 1000 });
        log(`c=${c}: ${r.requestsPerSecond.toFixed(1)} req/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms`);
        if (c === top) inProcessRuns.push(await inProcessThroughput(detector, o.clips, c, secondsPerLevel, maxRequests));
      }
      const rates = inProcessRuns.map((x) => x.clips / x.seconds);
      const inProcess = {
        clipsPerSecond: (rates[0] + rates[1]) / 2,
        before: rates[0],
        after: rates[1],
        concurrency: top,
        singleP50Ms: single.p50,
        singleP99Ms: single.p99,
        clips: inProcessRuns[0].clips + inProcessRuns[1].clips,
      };
      log(`in-process: ${rates.map((r) => r.toFixed(1)).join(' / ')} clips/s (before / after the top level)`);
      let rss: ServerBenchReport['rss'] = null;
      const rssRequests = o.rssRequests ?? 10_000;
      if (rssRequests > 0) {
        log(`RSS over ${rssRequests} requests ...`);
        const before = (await scrapeMetric(server.url, 'melguard_process_resident_memory_bytes')) ?? NaN;
        const r = await hammer(server.url, o.clips, contentType, { connections: 8, seconds: o.rssMaxSeconds ?? 900, amount: rssRequests });
        const after = (await scrapeMetric(server.url, 'melguard_process_resident_memory_bytes')) ?? NaN;
        rss = { requests: r.requests, beforeMb: before / 2 ** 20, afterMb: after / 2 ** 20, growthPct: (100 * (after - before)) / before, status5xx: r.status5xx };
      }
      const topLevel = levels[levels.length - 1];
      const mid = levels.find((l) => l.connections === 8);
      const one = levels.find((l) => l.connections === 1);
      return {
        inference,
        clips: { count: o.clips.length, seconds: o.clipSeconds, bytes: o.clips[0].length },
        inProcess,
        levels,
        rss,
        ratios: {
          topLevelVsInProcess: topLevel.requestsPerSecond / inProcess.clipsPerSecond,
          p99AtMidVsSingle: mid && one ? mid.p99Ms / one.p50Ms : null,
          p99AtMidVsSingleP99: mid && one ? mid.p99Ms / one.p99Ms : null,
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await detector.dispose();
  }
}

async function singleLatency(detector: DetectorLike, clips: Buffer[], seconds: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  for (let i = 0; i < 200 && performance.now() < deadline; i++) {
    const t = performance.now();
    await detector.detectBuffer(clips[i % clips.length]);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: pct(times, 50), p99: pct(times, 99) };
}

/** Clips through the detector with `concurrency` callers, bounded in time and count. */
async function inProcessThroughput(detector: DetectorLike, clips: Buffer[], concurrency: number, seconds: number, maxClips: number): Promise<{ clips: number; seconds: number }> {
  let next = 0;
  let done = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < maxClips && performance.now() < deadline) {
        const i = next++;
        await detector.detectBuffer(clips[i % clips.length]);
        done++;
      }
    }),
  );
  return { clips: done, seconds: (performance.now() - start) / 1000 };
}

interface Launched {
  url: string;
  stop(): Promise<void>;
}

/** The server under test runs in its own process so its RSS and event loop are not the load generator's. */
async function launchServer(o: ServerBenchOptions, loadOptions: DetectorLoadOptions, inference: 'worker' | 'inline'): Promise<Launched> {
  const serverOptions = { port: 0, host: '127.0.0.1', logger: false, inference, shutdownSignals: [], ...(o.concurrency ? { concurrency: o.concurrency } : {}), ...(o.inferenceWorkers ? { inferenceWorkers: o.inferenceWorkers } : {}), ...loadOptions };
  if (o.inProcessServer) {
    const { startServer } = await import('./start-server');
    const s = await startServer({ ...serverOptions, detector: o.inProcessServer, onShutdown: () => undefined });
    return { url: s.url, stop: async () => void (await s.shutdown()) };
  }
  const child: ChildProcess = fork(path.resolve(__dirname, '../lib/bench-child.js'), [JSON.stringify(serverOptions)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url?: string; error?: string }) => (m.url ? resolve(m.url) : reject(new Error(`server failed to start: ${m.error}`))));
    child.once('exit', (code) => reject(new Error(`server process exited with code ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function hammer(url: string, clips: Buffer[], contentType: string, o: { connections: number; seconds: number; amount: number }) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as (opts: Record<string, unknown>, cb: (err: Error | null, r: AutocannonResult) => void) => NodeJS.EventEmitter;
  // autocannon reports duration in whole sampling ticks; the rate is measured here from the responses themselves
  let first = 0;
  let last = 0;
  let ok = 0;
  const start = performance.now();
  const r = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/detect`,
        connections: o.connections,
        duration: o.seconds,
        maxOverallRequests: Math.max(o.amount, o.connections),
        method: 'POST',
        headers: { 'content-type': contentType },
        requests: clips.map((body) => ({ body })),
        timeout: 60,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('response', (_client: unknown, status: number) => {
      last = performance.now();
      if (first === 0) first = last;
      if (status >= 200 && status < 300) ok++;
    });
  });
  let s5xx = 0;
  for (const [status, v] of Object.entries(r.statusCodeStats ?? {})) if (status.startsWith('5')) s5xx += Number(v.count);
  const seconds = ((last || performance.now()) - start) / 1000;
  return {
    requests: r['2xx'] + r.non2xx,
    seconds,
    requestsPerSecond: ok / seconds,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    status5xx: s5xx,
    errors: r.errors + r.timeouts,
  };
}

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p50: number; p99: number };
  statusCodeStats?: Record<string, { count: number | string }>;
}

function healthProbe(url: string): { stop(): Promise<number> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const res = await fetch(`${url}/healthz`);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
      } catch {
        /* counted by absence */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      latencies.sort((a, b) => a - b);
      return latencies.length ? pct(latencies, 99) : NaN;
    },
  };
}

async function scrapeMetric(url: string, name: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([-+0-9.eE]+|NaN)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function formatServerBench(r: ServerBenchReport): string {
  const lines = [
    `melguard bench server — inference in ${r.inference === 'worker' ? 'a worker thread' : 'the main thread'}; ${r.clips.count} clips of ${r.clips.seconds} s (${(r.clips.bytes / 1024).toFixed(0)} KiB each)`,
    `in-process: ${r.inProcess.clipsPerSecond.toFixed(1)} clips/s at concurrency ${r.inProcess.concurrency} (${r.inProcess.before.toFixed(1)} before / ${r.inProcess.after.toFixed(1)} after the top HTTP level, ${r.inProcess.clips} clips); single request p50 ${r.inProcess.singleP50Ms.toFixed(2)} ms, p99 ${r.inProcess.singleP99Ms.toFixed(2)} ms`,
    '',
    'connections   req/s    p50 ms    p99 ms   requests  non-2xx  5xx  errors  healthz p99 ms  loop lag p99 ms',
  ];
  for (const l of r.levels) {
    lines.push(
      `${String(l.connections).padStart(11)} ${l.requestsPerSecond.toFixed(1).padStart(7)} ${l.p50Ms.toFixed(1).padStart(9)} ${l.p99Ms.toFixed(1).padStart(9)} ${String(l.requests).padStart(10)} ${String(l.non2xx).padStart(8)} ${String(l.status5xx).padStart(4)} ${String(l.errors).padStart(7)} ${l.healthzP99Ms.toFixed(1).padStart(15)} ${(l.eventLoopLagP99Ms ?? NaN).toFixed(1).padStart(16)}`,
    );
  }
  lines.push('');
  const top = r.levels[r.levels.length - 1];
  lines.push(`throughput at ${top.connections} connections / in-process: ${(100 * r.ratios.topLevelVsInProcess).toFixed(1)} % (goal >= 80 %)`);
  if (r.ratios.p99AtMidVsSingle !== null) {
    lines.push(`p99 at 8 connections / p50 at 1 connection: ${r.ratios.p99AtMidVsSingle.toFixed(2)}x (goal <= 3x); / p99 at 1 connection: ${r.ratios.p99AtMidVsSingleP99!.toFixed(2)}x`);
  }
  if (r.rss) {
    lines.push(
      `RSS: ${r.rss.beforeMb.toFixed(1)} MiB -> ${r.rss.afterMb.toFixed(1)} MiB over ${r.rss.requests} requests (${r.rss.growthPct >= 0 ? '+' : ''}${r.rss.growthPct.toFixed(1)} %, goal <= 10 %); 5xx: ${r.rss.status5xx}`,
    );
  }
  return lines.join('\n');
}
