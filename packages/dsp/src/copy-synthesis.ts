// Copy-synthesis through the native engine: a recording's mel spectrogram turned back into audio by Griffin-Lim,
// i.e. librosa.feature.inverse.mel_to_audio(librosa.feature.melspectrogram(y=y, power=1)) with librosa's names
// and defaults. The output keeps the input's channel, speaker, words and level and differs only by vocoding,
// which makes it a training fake that cannot be told from its real by recording conditions.
import { types } from 'node:util';

import { checkSampleRate } from './audio';
import { invalidRange, invalidType, toMelguardError } from './errors';
import { native } from './native';
import { integer } from './options';

export interface CopySynthesisOptions {
  /** FFT size (even, >= 16). Default 1024. */
  nFft?: number;
  /** Hop in samples, 1..nFft/2. Default floor(nFft / 4). */
  hopLength?: number;
  /** Mel bands of the bottleneck; 0 = none (Griffin-Lim of the full magnitude spectrogram). Default 80. */
  nMels?: number;
  /** Mel band edges in Hz. Defaults 0 and sampleRate / 2. */
  fMin?: number;
  fMax?: number;
  /** Griffin-Lim iterations (librosa n_iter). Default 32. */
  nIter?: number;
  /** Fast Griffin-Lim momentum, 0 = classic Griffin-Lim (librosa momentum). Default 0.99. */
  momentum?: number;
  /** Seed of the random initial phase. Default 0. */
  seed?: number;
}

export type ResolvedCopySynthesisOptions = Required<CopySynthesisOptions>;

/** At most ten minutes of audio per call: the spectrogram and its phase estimate are held in memory. */
export const COPY_SYNTHESIS_MAX_SECONDS = 600;

export function resolveCopySynthesisOptions(sampleRate: number, options: CopySynthesisOptions = {}): ResolvedCopySynthesisOptions {
  if (options === null || typeof options !== 'object') throw invalidType('options must be an object');
  const nFft = integer('nFft', options.nFft ?? 1024, 16, 65536);
  if (nFft % 2 !== 0) throw invalidRange(`nFft must be even (got ${nFft})`);
  const hopLength = integer('hopLength', options.hopLength ?? Math.floor(nFft / 4), 1, nFft / 2); // librosa: n_fft // 4
  const nMels = integer('nMels', options.nMels ?? 80, 0, nFft / 2 + 1);
  const nyquist = sampleRate / 2;
  const fMin = options.fMin ?? 0;
  const fMax = options.fMax ?? nyquist;
  if (!Number.isFinite(fMin) || !Number.isFinite(fMax) || fMin < 0 || fMax > nyquist || fMin >= fMax) {
    throw invalidRange(`need 0 <= fMin < fMax <= sampleRate / 2 (got fMin ${String(fMin)}, fMax ${String(fMax)})`);
  }
  const nIter = integer('nIter', options.nIter ?? 32, 0, 1000);
  const momentum = options.momentum ?? 0.99;
  if (!Number.isFinite(momentum) || momentum < 0 || momentum >= 1) throw invalidRange(`momentum must be in [0, 1) (got ${String(momentum)})`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw invalidType('seed must be an integer >= 0');
  return { nFft, hopLength, nMels, fMin, fMax, nIter, momentum, seed };
}

/** Copy-synthesises mono float32 samples off the event loop. The output has the input's length and RMS level. */
export async function copySynthesis(samples: Float32Array, sampleRate: number, options: CopySynthesisOptions = {}): Promise<Float32Array> {
  if (!types.isFloat32Array(samples)) throw invalidType('samples must be a Float32Array');
  checkSampleRate(sampleRate, 'sampleRate', false);
  const resolved = resolveCopySynthesisOptions(sampleRate, options);
  if (samples.length === 0) throw invalidRange('samples is empty');
  if (samples.length > COPY_SYNTHESIS_MAX_SECONDS * sampleRate) {
    throw invalidRange(`copy synthesis takes at most ${COPY_SYNTHESIS_MAX_SECONDS} s per call (got ${(samples.length / sampleRate).toFixed(1)} s)`);
  }
  try {
    return await native.copySynthesis(samples, sampleRate, resolved);
  } catch (error) {
    throw toMelguardError(error);
  }
}
