// Where the windows of a clip start: the same policy as the native file path (dsp's spectrogramFiles, see
// native/src/audio/features.cc), so a clip scored from samples and the same clip scored from its file get the
// same windows, and inference sees the windows training saw.
import type { WindowSpan } from '@melguard/dsp';
import { MelguardError } from './errors';

export interface WindowPlan {
  /** First sample of each window. */
  starts: number[];
  spans: WindowSpan[];
}

/**
 * Full windows of `windowSamples` every `hopSamples` from the start, as many as fit (a tail shorter than a window
 * is not scored). A clip shorter than one window gets one zero-padded window when it lasts at least `minSeconds`,
 * else it fails with E_TOO_SHORT.
 */
export function planWindows(nSamples: number, sampleRate: number, windowSamples: number, hopSamples: number, minSeconds: number): WindowPlan {
  if (nSamples === 0) throw new MelguardError('E_EMPTY', 'the audio has no samples');
  if (nSamples < windowSamples) {
    const seconds = nSamples / sampleRate;
    if (seconds + 1e-9 < minSeconds) {
      throw new MelguardError('E_TOO_SHORT', `the audio lasts ${seconds.toFixed(3)} s, shorter than the model's minimum of ${minSeconds} s`);
    }
    return { starts: [0], spans: [{ start: 0, end: seconds }] };
  }
  const count = Math.floor((nSamples - windowSamples) / hopSamples) + 1;
  const starts = Array.from({ length: count }, (_, k) => k * hopSamples);
  return { starts, spans: starts.map((s) => ({ start: s / sampleRate, end: (s + windowSamples) / sampleRate })) };
}
