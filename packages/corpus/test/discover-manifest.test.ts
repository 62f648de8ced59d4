import * as fs from 'fs';
import * as path from 'path';
import { discoverCorpus, discoverCorpusDetailed, readManifest } from '../src';
import { cleanupTmp, tmpDir } from './helpers/tmp';
import { sampleCorpus } from './helpers/sample-corpus';
import { writeWav } from './helpers/wav';

afterAll(cleanupTmp);

describe('manifest TSV (the development corpus format)', () => {
  it('is detected in a folder and read with source, method and speaker', () => {
    const root = sampleCorpus();
    const d = discoverCorpusDetailed(root);
    expect(d.layout).toBe('manifest');
    expect(d.entries).toHaveLength(33);
    const e = d.entries.find((x) => x.id === 'REAL/librispeech_testclean__1221-135766-0000.flac')!;
    expect(e).toMatchObject({ label: 'real', source: 'librispeech_testclean', method: 'LibriSpeech test-clean (bona fide, CC-BY-4.0)', speaker: 'librispeech-1221' });
    expect(e.path).toBe(path.join(root, 'REAL/librispeech_testclean__1221-135766-0000.flac'));
    const f = d.entries.find((x) => x.id === 'FAKE/markhershey_wavefake__anomalies__LJ048-0107_gen.flac')!;
    expect(f).toMatchObject({ label: 'fake', source: 'markhershey_wavefake', method: 'WaveFake ljspeech_melgan (MelGAN vocoder copy-synthesis)', originalPath: 'anomalies/LJ048-0107_gen.wav@79550a00442c' });
    expect(f.speaker).toBeUndefined();
    expect(d.entries.filter((x) => x.label === 'real')).toHaveLength(13);
  });

  it('the manifest wins over the REAL/FAKE folders it sits next to, and can be passed directly', () => {
    const root = sampleCorpus();
    expect(discoverCorpus(path.join(root, 'manifest.tsv')).map((e) => e.id)).toEqual(discoverCorpus(root).map((e) => e.id));
    expect(discoverCorpusDetailed(root, { layout: 'label-folders' }).entries.every((e) => e.source === undefined)).toBe(true);
  });

  it('lists every row whose file is missing (E_MISSING_FILES), or skips them with allowMissing', () => {
    const root = sampleCorpus();
    const gone = ['REAL/pwg_demo__wav__ljspeech__raw__LJ050-0029.flac', 'FAKE/pwg_demo__wav__ljspeech__r9y9_wavegan__LJ050-0029.flac'];
    for (const g of gone) fs.rmSync(path.join(root, g));
    let err: any;
    try {
      discoverCorpus(root);
    } catch (e) {
      err = e;
    }
    expect(err.code).toBe('E_MISSING_FILES');
    expect([...err.details.missing].sort()).toEqual(gone.map((g) => path.join(root, g)).sort());
    expect(err.message).toContain('2 listed file(s) not found');
    const d = discoverCorpusDetailed(root, { allowMissing: true });
    expect(d.entries).toHaveLength(31);
    expect(d.skipped.map((s) => path.relative(root, s.path)).sort()).toEqual([...gone].sort());
  });
});

describe('manifest CSV', () => {
  it('reads quoted cells, 0/1 and bonafide/spoof labels, CRLF line ends and aliases', () => {
    const root = tmpDir();
    writeWav(path.join(root, 'clips/a, b.wav'));
    writeWav(path.join(root, 'clips/c.wav'));
    writeWav(path.join(root, 'clips/d.wav'));
    writeWav(path.join(root, 'clips/e.wav'));
    const csv = ['File,Class,System,Speaker', '"clips/a, b.wav",0,,spk1', 'clips/c.wav,1,"A07 ""big""",spk1', 'clips/d.wav,bonafide,,spk2', 'clips/e.wav,SPOOF,A08,'].join('\r\n') + '\r\n';
    fs.writeFileSync(path.join(root, 'list.csv'), csv);
    const entries = discoverCorpus(path.join(root, 'list.csv'));
    expect(entries.map((e) => [e.id, e.label, e.method ?? null, e.speaker ?? null])).toEqual([
      ['clips/a, b.wav', 'real', null, 'spk1'],
      ['clips/c.wav', 'fake', 'A07 "big"', 'spk1'],
      ['clips/d.wav', 'real', null, 'spk2'],
      ['clips/e.wav', 'fake', 'A08', null],
    ]);
    // Same speaker -> same group.
    expect(entries[0]!.group).toBe(entries[1]!.group);
    expect(entries[0]!.group).not.toBe(entries[2]!.group);
  });

  it('rejects a manifest without path/label columns, with bad labels or duplicate paths (E_BAD_MANIFEST)', () => {
    const root = tmpDir();
    writeWav(path.join(root, 'a.wav'));
    const write = (text: string) => {
      fs.writeFileSync(path.join(root, 'm.csv'), text);
      return path.join(root, 'm.csv');
    };
    expect(() => readManifest(write('file,kind\na.wav,real\n'))).toThrow(expect.objectContaining({ code: 'E_BAD_MANIFEST', message: expect.stringContaining('"path" and "label"') }));
    expect(() => readManifest(write('path,label\na.wav,maybe\n'))).toThrow(expect.objectContaining({ code: 'E_BAD_MANIFEST', message: expect.stringContaining('line 2') }));
    expect(() => readManifest(write('path,label\na.wav,real\n./a.wav,fake\n'))).toThrow(expect.objectContaining({ code: 'E_BAD_MANIFEST', message: expect.stringContaining('duplicate') }));
    expect(readManifest(write('path,label\na.wav,\n')).entries[0]!.label).toBeNull();
  });
});
