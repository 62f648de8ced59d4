// Sentence / recording keys and speakers derived from file names, for leak-free grouping.
//
// Policy (see README "Grouping"): two files belong to the same group when they share a speaker or a
// sentence key. Sentence keys come, in order of preference, from
//   1. a known corpus utterance id in the name (LJ Speech LJ001-0001, LibriSpeech 61-70968-0000, LibriTTS
//      61_70968_000000_000000, VCTK p225_001, JSUT BASIC5000_0001, ASVspoof LA_T_1234567) - global across
//      sources, so a vocoder copy of LJ048-0107 meets the real LJ048-0107 wherever both appear;
//   2. DeepVoice names ("biden-original", "biden-to-trump"): the source recording (biden);
//   3. demo-page structure: sites lay samples out as sentence x system tables, so files whose paths
//      differ in at most one directory (the system) and share the number in their stem ("0007.wav",
//      "gt_0007.wav", "ada4_0007.wav", same zero padding) are the same sentence; numbered case folders ("case3/gt.wav",
//      "case3/valle.wav") are one sentence. Scoped by source.
// Speakers: given ones (manifest, protocol) and those encoded in LibriSpeech/LibriTTS/VCTK ids.
// LJ Speech and JSUT are single-speaker corpora: treating their reader as a speaker key would put every
// such clip of every source on one side, so only their sentence ids are used.
import type { CorpusEntry } from './types';
import { labelFromFolderName } from './labels';

export interface UtteranceInfo {
  /** Speaker inferred from a corpus id (undefined when unknown). */
  speaker?: string;
  /** Sentence/recording keys; files sharing any key are grouped. Never empty. */
  keys: string[];
}

interface KnownId {
  re: RegExp;
  key: (m: RegExpMatchArray) => string;
  speaker?: (m: RegExpMatchArray) => string;
}

const KNOWN_IDS: KnownId[] = [
  { re: /LJ\d{3}-\d{4}/, key: (m) => `lj:${m[0]}` },
  {
    re: /(?<![\d-])(\d{1,5})-(\d{1,7})-(\d{4})(?![\d-])/,
    key: (m) => `librispeech:${+m[1]!}-${+m[2]!}-${m[3]}`,
    speaker: (m) => `librispeech-${+m[1]!}`,
  },
  {
    re: /(?<![\d_])(\d{1,5})_(\d{1,7})_(\d{6})_(\d{6})(?![\d_])/,
    key: (m) => `libritts:${+m[1]!}_${+m[2]!}_${m[3]}_${m[4]}`,
    speaker: (m) => `librispeech-${+m[1]!}`,
  },
  { re: /(?<![A-Za-z0-9])p(\d{3})_(\d{3})(?!\d)/, key: (m) => `vctk:p${m[1]}_${m[2]}`, speaker: (m) => `vctk-p${m[1]}` },
  { re: /BASIC5000_\d{4}/, key: (m) => `jsut:${m[0]}` },
  { re: /(?:LA|PA|DF)_[TDE]_\d{7}/, key: (m) => `asvspoof:${m[0]}` },
];

const DEEPVOICE = /^([a-z]+)-(?:original|to-[a-z]+)$/i;

function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** The path that best describes where a clip sits in its original publication, as components. */
export function structuralPath(entry: Pick<CorpusEntry, 'id' | 'source' | 'originalPath'>): string[] {
  if (entry.originalPath) {
    const p = entry.originalPath.replace(/@[^/@]*$/, '');
    return p.split(/[\\/]/).filter((c) => c.length > 0);
  }
  const parts = entry.id.split('/').filter((c) => c.length > 0);
  const base = parts[parts.length - 1] ?? '';
  if (base.includes('__')) {
    // Flattened names ("source__dir__dir__stem.flac", as in melguard's development corpus).
    const comps = base.split('__');
    if (entry.source !== undefined && comps[0] === entry.source) comps.shift();
    return comps;
  }
  return parts.filter((c, i) => i === parts.length - 1 || labelFromFolderName(c) === null);
}

/**
 * Longest run of digits in a stem (last one on ties), zero padding kept: a table numbers its rows with one
 * width ("0007" in every column), while unrelated series in one folder often differ ("gtts_007" vs "elevenlabs_0007").
 */
function numberToken(stem: string): string | null {
  let best: string | null = null;
  for (const m of stem.matchAll(/\d+/g)) if (best === null || m[0].length >= best.length) best = m[0];
  return best;
}

export function utteranceInfo(entry: Pick<CorpusEntry, 'id' | 'source' | 'originalPath'>): UtteranceInfo {
  const comps = structuralPath(entry);
  const stem = stemOf(comps[comps.length - 1] ?? entry.id);
  const dirs = comps.slice(0, -1);
  const whole = [...dirs, stem].join('/');

  for (const target of [stem, whole]) {
    for (const k of KNOWN_IDS) {
      const m = target.match(k.re);
      if (m) return { keys: [k.key(m)], ...(k.speaker ? { speaker: k.speaker(m) } : {}) };
    }
  }

  const scope = `${entry.source ?? ''}|`;
  const dv = stem.match(DEEPVOICE);
  if (dv) return { keys: [`deepvoice:${scope}${dv[1]!.toLowerCase()}`] };

  const token = numberToken(stem);
  if (token !== null) {
    const keys = [`${scope}${dirs.join('/')}#${token}`];
    for (let i = 0; i < dirs.length; i++) keys.push(`${scope}${[...dirs.slice(0, i), '*', ...dirs.slice(i + 1)].join('/')}#${token}`);
    // First key: same folder, same number ("gt1", "st1", "tt1"; "recording_0", "naturalspeech_0").
    // Others: same place in a table whose system column is folder i ("fs2/0007", "tacotron2/0007").
    return { keys };
  }
  const caseDir = dirs[dirs.length - 1];
  if (caseDir !== undefined && /\d/.test(caseDir)) return { keys: [`${scope}${dirs.join('/')}/`] };
  return { keys: [`file:${entry.id}`] };
}
