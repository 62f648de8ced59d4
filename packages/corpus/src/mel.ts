// Frequencies of spectrogram bins, for axis labels (same formulas as librosa.mel_frequencies / fft_frequencies).
import type { SpectrogramOptions } from '@melguard/dsp';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

export function hzToMel(hz: number, htk: boolean): number {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHz(mel: number, htk: boolean): number {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** The nMels + 2 filter edges (Hz) of a mel filterbank, equally spaced in mel: filter k spans edges k..k+2. */
export function melEdges(f: Pick<SpectrogramOptions, 'nMels' | 'fMin' | 'fMax' | 'htk'>): number[] {
  const lo = hzToMel(f.fMin, f.htk);
  const hi = hzToMel(f.fMax, f.htk);
  return Array.from({ length: f.nMels + 2 }, (_, k) => melToHz(lo + ((hi - lo) * k) / (f.nMels + 1), f.htk));
}

/** Centre frequency (Hz) of every output bin: mel filter peaks, or FFT bin frequencies for nMels = 0. */
export function binFrequencies(f: Pick<SpectrogramOptions, 'sr' | 'nFft' | 'nMels' | 'fMin' | 'fMax' | 'htk'>): number[] {
  if (f.nMels === 0) return Array.from({ length: 1 + Math.floor(f.nFft / 2) }, (_, k) => (k * f.sr) / f.nFft);
  return melEdges(f).slice(1, -1);
}

/** Fractional bin index at which `hz` sits (linear interpolation between bin centres). */
export function binPosition(freqs: number[], hz: number): number | null {
  if (freqs.length === 0 || hz < freqs[0]! || hz > freqs[freqs.length - 1]!) return null;
  for (let k = 0; k < freqs.length - 1; k++) {
    const a = freqs[k]!;
    const b = freqs[k + 1]!;
    if (hz >= a && hz <= b) return b > a ? k + (hz - a) / (b - a) : k;
  }
  return freqs.length - 1;
}

export function formatHz(hz: number): string {
  if (hz >= 1000) return `${+(hz / 1000).toFixed(hz % 1000 === 0 ? 0 : 1)}k`;
  return `${Math.round(hz)}`;
}
