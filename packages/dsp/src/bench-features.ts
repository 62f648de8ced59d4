// Benchmark of the file -> features path (`melguard bench features`): x-realtime, files/s and the split between
// decoding, resampling and spectrograms, with a decode-only baseline measured in the same run.
import { invalidRange } from './errors';
import { native } from './native';

import { resolveWindowing } from './files';
import { resolveOptions } from './options';
import type { PresetName, SpectrogramInput, WindowingOptions } from './types';

export interface FeaturesBenchOptions {
  /** Spectrogram preset (default 'speech16k'); `options` override it. */
  preset?: PresetName;
  options?: SpectrogramInput;
  /** Native threads (default 0 = every core). */
  threads?: number;
  /** Default: 4 s windows every 2 s. null = one whole-clip spectrogram per file. */
  windowing?: WindowingOptions | null;
  /** Timed passes over the files; the fastest is reported (default 1, after one untimed warm-up pass). */
  repeats?: number;
  /** Also time decoding alone on one thread (loadAudio over every file), the reference the ratios use. Default true. */
  baseline?: boolean;
}

export interface Stages<T> {
  decode: T;
  resample: T;
  spectrogram: T;
}

export interface FeaturesBenchResult {
  files: number;
  failed: number;
  threads: number;
  preset: string;
  windowing: string;
  audio_seconds: number;
  wall_seconds: number;
  /** Process CPU time of the timed pass (user + system). */
  cpu_seconds: number;
  /** audio_seconds / wall_seconds: end to end. */
  x_realtime: number;
  /** audio_seconds / cpu_seconds: what one fully available core achieves (robust to other load on the machine). */
  x_realtime_per_cpu: number;
  files_per_s: number;
  /** Thread-seconds spent in each stage, summed over files. */
  stages: Stages<number>;
  /** Each stage's share of all stage time. */
  stage_share: Stages<number>;
  /** Audio seconds per stage-second: each stage's speed on one core. */
  stage_x_realtime_per_core: Stages<number>;
  /** Decode-only on one thread over the same files (when baseline is on). */
  baseline?: { decode_x_realtime_per_core: number; features_vs_decode_per_core: number };
  failures: { path: string; code: string }[];
}

