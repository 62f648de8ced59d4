// Real HTTP on 127.0.0.1 (random port) against a fake detector: happy paths, every bad input's status+code,
// overload, timeouts, metrics.
import type { FastifyInstance } from 'fastify';
import { FakeDetector, fakeClip } from './fake-detector';
import { listen, postMultipart, postRaw, verdict, waitFor } from './helpers';

describe('POST /v1/detect', () => {
  let app: FastifyInstance;
  let url: string;
  const detector = new FakeDetector();

  beforeAll(async () => {
    ({ app, url } = await listen({ detector, maxBodyBytes: 4096, maxDurationSeconds: 600 }));
  });
  afterAll(() => app.close());

  test('raw body: verdict, request id, timing; windows only on request', async () => {
    const r = await postRaw(url, fakeClip(10, 3));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ label: expect.stringMatching(/^(real|fake)$/), threshold: 0.5, duration: expect.closeTo(10, 5), model: { name: 'fake' } });
    expect(r.json.score).toBeCloseTo((0.39 + 0.68 + 0.97) / 3, 6);
    expect(r.json.request_id).toBe(r.headers.get('x-request-id'));
    expect(r.json.timing.total_ms).toBeGreaterThanOrEqual(0);
    expect(r.json.timing.inference_ms).toBeCloseTo(3, 6);
    expect(r.json.windows).toBeUndefined();

    const w = await postRaw(url, fakeClip(10, 3), 'application/octet-stream', '?windows=true&aggregate=max');
    expect(w.status).toBe(200);
    expect(w.json.windows).toHaveLength(3);
    expect(w.json.score).toBeCloseTo(0.97, 6);
  });

  test('a client request id is kept, an unsafe one replaced', async () => {
    const ok = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(ok.headers.get('x-request-id')).toBe('abc-123');
    const bad = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'a b\tc' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('multipart upload gives the same verdict as the raw body', async () => {
    const raw = await postRaw(url, fakeClip(6, 9), 'audio/flac', '?windows=true');
    const form = await postMultipart(url, fakeClip(6, 9), 'file', '?windows=true');
    expect(form.status).toBe(200);
    expect(verdict(form.json)).toEqual(verdict(raw.json));
  });

  test('concurrent requests give the same results as sequential ones', async () => {
    const clips = Array.from({ length: 24 }, (_, i) => fakeClip(1 + (i % 7) * 3, i + 1));
    const sequential = [];
    for (const c of clips) sequential.push(verdict((await postRaw(url, c, 'audio/wav', '?windows=true')).json));
    const concurrent = await Promise.all(clips.map(async (c) => verdict((await postRaw(url, c, 'audio/wav', '?windows=true')).json)));
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential.map((v: any) => v.score)).size).toBeGreaterThan(5);
  });

  test.each([
    ['body over the limit', 413, 'E_BODY_TOO_LARGE', () => postRaw(url, Buffer.alloc(5000, 1))],
    ['multipart file over the limit', 413, 'E_BODY_TOO_LARGE', () => postMultipart(url, Buffer.alloc(5000, 1))],
    ['text/plain body', 415, 'E_UNSUPPORTED_MEDIA_TYPE', () => postRaw(url, Buffer.from('hello'), 'text/plain')],
    ['JSON body', 415, 'E_UNSUPPORTED_MEDIA_TYPE', () => postRaw(url, Buffer.from('{"a":1}'), 'application/json')],
    ['unrecognised audio', 415, 'E_UNSUPPORTED', () => postRaw(url, Buffer.from('RIFF....garbage'))],
    ['truncated header', 422, 'E_CORRUPT', () => postRaw(url, Buffer.from('FAKE\x01\x02'))],
    ['zero-length audio', 422, 'E_EMPTY', () => postRaw(url, fakeClip(0))],
    ['empty body', 422, 'E_EMPTY', () => postRaw(url, Buffer.alloc(0))],
    ['too long', 413, 'E_TOO_LONG', () => postRaw(url, fakeClip(601))],
    ['multipart without "file"', 400, 'E_NO_FILE', () => postMultipart(url, fakeClip(2), 'audio')],
    ['bad aggregate', 400, 'E_BAD_REQUEST', () => postRaw(url, fakeClip(2), 'audio/wav', '?aggregate=median')],
    ['topk:0', 400, 'E_BAD_REQUEST', () => postRaw(url, fakeClip(2), 'audio/wav', '?aggregate=topk:0')],
    ['bad windows flag', 400, 'E_BAD_REQUEST', () => postRaw(url, fakeClip(2), 'audio/wav', '?windows=yes')],
    ['unknown query parameter', 400, 'E_BAD_REQUEST', () => postRaw(url, fakeClip(2), 'audio/wav', '?foo=1')],
  ])('%s -> %i %s', async (_name, status, code, send) => {
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.json).toEqual({ error: { code, message: expect.any(String) } });
  });

  test('a body without a content type -> 415', async () => {
    const res = await fetch(`${url}/v1/detect`, { method: 'POST', body: new Uint8Array(fakeClip(2)), headers: { 'content-type': '' } });
    expect([400, 415]).toContain(res.status);
    expect(((await res.json()) as any).error.code).toMatch(/^E_/);
  });

  test('the too-long error names the limit', async () => {
    const r = await postRaw(url, fakeClip(601));
    expect(r.json.error.message).toContain('600');
  });

  test('unknown route -> 404 JSON', async () => {
    const res = await fetch(`${url}/v2/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe('E_NOT_FOUND');
  });

  test('GET /v1/model serves the model card', async () => {
    const res = await fetch(`${url}/v1/model`);
    expect(await res.json()).toEqual({ name: 'fake', version: '0.0.0' });
  });

  test('/metrics counts requests by route and status, batch sizes and stage times', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const count = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
    expect(count(/^melguard_http_requests_total\{route="\/v1\/detect",method="POST",status="200"\} (\d+)$/m)).toBeGreaterThanOrEqual(50);
    expect(count(/^melguard_http_requests_total\{route="\/v1\/detect",method="POST",status="413"\} (\d+)$/m)).toBeGreaterThanOrEqual(3);
    expect(count(/^melguard_batch_size_count (\d+)$/m)).toBeGreaterThanOrEqual(50);
    expect(count(/^melguard_stage_seconds_count\{stage="inference"\} (\d+)$/m)).toBeGreaterThanOrEqual(50);
    expect(text).toMatch(/^melguard_queue_length 0$/m);
    expect(text).toMatch(/^melguard_http_request_duration_seconds_bucket\{le="0.005",route="\/v1\/detect",method="POST",status="200"\} \d+$/m);
  });
});

describe('overload and timeouts', () => {
  test('a full queue answers 503 + Retry-After, /readyz reports it, and the server recovers', async () => {
    const detector = new FakeDetector({ gated: true });
    const { app, url } = await listen({ detector, concurrency: 2, maxQueue: 2 });
    try {
      const admitted = [0, 1, 2, 3].map((i) => postRaw(url, fakeClip(4, i + 1)));
      await waitFor(() => detector.waitingAtGate === 2);
      // two running + two queued (readyz turns 503 once the queue is full): the rest is refused at once
      for (let i = 0; i < 500 && (await fetch(`${url}/readyz`)).status !== 503; i++) await new Promise((r) => setTimeout(r, 10));
      const refused = await Promise.all([5, 6, 7].map((i) => postRaw(url, fakeClip(4, i))));
      for (const r of refused) {
        expect(r.status).toBe(503);
        expect(r.json.error.code).toBe('E_OVERLOADED');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(detector.maxActive).toBe(2);

      while (detector.calls < 4 || detector.waitingAtGate > 0) {
        detector.release();
        await new Promise((r) => setTimeout(r, 5));
      }
      const results = await Promise.all(admitted);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      await expectServedNext(url, detector, 9);
    } finally {
      detector.release();
      await app.close();
    }
  });

  test('a request past its deadline gets 504 E_TIMEOUT; its slot frees when the detector finishes', async () => {
    const detector = new FakeDetector({ gated: true });
    const { app, url } = await listen({ detector, concurrency: 1, maxQueue: 4, requestTimeoutMs: 100 });
    try {
      const [running, queued] = await Promise.all([postRaw(url, fakeClip(4, 1)), postRaw(url, fakeClip(4, 2))]);
      expect(running.status).toBe(504);
      expect(running.json.error.code).toBe('E_TIMEOUT');
      expect(queued.status).toBe(504);
      expect(detector.calls).toBe(1);
      detector.release();
      await expectServedNext(url, detector, 3);
    } finally {
      detector.release();
      await app.close();
    }
  });
});

describe('clients that hang up', () => {
  test('a queued request whose client disconnects never reaches the detector', async () => {
    const detector = new FakeDetector({ gated: true });
    const { app, url } = await listen({ detector, concurrency: 1, maxQueue: 8 });
    try {
      const first = postRaw(url, fakeClip(4, 1));
      await waitFor(() => detector.waitingAtGate === 1);
      const ac = new AbortController();
      const gone = fetch(`${url}/v1/detect`, { method: 'POST', body: new Uint8Array(fakeClip(4, 2)), headers: { 'content-type': 'audio/wav' }, signal: ac.signal }).catch((e) => e);
      await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      await gone;
      await new Promise((r) => setTimeout(r, 50));
      detector.release();
      expect((await first).status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      expect(detector.calls).toBe(1); // the abandoned request was dropped from the queue
      await expectServedNext(url, detector, 3);
    } finally {
      detector.release();
      await app.close();
    }
  });
});

/** One more request goes through the gated detector and succeeds: the server recovered its slots. */
async function expectServedNext(url: string, detector: FakeDetector, seed: number): Promise<void> {
  const next = postRaw(url, fakeClip(4, seed));
  await waitFor(() => detector.waitingAtGate === 1);
  detector.release();
  expect((await next).status).toBe(200);
}
