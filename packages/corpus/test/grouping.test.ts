import { assignGroups, discoverCorpus, utteranceInfo, type CorpusEntry } from '../src';
import { sampleCorpus } from './helpers/sample-corpus';
import { cleanupTmp } from './helpers/tmp';

afterAll(cleanupTmp);

describe('grouping on development-corpus names', () => {
  let byName: Map<string, CorpusEntry>;
  const group = (stemPart: string) => {
    const hits = [...byName.values()].filter((e) => e.id.includes(stemPart));
    if (hits.length !== 1) throw new Error(`${stemPart} matches ${hits.length} entries`);
    return hits[0]!.group;
  };

  beforeAll(() => {
    byName = new Map(discoverCorpus(sampleCorpus()).map((e) => [e.id, e]));
  });

  it('puts a WaveFake copy-synthesis and its LJ Speech original in one group', () => {
    expect(group('LJ048-0107_gen')).toBe(group('REAL/markhershey_wavefake__anomalies__LJ048-0107'));
    expect(group('LJ048-0107_gen')).toBe('lj:LJ048-0107');
  });

  it('puts every vocoder of one LJ sentence with its original, across demo folders', () => {
    const names = ['kan-bayashi_fb-melgan__LJ050-0029', 'kan-bayashi_hifigan__LJ050-0029', 'r9y9_wavegan__LJ050-0029', 'raw__LJ050-0029'];
    expect(new Set(names.map(group))).toEqual(new Set(['lj:LJ050-0029']));
    expect(group('raw__BASIC5000_0001')).toBe(group('kan-bayashi_wavegan.v1__BASIC5000_0001'));
    expect(group('raw__BASIC5000_0001')).not.toBe(group('raw__LJ050-0029'));
  });

  it('reads demo-page tables: same row number across system folders is one sentence', () => {
    expect(group('tacotron2__0000000019')).toBe(group('gt_recording_2__0000000019'));
    expect(group('fs2__0000000019')).toBe(group('gt_recording_2__0000000019'));
    expect(group('tacotron2__0000000003')).toBe(group('gt_recording_2__0000000003'));
    expect(group('tacotron2__0000000003')).not.toBe(group('tacotron2__0000000019'));
    expect(new Set(['speechtransducer__gt1', 'speechtransducer__st1', 'speechtransducer__tt1'].map(group)).size).toBe(1);
    expect(new Set(['case1__gt', 'case1__reference', 'case1__ns', 'case1__yourtts'].map(group)).size).toBe(1);
  });

  it('groups LibriSpeech by speaker, across sources (a NaturalSpeech 3 reconstruction of speaker 121)', () => {
    expect(group('121-121726-0000')).toBe('spk:librispeech-121');
    expect(group('121-121726-0001')).toBe('spk:librispeech-121');
    expect(group('recon__gt__121-127105-0006')).toBe('spk:librispeech-121');
    expect(byName.get('REAL/msr_speechresearch__naturalspeech3__audio__recon__gt__121-127105-0006.flac')!.speaker).toBe('librispeech-121');
    expect(group('1221-135766-0000')).toBe('spk:librispeech-1221');
  });

  it('links gTTS/pyttsx3 renderings of one numbered text but not series numbered with another width', () => {
    expect(group('gtts_000')).toBe(group('pyttsx3_000'));
    expect(group('elevenlabs_0000')).toBe(group('librispeech_0000'));
    expect(group('gtts_000')).not.toBe(group('elevenlabs_0000'));
  });

  it('finds exactly the 11 sentences/speakers of the sample (nothing collapses into one component)', () => {
    // LJ048-0107, LJ050-0029, BASIC5000_0001, fastspeech2 rows 3 and 19, speechtransducer 1, case1,
    // speakers 121 and 1221, gtts/pyttsx3 000, elevenlabs/librispeech 0000.
    const groups = new Set([...byName.values()].map((e) => e.group));
    expect(groups.size).toBe(11);
  });
});

describe('utteranceInfo and assignGroups', () => {
  const entry = (id: string, extra: Partial<CorpusEntry> = {}) => ({ id, path: `/x/${id}`, label: 'fake' as const, ...extra });

  it('recognises corpus ids and the speakers they encode', () => {
    expect(utteranceInfo(entry('FAKE/p225_003_vits.wav'))).toEqual({ keys: ['vctk:p225_003'], speaker: 'vctk-p225' });
    expect(utteranceInfo(entry('x/84_121123_000007_000001.wav'))).toEqual({ keys: ['libritts:84_121123_000007_000001'], speaker: 'librispeech-84' });
    expect(utteranceInfo(entry('flac/LA_T_1138215.flac'))).toEqual({ keys: ['asvspoof:LA_T_1138215'] });
    expect(utteranceInfo(entry('rec/2021-03-05_take.wav')).speaker).toBeUndefined();
  });

  it('unites groups transitively: shared speaker OR shared sentence', () => {
    const out = assignGroups([
      entry('a/LJ001-0001.wav', { speaker: 'S1' }),
      entry('b/LJ001-0001_gen.wav'),
      entry('c/other.wav', { speaker: 'S1' }),
      entry('d/lonely.wav'),
    ]);
    expect(out.map((e) => e.group)).toEqual(['spk:S1', 'spk:S1', 'spk:S1', 'file:d/lonely.wav']);
  });

  it('can group by sentence only or speaker only', () => {
    const input = [entry('a/LJ001-0001.wav', { speaker: 'S1' }), entry('b/LJ001-0001_gen.wav'), entry('c/x.wav', { speaker: 'S1' })];
    expect(assignGroups(input, { bySpeaker: false }).map((e) => e.group)).toEqual(['lj:LJ001-0001', 'lj:LJ001-0001', 'file:c/x.wav']);
    expect(assignGroups(input, { bySentence: false }).map((e) => e.group)).toEqual(['spk:S1', 'file:b/LJ001-0001_gen.wav', 'spk:S1']);
  });

  it('names groups independently of input order', () => {
    const input = [entry('x/gt/0001.wav'), entry('x/fs2/0001.wav'), entry('x/gt/0002.wav'), entry('x/fs2/0002.wav')];
    const a = assignGroups(input).map((e) => [e.id, e.group]);
    const b = assignGroups([...input].reverse()).map((e) => [e.id, e.group]);
    expect(new Map(a as [string, string][])).toEqual(new Map(b as [string, string][]));
    expect(new Set(a.map((x) => x[1])).size).toBe(2);
  });
});
