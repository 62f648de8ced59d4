// Files and in-memory uploads: decoding and windowing by the native engine (dsp's spectrogramFiles /
// decodeAudioBuffer) must give the same windows and scores as the samples path.
import { Detector, type Detection, type FileDetection } from '../src';
import { add, noise, sine, wav } from './helpers/audio';
import { lcg, linearModel, makeMetadata, tempDir } from './helpers/models';

const tmp = tempDir();
let d: Detector;

const metadata = makeMetadata({ windowSeconds: 1, hopSeconds: 0.5, minSeconds: 0.5, transform: { kind: 'affine', scale: 1 / 80, offset: 1 } });
const sr = 16000;
const clipA = add(noise(2.3, sr, 0.05, 1), sine(2.3, sr, 330, 0.25));
const clipB = add(noise(1.2, sr, 0.1, 2), sine(1.2, sr, 1200, 0.1));

beforeAll(async () => {
  const rand = lcg(7);
  const weights = Float32Array.from({ length: 8080 }, () => (rand() - 0.5) * 0.06);
  d = await Detector.load(tmp.write('m.onnx', linearModel(metadata.input.shape, weights, 0, { metadata })), { threads: 1, featureThreads: 2, filesPerBatch: 2 });
});
afterAll(async () => {
  await d.dispose();
  tmp.cleanup();
});

const scores = (r: Detection) => r.windows.map((w) => w.score);

describe('detectFile', () => {
  it('gives the windows and scores of detectSamples on the same samples (float WAV, model rate)', async () => {
    const file = tmp.write('a.wav', wav(clipA, sr, 'float32'));
    const fromFile = await d.detectFile(file);
    const fromSamples = await d.detectSamples(clipA, sr);
    expect(fromFile.windows.map((w) => [w.start, w.end])).toEqual(fromSamples.windows.map((w) => [w.start, w.end]));
    scores(fromFile).forEach((s, i) => expect(s).toBeCloseTo(scores(fromSamples)[i], 5));
    expect(fromFile.duration).toBeCloseTo(2.3, 6);
    expect(fromFile.timing).toEqual({ decode: expect.any(Number), features: expect.any(Number), inference: expect.any(Number) });
  });

  it('resamples a 16-bit 44.1 kHz file to the model rate (same duration and window layout)', async () => {
    const clip44 = add(noise(1.6, 44100, 0.05, 3), sine(1.6, 44100, 440, 0.3));
    const r = await d.detectFile(tmp.write('b44.wav', wav(clip44, 44100, 'pcm16')));
    expect(r.duration).toBeCloseTo(1.6, 3);
    expect(r.windows.map((w) => w.start)).toEqual([0, 0.5]); // 1.6 s: full 1 s windows at 0 and 0.5
  });

  it('rejects unreadable and undecodable files with the engine code and the path', async () => {
    await expect(d.detectFile(tmp.dir + '/missing.wav')).rejects.toMatchObject({ code: 'ENOENT', path: expect.stringContaining('missing.wav') });
    const junk = tmp.write('junk.wav', Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 251));
    const err = await d.detectFile(junk).catch((e) => e);
    expect(['E_UNSUPPORTED', 'E_CORRUPT']).toContain(err.code);
  });
});

describe('detectFiles', () => {
  it('scores many files in order, pipelined in batches, with a result line for every failure', async () => {
    const a = tmp.write('fa.wav', wav(clipA, sr, 'float32'));
    const b = tmp.write('fb.wav', wav(clipB, sr, 'float32'));
    const short = tmp.write('short.wav', wav(noise(0.2, sr, 0.1, 4), sr, 'float32')); // < minSeconds 0.5
    const junk = tmp.write('junk2.wav', Buffer.from('RIFF....WAVEnot really'));
    const paths = [a, tmp.dir + '/nope.wav', b, short, junk, a];
    const results = await d.detectFiles(paths);
    expect(results.map((r) => r.path)).toEqual(paths);
    const ok = (r: FileDetection) => ('error' in r ? null : r);
    const errs = results.map((r) => ('error' in r ? r.error.code : 'ok'));
    expect(errs[0]).toBe('ok');
    expect(errs[1]).toBe('ENOENT');
    expect(errs[2]).toBe('ok');
    expect(errs[3]).toBe('E_TOO_SHORT');
    expect(['E_UNSUPPORTED', 'E_CORRUPT']).toContain(errs[4]);
    expect(errs[5]).toBe('ok');
    const single = await d.detectFile(b);
    scores(ok(results[2])!).forEach((s, i) => expect(s).toBeCloseTo(scores(single)[i], 6));
    expect(ok(results[0])!.score).toBeCloseTo(ok(results[5])!.score, 6);
  });

  it('stops cleanly when the consumer stops early', async () => {
    const a = tmp.write('ia.wav', wav(clipB, sr, 'float32'));
    const seen: string[] = [];
    for await (const r of d.detectFilesIter([a, a, a, a, a])) {
      seen.push(r.path);
      if (seen.length === 1) break; // the next batch was already being computed
    }
    expect(seen).toEqual([a]);
    expect(d.stats.pendingCalls).toBe(0);
  });
});

describe('detectBuffer', () => {
  it('decodes an in-memory upload and scores it like the file', async () => {
    const bytes = wav(clipA, sr, 'float32');
    const fromBuffer = await d.detectBuffer(bytes);
    const fromFile = await d.detectFile(tmp.write('buf.wav', bytes));
    scores(fromBuffer).forEach((s, i) => expect(s).toBeCloseTo(scores(fromFile)[i], 5));
    expect(fromBuffer.duration).toBeCloseTo(2.3, 6);
  });

  it('enforces maxDurationSeconds and passes decoder errors through', async () => {
    await expect(d.detectBuffer(wav(clipA, sr, 'pcm16'), { maxDurationSeconds: 2, filename: 'upload.wav' })).rejects.toMatchObject({
      code: 'E_TOO_LONG',
      message: expect.stringContaining('upload.wav'),
    });
    const err = await d.detectBuffer(Buffer.from('not audio at all')).catch((e) => e);
    expect(['E_UNSUPPORTED', 'E_CORRUPT']).toContain(err.code);
    await expect(d.detectBuffer('abc' as unknown as Uint8Array)).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
  });
});
