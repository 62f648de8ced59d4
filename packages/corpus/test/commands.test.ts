import * as fs from 'fs';
import * as path from 'path';
import { analyzeCommand, describeCorpus, featuresCommand, formatProgress, readSplitFile, splitCommand } from '../src';
import { fakeExtractor } from './helpers/fake-extractor';
import { sampleCorpus } from './helpers/sample-corpus';
import { cleanupTmp, tmpDir } from './helpers/tmp';

afterAll(cleanupTmp);

describe('CLI-facing commands', () => {
  it('describeCorpus summarises layout, labels per source and groups', () => {
    const s = describeCorpus({ corpus: sampleCorpus() });
    expect(s).toMatchObject({ layout: 'manifest', files: 33, real: 13, fake: 20, unlabelled: 0, skipped: 0 });
    expect(s.sources.pwg_demo).toEqual({ real: 2, fake: 8, unlabelled: 0 });
    expect(s.groups.groups).toBe(11);
    expect(s.groups.largest[0]).toEqual({ group: 'lj:LJ050-0029', files: 8 });
  });

  it('featuresCommand discovers, extracts with a preset and records the corpus root; splitCommand reads the store', async () => {
    const root = sampleCorpus();
    const out = tmpDir();
    const fx = fakeExtractor();
    const res = await featuresCommand({ corpus: root, out, preset: 'speech16k', windowing: { windowSeconds: 0.04, minSeconds: 0.01 }, extract: fx.extract });
    expect(res.discovery.files).toBe(33);
    expect(res.extracted).toBe(33);
    expect(res.index.presetName).toBe('speech16k');
    expect(res.index.root).toBe(root);
    expect(res.index.shape).toEqual([80, 5]); // 1 + 640/160 frames
    const file = path.join(tmpDir(), 'split.json');
    const split = splitCommand({ input: out, out: file, seed: 3 });
    expect(readSplitFile(file)).toEqual(split);
    expect(split.train.length + split.val.length).toBe(33);
    expect(splitCommand({ input: root, out: file, seed: 3 })).toEqual(split); // same groups from the corpus itself
  });

  it('analyzeCommand accepts a corpus and leaves features next to the images', async () => {
    const root = sampleCorpus();
    const out = tmpDir();
    const res = await analyzeCommand({ input: root, out, preset: 'speech16k', windowing: { windowSeconds: 0.04, minSeconds: 0.01 }, extract: fakeExtractor().extract });
    expect(res.analysis.files).toEqual({ real: 13, fake: 20, unlabelled: 0 });
    expect(fs.existsSync(path.join(out, 'features/index.json'))).toBe(true);
    expect(res.analysis.bandsHz).toHaveLength(80);
  });

  it('formats a progress line', () => {
    expect(formatProgress({ files: 50, total: 200, extracted: 40, reused: 10, failed: 2, filesPerSec: 12.345, xRealtime: 2210.4, etaSeconds: 75, elapsedSeconds: 4 }, 10)).toBe(
      '[###-------]   50/200 files  12.3 files/s  2210x realtime  ETA 1:15  (10 cached, 2 failed)',
    );
    expect(formatProgress({ files: 0, total: 3, extracted: 0, reused: 0, failed: 0, filesPerSec: 0, xRealtime: 0, etaSeconds: Infinity, elapsedSeconds: 0 }, 4)).toBe('[----]  0/3 files  0.0 files/s  0x realtime  ETA --:--');
  });
});
