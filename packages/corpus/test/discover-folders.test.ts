import * as fs from 'fs';
import * as path from 'path';
import { CorpusError, discoverCorpus, discoverCorpusDetailed } from '../src';
import { cleanupTmp, tmpDir } from './helpers/tmp';
import { writeWav } from './helpers/wav';

afterAll(cleanupTmp);

function tree(files: string[]): string {
  const root = tmpDir();
  files.forEach((f, i) => writeWav(path.join(root, f), 0.05, 300 + i, i + 1));
  return root;
}

describe('label-folder layout', () => {
  it('labels by the nearest REAL/FAKE folder, case-insensitively, at any depth, in a stable order', () => {
    const root = tree(['FAKE/b.wav', 'REAL/a.WAV', 'sub/deeper/Real/c.flac', 'sub/deeper/fake/melgan/d.mp3', 'REAL/x/fake/e.ogg', 'misc/f.opus']);
    const d = discoverCorpusDetailed(root);
    expect(d.layout).toBe('label-folders');
    expect(d.entries.map((e) => [e.id, e.label])).toEqual([
      ['FAKE/b.wav', 'fake'],
      ['REAL/a.WAV', 'real'],
      ['REAL/x/fake/e.ogg', 'fake'],
      ['sub/deeper/Real/c.flac', 'real'],
      ['sub/deeper/fake/melgan/d.mp3', 'fake'],
    ]);
    expect(d.skipped.map((s) => path.relative(root, s.path))).toEqual(['misc/f.opus']);
    expect(d.entries.every((e) => path.isAbsolute(e.path) && fs.existsSync(e.path))).toBe(true);
  });

  it('takes the source from folders above the label folder and the method from the folder below FAKE/', () => {
    const root = tree(['wavefake/REAL/LJ001-0001.wav', 'wavefake/FAKE/melgan/LJ001-0001_gen.wav', 'wavefake/FAKE/hifigan/LJ001-0001_gen.wav', 'other/FAKE/x.wav']);
    const byId = new Map(discoverCorpus(root).map((e) => [e.id, e]));
    expect(byId.get('wavefake/FAKE/melgan/LJ001-0001_gen.wav')).toMatchObject({ source: 'wavefake', method: 'melgan', label: 'fake' });
    expect(byId.get('wavefake/REAL/LJ001-0001.wav')).toMatchObject({ source: 'wavefake', label: 'real' });
    expect(byId.get('wavefake/REAL/LJ001-0001.wav')!.method).toBeUndefined();
    expect(byId.get('other/FAKE/x.wav')!.method).toBeUndefined();
    // Copy-synthesis of one sentence and its original share a group.
    const groups = new Set(['wavefake/REAL/LJ001-0001.wav', 'wavefake/FAKE/melgan/LJ001-0001_gen.wav', 'wavefake/FAKE/hifigan/LJ001-0001_gen.wav'].map((id) => byId.get(id)!.group));
    expect([...groups]).toEqual(['lj:LJ001-0001']);
  });

  it('reads the DeepVoice KAGGLE/AUDIO/REAL layout and groups conversions with their source recording', () => {
    const root = tree(['KAGGLE/AUDIO/REAL/biden-original.wav', 'KAGGLE/AUDIO/REAL/trump-original.wav', 'KAGGLE/AUDIO/FAKE/biden-to-trump.wav', 'KAGGLE/AUDIO/FAKE/trump-to-biden.wav', 'KAGGLE/DATASET-balanced.csv']);
    const entries = discoverCorpus(root);
    expect(entries.map((e) => [e.id, e.label, e.source])).toEqual([
      ['KAGGLE/AUDIO/FAKE/biden-to-trump.wav', 'fake', undefined],
      ['KAGGLE/AUDIO/FAKE/trump-to-biden.wav', 'fake', undefined],
      ['KAGGLE/AUDIO/REAL/biden-original.wav', 'real', undefined],
      ['KAGGLE/AUDIO/REAL/trump-original.wav', 'real', undefined],
    ]);
    const g = Object.fromEntries(entries.map((e) => [path.basename(e.id), e.group]));
    expect(g['biden-to-trump.wav']).toBe(g['biden-original.wav']);
    expect(g['trump-to-biden.wav']).toBe(g['trump-original.wav']);
    expect(g['biden-original.wav']).not.toBe(g['trump-original.wav']);
  });

  it('accepts bonafide/spoof and genuine folder names', () => {
    const root = tree(['bonafide/a.wav', 'spoof/b.wav', 'Genuine/c.wav']);
    expect(discoverCorpus(root).map((e) => e.label)).toEqual(['real', 'real', 'fake']);
  });

  it('ignores hidden files (macOS "._" forks), non-audio files and audio-looking folders', () => {
    const root = tree(['REAL/a.wav', 'FAKE/b.flac']);
    fs.writeFileSync(path.join(root, 'REAL/._a.wav'), 'x');
    fs.writeFileSync(path.join(root, 'REAL/notes.txt'), 'x');
    fs.mkdirSync(path.join(root, 'FAKE/folder.wav'));
    fs.mkdirSync(path.join(root, '.cache/REAL'), { recursive: true });
    writeWav(path.join(root, '.cache/REAL/z.wav'));
    expect(discoverCorpus(root).map((e) => e.id)).toEqual(['FAKE/b.flac', 'REAL/a.wav']);
  });

  it('gives the same entries whatever order the filesystem lists them in', () => {
    const names = ['REAL/b.wav', 'REAL/a.wav', 'FAKE/c.wav', 'FAKE/A.wav', 'REAL/10.wav', 'REAL/9.wav'];
    const one = discoverCorpus(tree(names)).map((e) => e.id);
    const two = discoverCorpus(tree([...names].reverse())).map((e) => e.id);
    expect(one).toEqual(two);
    expect(one).toEqual([...one].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('unlabelled folders and layout override', () => {
  it('lists every audio file with label null when there are no label folders', () => {
    const root = tree(['x/one.wav', 'two.FLAC', 'y/z/three.mp3']);
    const d = discoverCorpusDetailed(root);
    expect(d.layout).toBe('unlabelled');
    expect(d.entries.map((e) => [e.id, e.label])).toEqual([
      ['two.FLAC', null],
      ['x/one.wav', null],
      ['y/z/three.mp3', null],
    ]);
  });

  it('can be forced onto a labelled tree (scan everything, labels ignored)', () => {
    const root = tree(['REAL/a.wav', 'FAKE/b.wav', 'other/c.wav']);
    const d = discoverCorpusDetailed(root, { layout: 'unlabelled' });
    expect(d.entries.map((e) => e.label)).toEqual([null, null, null]);
    expect(() => discoverCorpus(path.join(root, 'REAL/a.wav'), { layout: 'label-folders' })).toThrow(expect.objectContaining({ code: 'E_LAYOUT' }));
  });
});

describe('errors', () => {
  it('a missing root is ENOENT with the path', () => {
    const missing = path.join(tmpDir(), 'nope');
    let err: unknown;
    try {
      discoverCorpus(missing);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorpusError);
    expect(err).toMatchObject({ code: 'ENOENT', path: missing });
  });

  it('a folder without audio is E_EMPTY_CORPUS; label folders with nothing in them too', () => {
    const root = tmpDir();
    fs.writeFileSync(path.join(root, 'readme.txt'), 'x');
    expect(() => discoverCorpus(root)).toThrow(expect.objectContaining({ code: 'E_EMPTY_CORPUS' }));
    fs.mkdirSync(path.join(root, 'REAL'));
    writeWav(path.join(root, 'elsewhere/a.wav'));
    expect(() => discoverCorpus(root, { layout: 'label-folders' })).toThrow(expect.objectContaining({ code: 'E_EMPTY_CORPUS' }));
  });

  it('an unknown file type as corpus is E_LAYOUT', () => {
    const f = path.join(tmpDir(), 'x.bin');
    fs.writeFileSync(f, 'hello');
    expect(() => discoverCorpus(f)).toThrow(expect.objectContaining({ code: 'E_LAYOUT' }));
  });
});
