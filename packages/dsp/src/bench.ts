// `melguard bench dsp`: throughput of the spectrogram engine on synthetic speech generated in-process.
// One-thread figures come from the native timing helper: best of N interleaved runs of the whole engine, of bare
// FFTs over the same frames with the transform the engine uses ("other" = total - fft = everything around the FFT),
// and of the system library's kiss_fftr one frame at a time (the reference the 15 % budget is set against).
// Scaling runs the batch API over 3 s clips with 1..N threads (wall clock, best of N, widths interleaved). The batch
// holds at least MIN_BATCH_CLIPS clips (the synthetic audio's clips, cycled) so that the call's fixed costs (input
// copies on the JS thread, waking the pool) weigh as little as they do in a real corpus batch.
import { invalidRange, invalidType } from './errors';
import { native } from './native';
import { presetNames } from './presets';
import { resolveOptions } from './options';
import { spectrogramBatch } from './spectrogram';
import { syntheticSpeech } from './synth';
import type { PresetName, SpectrogramOptions } from './types';

export interface DspBenchOptions {
  preset?: PresetName;
  /** Seconds of audio per measurement (default 30). */
  seconds?: number;
  /** Widest thread count; scaling is measured from 1 to this (default: all hardware threads). */
  threads?: number;
  /** Only for the CLI (print JSON); the result is the same. */
  json?: boolean;
  /** Timed runs per measurement; the best is kept (default 7). */
  repeats?: number;
}

export interface DspBenchResult {
  preset: PresetName;
  seconds: number;
  threads: number;
  /** Audio seconds processed per wall second with `threads` threads. */
  x_realtime: number;
  frames_per_s: number;
  /**
   * One thread, per frame: the bare FFT the engine uses, everything else (window, power, mel, dB, copies), their
   * sum, and the system library's bare kiss_fftr for the same frames (reference).
   */
  us_per_frame: { fft: number; other: number; total: number; system_kiss_fftr: number };
  /** other as a percentage of the FFT the engine uses, and of the system kiss_fftr (issue target: <= 15). */
  other_pct_of_fft: number;
  other_pct_of_system_kiss_fftr: number;
  /** One-thread x-realtime of the whole engine, of its bare FFTs alone, and of bare system kiss_fftr alone. */
  one_thread: { x_realtime: number; fft_only_x_realtime: number; system_kiss_fftr_only_x_realtime: number };
  /** FFT-equivalent GFLOP/s with `threads` threads: frames/s x 2.5 N log2 N (a real FFT of N points). */
  gflops: number;
  scaling: { threads: number; x_realtime: number; speedup: number }[];
  /** Clips in the scaling batch (each CLIP_SECONDS long, the synthetic audio's clips cycled). */
  batch_clips: number;
  kernels: string;
  /** 'kissfft-simd4' (KissFFT's SIMD build, 4 frames per transform) or 'kissfft' (system kiss_fftr). */
  fft: string;
  options: SpectrogramOptions;
}

const CLIP_SECONDS = 3; // the seed project's window length
const MIN_BATCH_CLIPS = 64;

function positiveInteger(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number') throw invalidType(`${name} must be an integer in [1, ${max}], got ${typeof value}`);
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalidRange(`${name} must be an integer in [1, ${max}], got ${value}`);
  return value;
}

