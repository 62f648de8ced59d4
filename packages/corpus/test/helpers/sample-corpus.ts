import * as fs from 'fs';
import * as path from 'path';
import { tmpDir } from './tmp';
import { writeWav } from './wav';

export const SAMPLE_MANIFEST = path.join(__dirname, '../fixtures/manifest-sample.tsv');

/** A copy of the development-corpus manifest sample with a tiny WAV at every listed path. */
export function sampleCorpus(): string {
  const root = tmpDir();
  const text = fs.readFileSync(SAMPLE_MANIFEST, 'utf8');
  fs.writeFileSync(path.join(root, 'manifest.tsv'), text);
  text
    .trim()
    .split('\n')
    .slice(1)
    .forEach((l, i) => writeWav(path.join(root, l.split('\t')[0]!), 0.05, 200 + i, i + 1));
  return root;
}
