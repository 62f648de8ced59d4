import * as fs from 'fs';
import * as path from 'path';
import { analyzeCorpus, discoverCorpus, extractFeatures, FeatureStore, type Analysis } from '../src';
import { fakeExtractor, TEST_RESOLVED } from './helpers/fake-extractor';
import { cleanupTmp, tmpDir } from './helpers/tmp';
import { writeWav } from './helpers/wav';

afterAll(cleanupTmp);

const WINDOWING = { windowSeconds: 0.5, minSeconds: 0.2 };

/**
 * 6 real and 6 fake clips. Every file gets a level offset from its number (the same set of offsets in both
 * classes) and fakes are 3 dB louder in bands 4..7: the analysis must find exactly +3 there and 0 below.
 * Clip lengths differ (1-3 windows) so a per-window average would be pulled by the long clips.
 */
function signatureCorpus(): string {
  const root = tmpDir();
  for (let i = 0; i < 6; i++) {
    writeWav(path.join(root, 'REAL', `r${i}.wav`), 0.5 + (i % 3) * 0.5, 300 + i, 1 + i);
    writeWav(path.join(root, 'FAKE', `f${i}.wav`), 0.5 + ((i + 1) % 3) * 0.5, 500 + i, 50 + i);
  }
  return root;
}

const signature = fakeExtractor({
  value: (p, _seed, _w, b, t) => {
    const offset = Number(path.basename(p).slice(1, 2)) - 2.5;
    return -40 + offset - b + 0.01 * t + (p.includes('/FAKE/') && b >= 4 ? 3 : 0);
  },
});

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('difference analysis', () => {
  let analysis: Analysis;
  let images: Record<string, string | null>;
  let out: string;

  beforeAll(async () => {
    const root = signatureCorpus();
    const store = tmpDir();
    await extractFeatures(discoverCorpus(root), { outDir: store, resolved: TEST_RESOLVED, windowing: WINDOWING, extract: signature.extract });
    out = tmpDir();
    const res = await analyzeCorpus(store, out);
    analysis = res.analysis;
    images = res.images;
    expect(JSON.parse(fs.readFileSync(res.json, 'utf8')).perBand.difference.mean).toEqual(analysis.perBand.difference.mean);
  });

  it('counts files (the unit) and rows', () => {
    expect(analysis.files).toEqual({ real: 6, fake: 6, unlabelled: 0 });
    expect(analysis.rows.real).toBe(12); // 1+2+3+1+2+3 windows
    expect(analysis.unit).toBe('file');
  });

  it('finds the +3 dB in the upper bands and none below, with 95 % intervals that say so', () => {
    const d = analysis.perBand.difference;
    for (let b = 0; b < 8; b++) {
      const want = b >= 4 ? 3 : 0;
      expect(d.mean[b]).toBeCloseTo(want, 4);
      expect(d.ciLow[b]!).toBeLessThan(want);
      expect(d.ciHigh[b]!).toBeGreaterThan(want);
      if (b >= 4) expect(d.ciLow[b]!).toBeGreaterThan(0);
      else expect(d.ciLow[b]!).toBeLessThan(0);
    }
    // Offsets -2.5..2.5 in each class: sd = sqrt(3.5), Welch df = 10, half-width = t(0.975,10) * sd * sqrt(2/6)
    expect(d.ciHigh[5]! - d.mean[5]!).toBeCloseTo(2.2281 * Math.sqrt(3.5) * Math.sqrt(2 / 6), 3);
    expect(d.df[0]).toBeCloseTo(10, 6);
    expect(analysis.largestDifferences.slice(0, 4).map((x) => x.band).sort()).toEqual([4, 5, 6, 7]);
  });

  it('averages windows per file first (long clips do not dominate) and stores the maps', () => {
    // File offsets average to 0 per class only when each file counts once (per-window averaging would weight
    // the 3-window clips r2 and r5 more and give +0.33); frames 0..31 average 15.5.
    expect(analysis.perBand.real.mean[0]).toBeCloseTo(-40 + 0.01 * 15.5, 4);
    expect(analysis.maps.difference).toHaveLength(8);
    expect(analysis.maps.difference[7]![10]).toBeCloseTo(3, 3);
    expect(analysis.maps.difference[2]![10]).toBeCloseTo(0, 3);
    expect(analysis.bandsHz).toHaveLength(8);
    expect(analysis.framesSeconds[1]).toBeCloseTo(256 / 16000, 9);
  });

  it('writes readable PNGs: three heat maps and the per-band plots', () => {
    for (const key of ['realMean', 'fakeMean', 'difference', 'bandDifference', 'bandMeans', 'bySource']) {
      const file = images[key];
      expect(file).toBeTruthy();
      const [w, h] = pngSize(file!);
      expect(w).toBeGreaterThan(400);
      expect(h).toBeGreaterThan(300);
    }
    expect(fs.readdirSync(out).sort()).toEqual(['analysis.json', 'band-difference-by-source.png', 'band-difference.png', 'band-means.png', 'mean-difference.png', 'mean-fake.png', 'mean-real.png']);
  });

  it('also analyses a corpus given as entries (extracting into outDir/features first)', async () => {
    const root = signatureCorpus();
    const dir = tmpDir();
    const res = await analyzeCorpus(discoverCorpus(root), dir, { resolved: TEST_RESOLVED, windowing: WINDOWING, extract: signature.extract });
    expect(res.analysis.perBand.difference.mean[6]).toBeCloseTo(3, 4);
    expect(FeatureStore.open(path.join(dir, 'features')).files).toHaveLength(12);
  });

  it('needs both classes', async () => {
    const root = tmpDir();
    for (let i = 0; i < 3; i++) writeWav(path.join(root, 'REAL', `r${i}.wav`), 0.5, 300 + i, i + 1);
    const store = tmpDir();
    await extractFeatures(discoverCorpus(root), { outDir: store, resolved: TEST_RESOLVED, windowing: WINDOWING, extract: fakeExtractor().extract });
    await expect(analyzeCorpus(store, tmpDir())).rejects.toMatchObject({ code: 'E_NO_LABELS' });
  });
});
