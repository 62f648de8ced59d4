import * as fs from 'fs';
import * as path from 'path';
import { discoverCorpus, discoverCorpusDetailed, parseProtocolLine } from '../src';
import { cleanupTmp, tmpDir } from './helpers/tmp';
import { writeWav } from './helpers/wav';

afterAll(cleanupTmp);

const LA2019 = [
  'LA_0079 LA_T_1138215 - - bonafide',
  'LA_0079 LA_T_1271820 - A01 spoof',
  'LA_0080 LA_T_1272637 - A06 spoof',
  'LA_0080 LA_T_1276960 - - bonafide',
  'LA_0081 LA_T_1341447 - A04 spoof',
];

/** ASVspoof 2019 LA layout: LA/ASVspoof2019_LA_cm_protocols/*.txt and LA/ASVspoof2019_LA_train/flac/*.flac */
function la2019(): string {
  const la = tmpDir();
  fs.mkdirSync(path.join(la, 'ASVspoof2019_LA_cm_protocols'), { recursive: true });
  fs.writeFileSync(path.join(la, 'ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.train.trn.txt'), LA2019.join('\n') + '\n');
  LA2019.forEach((l, i) => writeWav(path.join(la, 'ASVspoof2019_LA_train/flac', `${l.split(' ')[1]}.flac`), 0.05, 300, i + 1));
  return la;
}

describe('ASVspoof protocol rows', () => {
  it('parses 2019 (5 columns) and 2021 LA/DF (more columns) rows', () => {
    expect(parseProtocolLine('LA_0079 LA_T_1271820 - A01 spoof', 1)).toEqual({ line: 1, speaker: 'LA_0079', utt: 'LA_T_1271820', method: 'A01', label: 'fake' });
    expect(parseProtocolLine('LA_0079 LA_T_1138215 - - bonafide', 2)).toEqual({ line: 2, speaker: 'LA_0079', utt: 'LA_T_1138215', label: 'real' });
    expect(parseProtocolLine('LA_0009 LA_E_9332881 alaw ita_tx A07 spoof notrim eval', 3)).toEqual({ line: 3, speaker: 'LA_0009', utt: 'LA_E_9332881', method: 'A07', label: 'fake' });
    expect(parseProtocolLine('LA_0023 DF_E_2000011 nocodec asvspoof A14 spoof notrim progress traditional_vocoder - - - -', 4)).toMatchObject({ utt: 'DF_E_2000011', method: 'A14', label: 'fake' });
    expect(parseProtocolLine('TEF2 DF_E_2000013 low_m4a vcc2020 Task1-team20 spoof notrim eval neural_vocoder_nonautoregressive Task1 team20 FF E', 5)).toMatchObject({ speaker: 'TEF2', method: 'Task1-team20' });
    expect(parseProtocolLine('LA_0031 DF_E_2000027 mp3m4a asvspoof bonafide bonafide notrim eval - - - - -', 6)).toEqual({ line: 6, speaker: 'LA_0031', utt: 'DF_E_2000027', label: 'real' });
    expect(parseProtocolLine('   ', 7)).toBeNull();
    expect(parseProtocolLine('LA_0079 LA_T_1 - A01', 8)).toMatch(/line 8/);
    expect(parseProtocolLine('LA_0079 LA_T_1 - A01 maybe', 9)).toMatch(/bonafide\/spoof/);
  });
});

