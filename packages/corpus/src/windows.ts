// Windowing policy: which stretches of a clip become feature rows. The dsp engine cuts the windows; this
// module resolves the options (defaults per preset) and states the policy in code (`planWindows`).
//
// - Windows of `windowSeconds` start every `hopSeconds` (default: windowSeconds, no overlap) from 0 s.
//   A tail shorter than a window after the last full window is dropped.
// - `firstOnly`: only the window at 0 s (the seed project's "first 3 s").
// - `maxWindows`: at most that many windows, the first ones.
// - A clip shorter than one window gives one zero-padded window (span [0, duration]) if it lasts at least
//   `minSeconds`; shorter clips give no window and fail with E_TOO_SHORT (listed in the store's failures).
import type { WindowSpan, WindowingOptions } from '@melguard/dsp';
import { CorpusError } from './errors';

export interface ResolvedWindowing {
  windowSeconds: number;
  hopSeconds: number;
  minSeconds: number;
  firstOnly: boolean;
  maxWindows: number | null;
}

/**
 * The seed project looked at the first 3 s of each clip; other presets use 4 s windows over the whole clip.
 * minSeconds 0.5 s is dsp's default too (DEFAULT_MIN_SECONDS).
 */
export function defaultWindowing(presetName: string | null | undefined): ResolvedWindowing {
  return presetName === 'seed'
    ? { windowSeconds: 3, hopSeconds: 3, minSeconds: 0.5, firstOnly: true, maxWindows: null }
    : { windowSeconds: 4, hopSeconds: 4, minSeconds: 0.5, firstOnly: false, maxWindows: null };
}

export function resolveWindowing(input: WindowingOptions | undefined, presetName?: string | null): ResolvedWindowing {
  const base = defaultWindowing(presetName);
  if (input === undefined) return base;
  const windowSeconds = input.windowSeconds ?? base.windowSeconds;
  const w: ResolvedWindowing = {
    windowSeconds,
    hopSeconds: input.hopSeconds ?? windowSeconds,
    minSeconds: input.minSeconds ?? Math.min(base.minSeconds, windowSeconds),
    firstOnly: input.firstOnly ?? false,
    maxWindows: input.maxWindows ?? null,
  };
  const bad = (name: string, why: string) => new CorpusError('E_BAD_ARGUMENT', `windowing.${name} ${why}`);
  if (!(Number.isFinite(w.windowSeconds) && w.windowSeconds > 0)) throw bad('windowSeconds', `must be a positive number of seconds, got ${w.windowSeconds}`);
  if (!(Number.isFinite(w.hopSeconds) && w.hopSeconds > 0)) throw bad('hopSeconds', `must be a positive number of seconds, got ${w.hopSeconds}`);
  if (!(Number.isFinite(w.minSeconds) && w.minSeconds >= 0 && w.minSeconds <= w.windowSeconds)) throw bad('minSeconds', `must be in [0, windowSeconds=${w.windowSeconds}], got ${w.minSeconds}`);
  if (w.maxWindows !== null && !(Number.isInteger(w.maxWindows) && w.maxWindows >= 1)) throw bad('maxWindows', `must be an integer >= 1, got ${w.maxWindows}`);
  return w;
}

/** The windows the policy above gives a clip of `duration` seconds (empty = too short). */
export function planWindows(duration: number, w: ResolvedWindowing): WindowSpan[] {
  const eps = 1e-9;
  if (duration + eps < w.minSeconds || duration <= 0) return [];
  if (duration + eps < w.windowSeconds) return [{ start: 0, end: duration }];
  const spans: WindowSpan[] = [];
  const limit = w.firstOnly ? 1 : (w.maxWindows ?? Infinity);
  for (let k = 0; spans.length < limit; k++) {
    const start = k * w.hopSeconds;
    if (start + w.windowSeconds > duration + eps) break;
    spans.push({ start, end: start + w.windowSeconds });
  }
  return spans;
}
