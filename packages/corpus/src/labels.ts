// Label vocabularies: folder names and manifest/protocol values that mean "real" or "fake".
import type { Label } from './store-types';

/** Folder names (compared case-insensitively) that label everything below them. */
export const REAL_FOLDER_NAMES = ['real', 'reals', 'bonafide', 'bona_fide', 'bona-fide', 'genuine', 'human'];
export const FAKE_FOLDER_NAMES = ['fake', 'fakes', 'spoof', 'spoofed', 'synthetic', 'deepfake', 'deepfakes'];

export function labelFromFolderName(name: string): Label | null {
  const n = name.toLowerCase();
  if (REAL_FOLDER_NAMES.includes(n)) return 'real';
  if (FAKE_FOLDER_NAMES.includes(n)) return 'fake';
  return null;
}

const REAL_VALUES = new Set(['real', 'bonafide', 'bona-fide', 'bona_fide', 'genuine', '0']);
const FAKE_VALUES = new Set(['fake', 'spoof', 'spoofed', '1']);

/** A manifest label cell; `undefined` when the value is not a label at all (caller reports the row). */
export function parseLabelValue(value: string): Label | null | undefined {
  const v = value.trim().toLowerCase();
  if (v === '' || v === '-' || v === 'unknown' || v === 'null') return null;
  if (REAL_VALUES.has(v)) return 'real';
  if (FAKE_VALUES.has(v)) return 'fake';
  return undefined;
}