describe('ASVspoof 2019 LA', () => {
  it('finds UTT_ID.flac below the folder, labels, methods, speakers; groups by speaker', () => {
    const la = la2019();
    const d = discoverCorpusDetailed(path.join(la, 'ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.train.trn.txt'));
    expect(d.layout).toBe('asvspoof');
    expect(d.entries.map((e) => [e.id, e.label, e.method ?? '-', e.speaker, e.source])).toEqual([
      ['ASVspoof2019_LA_train/flac/LA_T_1138215.flac', 'real', '-', 'LA_0079', 'ASVspoof2019.LA'],
      ['ASVspoof2019_LA_train/flac/LA_T_1271820.flac', 'fake', 'A01', 'LA_0079', 'ASVspoof2019.LA'],
      ['ASVspoof2019_LA_train/flac/LA_T_1272637.flac', 'fake', 'A06', 'LA_0080', 'ASVspoof2019.LA'],
      ['ASVspoof2019_LA_train/flac/LA_T_1276960.flac', 'real', '-', 'LA_0080', 'ASVspoof2019.LA'],
      ['ASVspoof2019_LA_train/flac/LA_T_1341447.flac', 'fake', 'A04', 'LA_0081', 'ASVspoof2019.LA'],
    ]);
    expect(d.entries.map((e) => e.group)).toEqual(['spk:LA_0079', 'spk:LA_0079', 'spk:LA_0080', 'spk:LA_0080', 'spk:LA_0081']);
  });

  it('is auto-detected from the LA folder itself', () => {
    const la = la2019();
    const d = discoverCorpusDetailed(la);
    expect(d.layout).toBe('asvspoof');
    expect(d.entries).toHaveLength(5);
  });

  it('lists trials without audio (E_MISSING_FILES) and reports malformed lines (E_BAD_PROTOCOL)', () => {
    const la = la2019();
    fs.rmSync(path.join(la, 'ASVspoof2019_LA_train/flac/LA_T_1272637.flac'));
    const proto = path.join(la, 'ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.train.trn.txt');
    expect(() => discoverCorpus(proto)).toThrow(expect.objectContaining({ code: 'E_MISSING_FILES', details: { missing: ['LA_T_1272637'] } }));
    expect(discoverCorpus(proto, { allowMissing: true })).toHaveLength(4);
    fs.appendFileSync(proto, 'LA_0082 LA_T_9999999 - A05\n');
    expect(() => discoverCorpus(proto, { layout: 'asvspoof', allowMissing: true })).toThrow(expect.objectContaining({ code: 'E_BAD_PROTOCOL', message: expect.stringContaining('line 6') }));
  });
});

describe('ASVspoof 2021 DF keys', () => {
  it('reads trial_metadata.txt with an explicit audio folder', () => {
    const root = tmpDir();
    const rows = [
      'LA_0023 DF_E_2000011 nocodec asvspoof A14 spoof notrim progress traditional_vocoder - - - -',
      'TEF2 DF_E_2000013 low_m4a vcc2020 Task1-team20 spoof notrim eval neural_vocoder_nonautoregressive Task1 team20 FF E',
      'LA_0023 DF_E_2000027 mp3m4a asvspoof bonafide bonafide notrim eval - - - - -',
    ];
    fs.mkdirSync(path.join(root, 'keys/DF/CM'), { recursive: true });
    fs.writeFileSync(path.join(root, 'keys/DF/CM/trial_metadata.txt'), rows.join('\n'));
    for (const r of rows) writeWav(path.join(root, 'ASVspoof2021_DF_eval/flac', `${r.split(' ')[1]}.flac`));
    const entries = discoverCorpus(path.join(root, 'keys/DF/CM/trial_metadata.txt'), { audioDir: path.join(root, 'ASVspoof2021_DF_eval') });
    expect(entries.map((e) => [e.id, e.label, e.method ?? null, e.speaker, e.source])).toEqual([
      ['flac/DF_E_2000011.flac', 'fake', 'A14', 'LA_0023', 'ASVspoof.DF'],
      ['flac/DF_E_2000013.flac', 'fake', 'Task1-team20', 'TEF2', 'ASVspoof.DF'],
      ['flac/DF_E_2000027.flac', 'real', null, 'LA_0023', 'ASVspoof.DF'],
    ]);
    expect(entries[0]!.group).toBe(entries[2]!.group);
    expect(entries[1]!.group).not.toBe(entries[0]!.group);
  });
});
