// End to end with the real engine: WAV files -> dsp.spectrogramFiles (native decode, resample, windows,
// spectrograms on worker threads) -> feature store -> reader, checked against dsp.spectrogram on the same samples.
import * as dsp from '@melguard/dsp';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeCorpus, discoverCorpus, extractFeatures, FeatureStore, planWindows, resolveWindowing } from '../src';
import { cleanupTmp, tmpDir } from './helpers/tmp';
import { wavBytes } from './helpers/wav';

afterAll(cleanupTmp);

const WINDOWING = { windowSeconds: 1, hopSeconds: 1, minSeconds: 0.5 };

/** 16-bit PCM quantisation, exactly as a decoder returns the samples we wrote. */
function quantised(x: Float32Array): Float32Array {
  return Float32Array.from(x, (v) => {
    const q = v * 32767;
    return Math.max(-32768, Math.min(32767, q < 0 ? Math.ceil(q - 0.5) : Math.floor(q + 0.5))) / 32768;
  });
}

describe('feature store with dsp.spectrogramFiles', () => {
  let root: string;
  const clips = new Map<string, Float32Array>();

  beforeAll(() => {
    root = tmpDir();
    for (let i = 0; i < 6; i++) {
      const label = i % 2 ? 'FAKE' : 'REAL';
      const x = dsp.syntheticSpeech({ sr: 16000, seconds: 1.2 + i * 0.45, seed: i + 1 });
      const file = path.join(root, label, `s${i}.wav`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, wavBytes(x, 16000));
      clips.set(file, quantised(x));
    }
    fs.writeFileSync(path.join(root, 'REAL/resampled.wav'), wavBytes(dsp.syntheticSpeech({ sr: 44100, seconds: 2, seed: 9 }), 44100));
    const padded = dsp.syntheticSpeech({ sr: 16000, seconds: 0.7, seed: 11 });
    fs.writeFileSync(path.join(root, 'REAL/padded.wav'), wavBytes(padded, 16000));
    clips.set(path.join(root, 'REAL/padded.wav'), quantised(padded));
    fs.writeFileSync(path.join(root, 'FAKE/short.wav'), wavBytes(dsp.syntheticSpeech({ sr: 16000, seconds: 0.2, seed: 10 }), 16000));
    fs.writeFileSync(path.join(root, 'FAKE/garbage.wav'), Buffer.from('RIFF....WAVEfmt definitely not audio'));
  });

  it('stores exactly what dsp computes for each window, lists bad files, and resumes with nothing to do', async () => {
    const out = tmpDir();
    const res = await extractFeatures(discoverCorpus(root), { preset: 'speech16k', windowing: WINDOWING, outDir: out, threads: 2 });
    expect(res.extracted).toBe(8);
    const store = FeatureStore.open(out, { verify: 'full' });
    expect(store.shape).toEqual([80, dsp.frameCount(16000, dsp.presets.speech16k)]);
    expect(store.index.failures.map((f) => [path.basename(f.path), f.code]).sort()).toEqual([
      ['garbage.wav', expect.stringMatching(/^E_/)],
      ['short.wav', 'E_TOO_SHORT'],
    ]);
    const w = resolveWindowing(WINDOWING);
    for (const [file, samples] of clips) {
      const i = store.files.findIndex((f) => f.path === file);
      const f = store.files[i]!;
      expect(f.duration).toBeCloseTo(samples.length / 16000, 6);
      expect(f.windows).toEqual(planWindows(f.duration, w));
      const x = store.readRows(store.rowsOfFiles([i]));
      f.windows.forEach((win, k) => {
        // A window is its own clip: zero-padded to one window when the clip is shorter.
        const seg = new Float32Array(16000);
        seg.set(samples.subarray(Math.round(win.start * 16000), Math.round(win.start * 16000) + 16000));
        const ref = dsp.spectrogram(seg, { preset: 'speech16k' });
        const got = x.subarray(k * store.rowSize, (k + 1) * store.rowSize);
        let maxDiff = 0;
        for (let j = 0; j < ref.data.length; j++) maxDiff = Math.max(maxDiff, Math.abs(got[j]! - ref.data[j]!));
        expect(maxDiff).toBeLessThan(1e-3);
      });
    }
    expect(store.files.find((f) => f.path.endsWith('padded.wav'))!.windows).toEqual([{ start: 0, end: expect.closeTo(0.7, 6) }]);
    const resampled = store.files.find((f) => f.path.endsWith('resampled.wav'))!;
    expect(resampled.duration).toBeCloseTo(2, 3);
    expect(resampled.windows).toHaveLength(2);
    store.close();

    const again = await extractFeatures(discoverCorpus(root), { preset: 'speech16k', windowing: WINDOWING, outDir: out });
    expect(again.extracted).toBe(0);
    expect(again.reused).toBe(8);
  });

  it('feeds the difference analysis', async () => {
    const res = await analyzeCorpus(root, tmpDir(), { preset: 'speech16k', windowing: WINDOWING });
    expect(res.analysis.files).toEqual({ real: 5, fake: 3, unlabelled: 0 });
    expect(res.analysis.bandsHz).toHaveLength(80);
    expect(fs.existsSync(res.images.difference)).toBe(true);
  });
});
