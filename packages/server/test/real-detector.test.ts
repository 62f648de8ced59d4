// The server over the real Detector (@melguard/infer, bundled model, native decoder): uploads in several
// formats, concurrency == sequential, the engine's codes for bad audio, mutated uploads never give a 500,
// and the worker-thread detector answers exactly like the inline one.
import type { FastifyInstance } from 'fastify';
import { syntheticSpeech, encodeWavPcm16 } from '../src/bench-clips';
import { loadDetector } from '../src/detector/inline';
import { WorkerDetector } from '../src/detector/worker';
import type { DetectorLike } from '../src/types';
import { listen, postMultipart, postRaw, verdict } from './helpers';

// The bundled model by default; MELGUARD_MODEL points the tests at another one.
const modelPath = process.env.MELGUARD_MODEL || undefined;
const clip = (seconds: number, seed: number, sr = 16000) => encodeWavPcm16(syntheticSpeech(seconds, sr, seed), sr);
/** A silent WAV of any length, without computing samples (cheap even for long clips). */
const silence = (seconds: number, sr = 16000) => {
  const header = encodeWavPcm16(new Float32Array(0), sr);
  const data = Buffer.alloc(Math.round(seconds * sr) * 2);
  header.writeUInt32LE(36 + data.length, 4);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
};

describe('server over the real detector', () => {
  let detector: DetectorLike;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    detector = await loadDetector({ modelPath, threads: 1 });
    ({ app, url } = await listen({ detector, maxBodyBytes: 4 * 1024 * 1024, maxDurationSeconds: 60, concurrency: 8 }));
  });
  afterAll(async () => {
    await app.close(); // disposes the detector
  });

  test('raw and multipart uploads: same verdict, windows cover the clip', async () => {
    const wav = clip(6, 1);
    const raw = await postRaw(url, wav, 'audio/wav', '?windows=true');
    expect(raw.status).toBe(200);
    expect(raw.json.duration).toBeCloseTo(6, 2);
    expect(raw.json.score).toBeGreaterThanOrEqual(0);
    expect(raw.json.score).toBeLessThanOrEqual(1);
    expect(raw.json.label).toBe(raw.json.score >= raw.json.threshold ? 'fake' : 'real');
    expect(raw.json.windows.length).toBeGreaterThanOrEqual(1);
    expect(raw.json.windows[0].start).toBe(0);
    expect(raw.json.timing.decode_ms).toBeGreaterThanOrEqual(0);
    const form = await postMultipart(url, wav, 'file', '?windows=true');
    expect(form.status).toBe(200);
    expect(verdict(form.json)).toEqual(verdict(raw.json));
    const card = await (await fetch(`${url}/v1/model`)).json();
    expect(card).toMatchObject({ name: raw.json.model.name, version: raw.json.model.version });
  });

  test('a 44.1 kHz upload is resampled to the model rate', async () => {
    const r = await postRaw(url, clip(3, 2, 44100), 'audio/wav');
    expect(r.status).toBe(200);
    expect(r.json.duration).toBeCloseTo(3, 2);
  });

  test('16 concurrent requests give the same results as sequential ones (micro-batched together)', async () => {
    const clips = Array.from({ length: 16 }, (_, i) => clip(1 + (i % 4), 100 + i));
    const sequential = [];
    for (const c of clips) sequential.push(verdict((await postRaw(url, c, 'audio/wav', '?windows=true')).json));
    const concurrent = await Promise.all(clips.map(async (c) => verdict((await postRaw(url, c, 'audio/wav', '?windows=true')).json)));
    expect(concurrent).toEqual(sequential);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const batches = Number(/^melguard_batch_size_count (\d+)$/m.exec(metrics)?.[1]);
    const windows = Number(/^melguard_batch_size_sum (\d+)$/m.exec(metrics)?.[1]);
    expect(windows / batches).toBeGreaterThan(1); // some runs held windows of several requests
  });

  test.each([
    ['random bytes', () => Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) & 0xff)), [415, 422], /^E_(UNSUPPORTED|CORRUPT)$/],
    ['a truncated WAV header', () => clip(1, 3).subarray(0, 30), [415, 422], /^E_(UNSUPPORTED|CORRUPT|EMPTY)$/],
    ['a WAV without samples', () => encodeWavPcm16(new Float32Array(0), 16000), [422], /^E_(EMPTY|TOO_SHORT|CORRUPT)$/],
    ['audio longer than the limit', () => silence(61), [413], /^E_TOO_LONG$/],
  ])('%s -> engine code', async (_name, body, statuses, code) => {
    const r = await postRaw(url, body());
    expect(statuses).toContain(r.status);
    expect(r.json.error.code).toMatch(code);
  });

  test('300 mutated uploads (truncated, bit-flipped, spliced): never a 5xx, always a JSON verdict or error', async () => {
    const base = [clip(2, 5), clip(1, 6, 22050)];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const src = base[i % base.length];
      let b = Buffer.from(src);
      const kind = i % 3;
      if (kind === 0) b = b.subarray(0, Math.floor(rand() * b.length));
      else if (kind === 1) for (let k = 0; k < 1 + Math.floor(rand() * 20); k++) b[Math.floor(rand() * Math.min(b.length, 200))] ^= 1 << Math.floor(rand() * 8);
      else b = Buffer.concat([b.subarray(0, 44), Buffer.from(Array.from({ length: 500 }, () => Math.floor(rand() * 256)))]);
      const r = await postRaw(url, b);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect(r.status).toBeLessThan(500);
      if (r.status === 200) expect(typeof r.json.score).toBe('number');
      else expect(r.json.error.code).toMatch(/^E_[A-Z_]+$/);
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s !== 200)).toBe(true);
  });

  test('the worker-thread detector gives the inline results', async () => {
    const worker = await WorkerDetector.start({ modelPath, threads: 1 });
    try {
      for (const c of [clip(3, 7), clip(5, 8)]) {
        const a = await worker.detectBuffer(c, { aggregate: 'max' });
        const b = await detector.detectBuffer(c, { aggregate: 'max' });
        expect(a.score).toBeCloseTo(b.score, 6);
        expect(a.windows).toEqual(b.windows);
      }
      await expect(worker.detectBuffer(Buffer.from('not audio at all'))).rejects.toMatchObject({ code: expect.stringMatching(/^E_(UNSUPPORTED|CORRUPT)$/) });
    } finally {
      await worker.dispose();
    }
  });
});
