// copySynthesisCommand with the real engine: a combined corpus (links + FLAC pseudo-fakes + manifest) that
// discovery reads back, pseudo-fakes grouped with their reals, splits extended on the train side only, reruns
// that reuse, and clear errors for folders that would mix or nest corpora.
import * as dsp from '@melguard/dsp';
import * as fs from 'fs';
import * as path from 'path';
import { COPY_SYNTHESIS_METHOD, copySynthesisCommand, discoverCorpusDetailed, makeSplit, pseudoFakeId, readSplitFile, splitCommand } from '../src';
import { sampleCorpus } from './helpers/sample-corpus';
import { cleanupTmp, tmpDir } from './helpers/tmp';

afterAll(cleanupTmp);

const FAST = { nIter: 4 };

describe('copySynthesisCommand', () => {
  it('writes a pseudo-fake of every real, a manifest of both, and discovery groups each with its real', async () => {
    const root = sampleCorpus();
    const out = path.join(tmpDir(), 'combined');
    const r = await copySynthesisCommand({ corpus: root, out, options: FAST });
    expect(r).toMatchObject({ reals: 13, written: 13, reused: 0, failures: [] });

    const d = discoverCorpusDetailed(r.manifest);
    expect(d.entries.filter((e) => e.label === 'real')).toHaveLength(13);
    expect(d.entries.filter((e) => e.label === 'fake')).toHaveLength(20 + 13);
    const original = discoverCorpusDetailed(root).entries;
    for (const real of original.filter((e) => e.label === 'real')) {
      const fake = d.entries.find((e) => e.id === pseudoFakeId(real.id))!;
      expect(fake).toMatchObject({ label: 'fake', method: COPY_SYNTHESIS_METHOD, source: real.source });
      expect(fake.group).toBe(d.entries.find((e) => e.id === real.id)!.group); // never split apart
      const [a, b] = await Promise.all([dsp.loadAudio(real.path), dsp.loadAudio(fake.path)]);
      expect(b.sampleRate).toBe(16000);
      expect(b.samples.length).toBe(a.samples.length);
    }
    // the original files are reachable under their own ids, so existing split files still name them
    for (const e of original) expect(fs.realpathSync(path.join(out, e.id))).toBe(fs.realpathSync(e.path));
    const split = makeSplit(d.entries, { policy: 'grouped', seed: 2 });
    const train = new Set(split.train);
    for (const real of original.filter((e) => e.label === 'real')) expect(train.has(pseudoFakeId(real.id))).toBe(train.has(real.id));
  });

  it('with splits: resynthesises train-side reals only and adds them to the train side, validation untouched', async () => {
    const root = sampleCorpus();
    const splitFile = path.join(tmpDir(), 'grouped.json');
    const split = splitCommand({ input: root, out: splitFile, seed: 4 });
    const out = tmpDir();
    const r = await copySynthesisCommand({ corpus: root, out, splits: [splitFile], options: FAST });
    const trainReals = discoverCorpusDetailed(root).entries.filter((e) => e.label === 'real' && split.train.includes(e.id));
    expect(trainReals.length).toBeGreaterThan(0);
    expect(r.reals).toBe(trainReals.length);
    expect(r.splits).toEqual([{ from: splitFile, to: path.join(out, 'splits', 'grouped.json'), added: trainReals.length }]);
    const extended = readSplitFile(r.splits[0].to);
    expect(extended.val).toEqual(split.val);
    expect(extended.train).toEqual([...split.train, ...trainReals.map((e) => pseudoFakeId(e.id))]);
    expect(extended.counts.train.fake).toBe(split.counts.train.fake + trainReals.length);
    expect(extended.counts.train.byMethod[COPY_SYNTHESIS_METHOD]).toBe(trainReals.length);
    expect(extended.counts.val).toEqual(split.counts.val);
  });

  it('a rerun reuses what exists and removes what an interrupted run left half-written; other settings in the same folder are refused', async () => {
    const root = sampleCorpus();
    const out = tmpDir();
    await copySynthesisCommand({ corpus: root, out, options: FAST });
    const made = (fs.readdirSync(path.join(out, 'copy-synthesis'), { recursive: true }) as string[]).find((f) => f.endsWith('.flac'))!;
    const halfWritten = path.join(out, 'copy-synthesis', `${made}.tmp-123-abc`);
    fs.writeFileSync(halfWritten, 'partial');
    const again = await copySynthesisCommand({ corpus: root, out, options: FAST });
    expect(again).toMatchObject({ written: 0, reused: 13 });
    expect(fs.existsSync(halfWritten)).toBe(false);
    await expect(copySynthesisCommand({ corpus: root, out, options: { nIter: 5 } })).rejects.toMatchObject({ code: 'E_BAD_ARGUMENT', message: /other settings/ });
  });

  it('refuses an output folder inside the corpus, bad options and a corpus without reals', async () => {
    const root = sampleCorpus();
    await expect(copySynthesisCommand({ corpus: root, out: path.join(root, 'pseudo') })).rejects.toMatchObject({ code: 'E_BAD_ARGUMENT', message: /inside the corpus/ });
    await expect(copySynthesisCommand({ corpus: root, out: tmpDir(), options: { nFft: 1001 } })).rejects.toMatchObject({ code: 'E_BAD_ARGUMENT', message: /nFft must be even/ });
    await expect(copySynthesisCommand({ corpus: root, out: tmpDir(), concurrency: 0 })).rejects.toMatchObject({ code: 'E_BAD_ARGUMENT' });
    const fakesOnly = tmpDir();
    const rows = fs.readFileSync(path.join(root, 'manifest.tsv'), 'utf8').trim().split('\n');
    fs.writeFileSync(path.join(root, 'fakes.tsv'), [rows[0], ...rows.slice(1).filter((l) => l.split('\t')[1] === 'fake')].join('\n') + '\n');
    await expect(copySynthesisCommand({ corpus: path.join(root, 'fakes.tsv'), out: fakesOnly })).rejects.toMatchObject({ code: 'E_NO_LABELS' });
  });

  it('an undecodable real is reported as a failure and left out of the manifest, not a crash', async () => {
    const root = sampleCorpus();
    const real = discoverCorpusDetailed(root).entries.find((e) => e.label === 'real')!;
    fs.writeFileSync(real.path, 'not audio');
    const r = await copySynthesisCommand({ corpus: root, out: tmpDir(), options: FAST });
    expect(r.failures).toEqual([expect.objectContaining({ id: real.id, code: expect.stringMatching(/^E_/) })]);
    expect(r.written).toBe(12);
    expect(fs.readFileSync(r.manifest, 'utf8')).not.toContain(pseudoFakeId(real.id));
  });
});