interface NativeResult {
  path: string;
  error?: { code: string; message: string };
  duration?: number;
  audioSeconds?: number;
  timing?: { decode: number; resample: number; spectrogram: number };
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function runFeaturesBench(paths: readonly string[], options: FeaturesBenchOptions = {}): Promise<FeaturesBenchResult> {
  if (!Array.isArray(paths) || paths.length === 0) throw invalidRange('runFeaturesBench needs at least one path');
  const preset = options.preset ?? 'speech16k';
  const config = resolveOptions({ preset, ...(options.options ?? {}) });
  const windowing = options.windowing === undefined ? { windowSeconds: 4, hopSeconds: 2 } : options.windowing;
  const win = windowing === null ? null : resolveWindowing(windowing);
  const threads = options.threads ?? 0;
  if (!Number.isSafeInteger(threads) || threads < 0) throw invalidRange('threads must be an integer >= 0');
  const repeats = options.repeats ?? 1;
  if (!Number.isSafeInteger(repeats) || repeats < 1) throw invalidRange('repeats must be an integer >= 1');
  const list = [...paths];
  const run = () => native.spectrogramFiles(list, config, win, { threads }) as Promise<NativeResult[]>;

  await run(); // warm-up: page cache, engine tables, pool threads
  let best: { results: NativeResult[]; wall: number; cpu: number } | undefined;
  for (let r = 0; r < repeats; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const results = await run();
    const wall = seconds(t0);
    const cpu = process.cpuUsage(cpu0);
    if (!best || wall < best.wall) best = { results, wall, cpu: (cpu.user + cpu.system) / 1e6 };
  }
  const { results, wall, cpu } = best!;

  let audio = 0;
  const stage = { decode: 0, resample: 0, spectrogram: 0 };
  const failures: { path: string; code: string }[] = [];
  for (const r of results) {
    if (r.error) {
      failures.push({ path: r.path, code: r.error.code });
      continue;
    }
    // Audio actually decoded (equals the duration unless maxWindows stopped a file early).
    audio += r.audioSeconds ?? r.duration ?? 0;
    stage.decode += r.timing!.decode;
    stage.resample += r.timing!.resample;
    stage.spectrogram += r.timing!.spectrogram;
  }
  const total = stage.decode + stage.resample + stage.spectrogram || 1;
  const per = (f: (s: number) => number): Stages<number> => ({ decode: f(stage.decode), resample: f(stage.resample), spectrogram: f(stage.spectrogram) });

  const result: FeaturesBenchResult = {
    files: list.length,
    failed: failures.length,
    threads: threads === 0 ? (native.engineInfo?.().defaultThreads ?? 0) : threads,
    preset,
    windowing: win ? `${win.windowSeconds} s windows every ${win.hopSeconds} s${win.maxWindows ? `, at most ${win.maxWindows}` : ''}` : 'whole clip',
    audio_seconds: audio,
    wall_seconds: wall,
    cpu_seconds: cpu,
    x_realtime: audio / wall,
    x_realtime_per_cpu: audio / cpu,
    files_per_s: list.length / wall,
    stages: { ...stage },
    stage_share: per((s) => s / total),
    // A stage that took no time (e.g. no resampling needed) has no speed to report: Infinity.
    stage_x_realtime_per_core: per((s) => (s > 0 ? audio / s : Infinity)),
    failures,
  };

  if (options.baseline ?? true) {
    const cpu0 = process.cpuUsage();
    let decoded = 0;
    for (const path of list) {
      try {
        decoded += ((await native.loadAudio(path, { sr: 0, mono: true, offset: 0, duration: -1 })) as { duration: number }).duration;
      } catch {
        // failures are already listed above
      }
    }
    const used = process.cpuUsage(cpu0);
    const decodePerCore = decoded / ((used.user + used.system) / 1e6);
    result.baseline = { decode_x_realtime_per_core: decodePerCore, features_vs_decode_per_core: result.x_realtime_per_cpu / decodePerCore };
  }
  return result;
}

export function formatFeaturesBench(r: FeaturesBenchResult): string {
  const x = (v: number) => `${Math.round(v).toLocaleString('en-US')}x`;
  const stage = (name: keyof Stages<number>) => {
    const speed = r.stage_x_realtime_per_core[name];
    return `  ${name.padEnd(12)} ${r.stages[name].toFixed(2).padStart(7)} s  ${(100 * r.stage_share[name]).toFixed(1).padStart(5)} %  ${
      Number.isFinite(speed) ? `${x(speed)} realtime per core` : '(not needed)'
    }`;
  };
  const lines = [
    `features bench: ${r.files} files (${r.failed} failed), preset ${r.preset}, ${r.windowing}, ${r.threads} threads`,
    `  audio        ${r.audio_seconds.toFixed(1)} s (${(r.audio_seconds / 60).toFixed(1)} min)`,
    `  wall         ${r.wall_seconds.toFixed(2)} s  -> ${x(r.x_realtime)} realtime, ${r.files_per_s.toFixed(0)} files/s`,
    `  cpu          ${r.cpu_seconds.toFixed(2)} s  -> ${x(r.x_realtime_per_cpu)} realtime per busy core`,
    'stages (thread-seconds):',
    stage('decode'),
    stage('resample'),
    stage('spectrogram'),
  ];
  if (r.baseline) {
    lines.push(
      `baseline: decoding alone ${x(r.baseline.decode_x_realtime_per_core)} realtime per core; ` +
        `features run at ${(100 * r.baseline.features_vs_decode_per_core).toFixed(0)} % of that speed`,
    );
  }
  for (const f of r.failures.slice(0, 10)) lines.push(`  failed: ${f.code} ${f.path}`);
  return lines.join('\n');
}

export interface ResampleBenchOptions {
  inRate?: number;
  outRate?: number;
  /** Seconds of synthetic audio per pass (default 60). */
  seconds?: number;
  /** Passes; the fastest is reported (default 3). */
  repeats?: number;
}

export interface ResampleBenchResult {
  in_rate: number;
  out_rate: number;
  audio_seconds: number;
  /** CPU seconds of the fastest pass (one thread: soxr runs single-threaded here). */
  cpu_seconds: number;
  x_realtime_per_core: number;
}

/** soxr HQ throughput on one core, on broadband synthetic audio (tones plus noise). */
export async function runResampleBench(options: ResampleBenchOptions = {}): Promise<ResampleBenchResult> {
  const inRate = options.inRate ?? 44100;
  const outRate = options.outRate ?? 16000;
  const seconds = options.seconds ?? 60;
  const repeats = options.repeats ?? 3;
  if (!(seconds > 0) || !Number.isSafeInteger(repeats) || repeats < 1) throw invalidRange('seconds must be > 0 and repeats >= 1');
  const n = Math.round(inRate * seconds);
  const x = new Float32Array(n);
  let state = 12345;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    x[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / inRate) + 0.2 * Math.sin((2 * Math.PI * 5123 * i) / inRate) + 0.1 * (state / 2 ** 32 - 0.5);
  }
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const cpu0 = process.cpuUsage();
    await native.resample(x, inRate, outRate);
    const used = process.cpuUsage(cpu0);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return { in_rate: inRate, out_rate: outRate, audio_seconds: seconds, cpu_seconds: best, x_realtime_per_core: seconds / best };
}

export function formatResampleBench(r: ResampleBenchResult): string {
  return `resample bench: ${r.in_rate} Hz -> ${r.out_rate} Hz (soxr HQ), ${r.audio_seconds} s of audio in ${r.cpu_seconds.toFixed(3)} CPU s: ${Math.round(
    r.x_realtime_per_core,
  ).toLocaleString('en-US')}x realtime per core`;
}
