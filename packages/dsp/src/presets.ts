// Named feature presets. Each lists only what it sets explicitly; everything else takes librosa's defaults,
// including the derived ones (winLength = nFft, hopLength = winLength / 4, fMax = sr / 2), so overriding `sr`
// or `nFft` on top of a preset keeps the dependent values consistent.
import type { PresetName, SpectrogramOptions } from './types';

type PresetDefinition = Partial<SpectrogramOptions>;

export const presetDefinitions: Readonly<Record<PresetName, Readonly<PresetDefinition>>> = {
  /** The seed project's features: librosa.feature.melspectrogram defaults at 22.05 kHz, power_to_db(ref=np.max). */
  seed: {
    sr: 22050,
    nFft: 2048, // winLength 2048, hopLength 512, fMax 11025: derived
    window: 'hann',
    nMels: 128,
    fMin: 0,
    power: 2,
    scale: 'db',
    ref: 'max',
    amin: 1e-10,
    topDb: 80,
  },
  /**
   * Speech at 16 kHz: 25 ms Hann windows every 10 ms (400/160 samples, nFft 512), 80 Slaney mels from 20 Hz to
   * 8 kHz — the framing of ASR front ends (Kaldi, Whisper) and anti-spoofing baselines (ASVspoof), so features
   * line up with the literature and resolve pitch harmonics and short synthesis artefacts.
   */
  speech16k: {
    sr: 16000,
    nFft: 512,
    hopLength: 160,
    winLength: 400,
    window: 'hann',
    nMels: 80,
    fMin: 20, // fMax 8000 = sr/2: derived
    power: 2,
    scale: 'db',
    ref: 'max',
    amin: 1e-10,
    topDb: 80,
  },
  /**
   * speech16k's framing (25 ms Hann windows every 10 ms, nFft 512) without the mel filterbank: 257 linear-frequency
   * bins, 31.25 Hz apart up to 8 kHz. Vocoder artefacts sit in the upper bands, where 80 mels are 300+ Hz wide;
   * the default model trained on these scores a lower EER inside the corpus's sources but a higher one on a
   * held-out source (packages/train/README.md).
   */
  stft16k: {
    sr: 16000,
    nFft: 512,
    hopLength: 160,
    winLength: 400,
    window: 'hann',
    nMels: 0,
    power: 2,
    scale: 'db',
    ref: 'max',
    amin: 1e-10,
    topDb: 80,
  },
};

export const presetNames = Object.keys(presetDefinitions) as PresetName[];