export async function runDspBench(options: DspBenchOptions = {}): Promise<DspBenchResult> {
  const preset = options.preset ?? 'seed';
  if (!presetNames.includes(preset)) throw invalidRange(`preset must be one of ${presetNames.join(', ')}, got ${String(preset)}`);
  const seconds = options.seconds ?? 30;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 36000) {
    throw invalidRange(`seconds must be a number in (0, 36000], got ${String(seconds)}`);
  }
  const threads = positiveInteger('threads', options.threads ?? native.engineInfo().defaultThreads, 1024);
  const repeats = positiveInteger('repeats', options.repeats ?? 7, 1000);
  const resolved = resolveOptions({ preset });
  const audio = syntheticSpeech({ sr: resolved.sr, seconds, seed: 7 });

  // One thread, native timing: whole engine vs bare kiss_fftr over the same frames.
  const timing = native.benchSpectrogram(audio, resolved, repeats);
  const perFrame = (secondsTotal: number) => (secondsTotal / timing.frames) * 1e6;
  const fftUs = perFrame(timing.fftSeconds);
  const totalUs = perFrame(timing.totalSeconds);
  const systemUs = perFrame(timing.systemFftSeconds);

  // Scaling through the batch API over 3 s clips.
  const clipLength = Math.round(CLIP_SECONDS * resolved.sr);
  const clips: Float32Array[] = [];
  for (let start = 0; start < audio.length; start += clipLength) clips.push(audio.subarray(start, Math.min(audio.length, start + clipLength)));
  for (let i = 0; clips.length < MIN_BATCH_CLIPS; i++) clips.push(clips[i]);
  const batchSeconds = clips.reduce((sum, c) => sum + c.length, 0) / resolved.sr;
  const widths = Array.from({ length: threads }, (_, k) => k + 1);
  const best = new Map<number, number>(widths.map((w) => [w, Infinity]));
  let framesPerBatch = 0;
  for (const w of widths) await spectrogramBatch(clips, resolved, { threads: w }); // warm-up: plans and scratch per thread
  for (let r = 0; r < repeats; r++) {
    for (const w of widths) {
      const t0 = process.hrtime.bigint();
      const results = await spectrogramBatch(clips, resolved, { threads: w });
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      best.set(w, Math.min(best.get(w)!, elapsed));
      framesPerBatch = results.reduce((sum, s) => sum + s.shape[1], 0);
    }
  }
  const oneThread = batchSeconds / best.get(1)!;
  const scaling = widths.map((w) => {
    const xRealtime = batchSeconds / best.get(w)!;
    return { threads: w, x_realtime: xRealtime, speedup: xRealtime / oneThread };
  });
  const wall = best.get(threads)!;
  const framesPerSecond = framesPerBatch / wall;
  const flopsPerFrame = 2.5 * resolved.nFft * Math.log2(resolved.nFft);

  return {
    preset,
    seconds,
    threads,
    x_realtime: batchSeconds / wall,
    frames_per_s: framesPerSecond,
    us_per_frame: { fft: fftUs, other: totalUs - fftUs, total: totalUs, system_kiss_fftr: systemUs },
    other_pct_of_fft: ((totalUs - fftUs) / fftUs) * 100,
    other_pct_of_system_kiss_fftr: ((totalUs - fftUs) / systemUs) * 100,
    one_thread: {
      x_realtime: seconds / timing.totalSeconds,
      fft_only_x_realtime: seconds / timing.fftSeconds,
      system_kiss_fftr_only_x_realtime: seconds / timing.systemFftSeconds,
    },
    gflops: (framesPerSecond * flopsPerFrame) / 1e9,
    scaling,
    batch_clips: clips.length,
    kernels: timing.kernels,
    fft: timing.fft,
    options: resolved,
  };
}

function fixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A human-readable table of a benchmark result. */
export function formatDspBench(r: DspBenchResult): string {
  const o = r.options;
  const bands = o.nMels > 0 ? `${o.nMels} mels` : `${1 + Math.floor(o.nFft / 2)} linear bins`;
  const lines = [
    `melguard bench dsp: preset ${r.preset} (${o.sr} Hz, nFft ${o.nFft}, hop ${o.hopLength}, win ${o.winLength}, ${bands}, ${o.scale})`,
    `  ${r.seconds} s of synthetic speech; FFT: ${r.fft}; kernels: ${r.kernels}`,
    '',
    'one thread, per frame (best of runs):',
    `  fft    ${fixed(r.us_per_frame.fft, 3).padStart(9)} µs   bare ${r.fft} over the same frames (${fixed(r.one_thread.fft_only_x_realtime, 0)}x realtime alone)`,
    `  other  ${fixed(r.us_per_frame.other, 3).padStart(9)} µs   window, power, mel, dB, copies: ${fixed(r.other_pct_of_fft, 1)} % of that FFT, ` +
      `${fixed(r.other_pct_of_system_kiss_fftr, 1)} % of system kiss_fftr`,
    `  total  ${fixed(r.us_per_frame.total, 3).padStart(9)} µs   ${fixed(r.one_thread.x_realtime, 0)}x realtime`,
    `  (system kiss_fftr alone: ${fixed(r.us_per_frame.system_kiss_fftr, 3)} µs per frame, ${fixed(r.one_thread.system_kiss_fftr_only_x_realtime, 0)}x realtime)`,
    '',
    `batch API, ${r.batch_clips} clips of ${CLIP_SECONDS} s per call:`,
    '  threads   x-realtime   speedup',
    ...r.scaling.map((s) => `  ${String(s.threads).padStart(7)}   ${fixed(s.x_realtime, 0).padStart(10)}   ${fixed(s.speedup, 2).padStart(7)}`),
    '',
    `${r.threads} thread(s): ${fixed(r.x_realtime, 0)}x realtime, ${fixed(r.frames_per_s, 0)} frames/s, ${fixed(r.gflops, 2)} GFLOP/s (FFT-equivalent, 2.5 N log2 N per frame)`,
  ];
  return lines.join('\n');
}
