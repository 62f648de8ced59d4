// resolveOptions: the one place that validates spectrogram options. Every failure is a TypeError (wrong kind of
// value, unknown option) or RangeError (value out of range) whose message names the option and what is allowed.
import { invalidRange, invalidType } from './errors';
import { presetDefinitions, presetNames } from './presets';
import type { PresetName, ScaleName, SpectrogramInput, SpectrogramOptions, WindowName, PadMode } from './types';

export const WINDOWS: readonly WindowName[] = ['hann', 'hamming', 'blackman', 'rectangular'];
export const PAD_MODES: readonly PadMode[] = ['constant', 'reflect'];
export const SCALES: readonly ScaleName[] = ['power', 'db', 'log'];

export const LIMITS = {
  sr: [1, 1_000_000],
  nFft: [2, 262_144],
  hopLength: [1, 16_777_216],
  nMels: [0, 16_384],
} as const;

const OPTION_KEYS = [
  'sr', 'nFft', 'hopLength', 'winLength', 'window', 'center', 'padMode', 'power', 'nMels',
  'fMin', 'fMax', 'htk', 'norm', 'scale', 'ref', 'amin', 'topDb',
] as const satisfies readonly (keyof SpectrogramOptions)[];
const KNOWN_KEYS = new Set<string>([...OPTION_KEYS, 'preset']);

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** `value` as an integer in [min, max], or a typed error naming `name` (shared by every option resolver). */
export function integer(name: string, value: unknown, min: number, max: number, extra = ''): number {
  const range = `an integer in [${min}, ${max}]${extra}`;
  if (typeof value !== 'number') throw invalidType(`${name} must be ${range}, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) throw invalidRange(`${name} must be ${range}, got ${value}`);
  return value;
}

function finite(name: string, value: unknown, what: string): number {
  if (typeof value !== 'number') throw invalidType(`${name} must be ${what}, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw invalidRange(`${name} must be ${what}, got ${value}`);
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const list = allowed.map((a) => `'${a}'`).join(', ');
  if (typeof value !== 'string') throw invalidType(`${name} must be one of ${list}, got ${describe(value)}`);
  if (!(allowed as readonly string[]).includes(value)) throw invalidRange(`${name} must be one of ${list}, got ${describe(value)}`);
  return value as T;
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidType(`${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/**
 * Merges a preset (if named) with explicit options, fills librosa's defaults, and validates everything.
 * Without a preset the defaults are librosa's (= the `seed` preset). Derived defaults: winLength = nFft,
 * hopLength = floor(winLength / 4), fMax = sr / 2.
 */
export function resolveOptions(input: SpectrogramInput = {}): SpectrogramOptions {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalidType(`spectrogram options must be an object, got ${describe(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) {
      throw invalidType(`'${key}' is not a spectrogram option; known options: preset, ${OPTION_KEYS.join(', ')}`);
    }
  }
  let base: Partial<SpectrogramOptions> = {};
  if (input.preset !== undefined) {
    const preset = oneOf<PresetName>('preset', input.preset, presetNames);
    base = presetDefinitions[preset];
  }
  const given = input as Partial<Record<keyof SpectrogramOptions, unknown>>;
  const pick = <K extends keyof SpectrogramOptions>(key: K, fallback: () => unknown): unknown =>
    given[key] !== undefined ? given[key] : base[key] !== undefined ? base[key] : fallback();

  const sr = integer('sr', pick('sr', () => 22050), ...LIMITS.sr);
  const nFft = integer('nFft', pick('nFft', () => 2048), ...LIMITS.nFft);
  const winLength = integer('winLength', pick('winLength', () => nFft), 1, nFft, ' (at most nFft)');
  const hopLength = integer('hopLength', pick('hopLength', () => Math.max(1, Math.floor(winLength / 4))), ...LIMITS.hopLength);
  const window = oneOf('window', pick('window', () => 'hann'), WINDOWS);
  const center = boolean('center', pick('center', () => true));
  const padMode = oneOf('padMode', pick('padMode', () => 'constant'), PAD_MODES);

  const powerValue = pick('power', () => 2);
  if (typeof powerValue !== 'number') throw invalidType(`power must be 1 (magnitude) or 2 (power), got ${describe(powerValue)}`);
  if (powerValue !== 1 && powerValue !== 2) throw invalidRange(`power must be 1 (magnitude) or 2 (power), got ${powerValue}`);
  const power: 1 | 2 = powerValue;

  const nMels = integer('nMels', pick('nMels', () => 128), LIMITS.nMels[0], LIMITS.nMels[1], ' (0 = linear-frequency bins)');
  const nyquist = sr / 2;
  const fMax = finite('fMax', pick('fMax', () => nyquist), `a number in (fMin, sr/2 = ${nyquist}]`);
  if (fMax <= 0 || fMax > nyquist) throw invalidRange(`fMax must be a number in (fMin, sr/2 = ${nyquist}], got ${fMax}`);
  const fMin = finite('fMin', pick('fMin', () => 0), `a number in [0, fMax = ${fMax})`);
  if (fMin < 0 || fMin >= fMax) throw invalidRange(`fMin must be a number in [0, fMax = ${fMax}), got ${fMin}`);
  const htk = boolean('htk', pick('htk', () => false));
  const normValue = given.norm !== undefined ? given.norm : base.norm !== undefined ? base.norm : 'slaney';
  if (normValue !== null && normValue !== 'slaney') {
    const message = `norm must be 'slaney' or null, got ${describe(normValue)}`;
    throw typeof normValue === 'string' ? invalidRange(message) : invalidType(message);
  }
  const norm: 'slaney' | null = normValue;

  const scale = oneOf('scale', pick('scale', () => 'db'), SCALES);
  const refValue = pick('ref', () => 'max');
  let ref: 'max' | number;
  if (refValue === 'max') ref = 'max';
  else if (typeof refValue === 'number') {
    if (!Number.isFinite(refValue) || refValue <= 0) throw invalidRange(`ref must be 'max' or a finite number > 0, got ${refValue}`);
    ref = refValue;
  } else {
    const message = `ref must be 'max' or a finite number > 0, got ${describe(refValue)}`;
    throw typeof refValue === 'string' ? invalidRange(message) : invalidType(message);
  }
  const amin = finite('amin', pick('amin', () => 1e-10), 'a finite number > 0');
  if (amin <= 0) throw invalidRange(`amin must be a finite number > 0, got ${amin}`);
  const topDbValue = given.topDb !== undefined ? given.topDb : base.topDb !== undefined ? base.topDb : 80;
  let topDb: number | null = null;
  if (topDbValue !== null) {
    topDb = finite('topDb', topDbValue, 'null (no clipping) or a finite number >= 0');
    if (topDb < 0) throw invalidRange(`topDb must be null (no clipping) or a finite number >= 0, got ${topDb}`);
  }

  return { sr, nFft, hopLength, winLength, window, center, padMode, power, nMels, fMin, fMax, htk, norm, scale, ref, amin, topDb };
}

/** Every preset, resolved (no undefined values). */
export const presets: Readonly<Record<PresetName, Readonly<SpectrogramOptions>>> = Object.freeze(
  Object.fromEntries(presetNames.map((name) => [name, Object.freeze(resolveOptions({ preset: name }))])) as Record<
    PresetName,
    SpectrogramOptions
  >,
);

/**
 * librosa's frame count for nSamples: 1 + floor((n + 2*floor(nFft/2) - nFft) / hop) with center (1 + n // hop for
 * even nFft); 1 + floor((n - nFft) / hop) without, and 0 when there is no full frame. 0 samples give 0 frames.
 */
export function frameCount(nSamples: number, options: SpectrogramInput | SpectrogramOptions = {}): number {
  integer('nSamples', nSamples, 0, Number.MAX_SAFE_INTEGER);
  const o = resolveOptions(options);
  if (nSamples === 0) return 0;
  const padded = o.center ? nSamples + 2 * Math.floor(o.nFft / 2) : nSamples;
  return padded < o.nFft ? 0 : 1 + Math.floor((padded - o.nFft) / o.hopLength);
}
