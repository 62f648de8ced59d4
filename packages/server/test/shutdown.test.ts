// Graceful shutdown: SIGTERM stops new work, lets in-flight requests finish, disposes the detector, exits 0.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../src/start-server';
import { FakeDetector, fakeClip } from './fake-detector';
import { postRaw, waitFor } from './helpers';

describe('graceful shutdown', () => {
  test('SIGTERM (in-process): in-flight requests complete, new ones are refused, exit code 0', async () => {
    const detector = new FakeDetector({ gated: true });
    const codes: number[] = [];
    const s = await startServer({ port: 0, logger: false, defaultMetrics: false, detector, shutdownSignals: ['SIGTERM'], onShutdown: (c) => codes.push(c) });
    const inFlight = [postRaw(s.url, fakeClip(4, 1)), postRaw(s.url, fakeClip(8, 2))];
    await waitFor(() => detector.waitingAtGate === 2);
    process.emit('SIGTERM', 'SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    // a new request while closing: connection refused or an explicit 503, never processed
    const late = await postRaw(s.url, fakeClip(4, 3)).then((r) => r.status, () => 'refused');
    expect([503, 'refused']).toContain(late);
    expect(codes).toEqual([]); // still waiting for the in-flight requests
    detector.release();
    const done = await Promise.all(inFlight);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    await waitFor(() => codes.length === 1);
    expect(codes).toEqual([0]);
    expect(detector.disposed).toBe(true);
    expect(detector.calls).toBe(2);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  test('SIGTERM (real signal, compiled server): the in-flight request gets its answer and the process exits 0', async () => {
    const dist = path.join(__dirname, '../dist/index.js');
    if (!fs.existsSync(dist)) throw new Error('build the server first: npx tsc -p packages/server/tsconfig.build.json');
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures/serve-child.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => out.includes('LISTENING '), 20000);
    const url = /LISTENING (\S+)/.exec(out)![1];
    const slow = postRaw(url, fakeClip(4, 1000000 + 400)); // takes 400 ms in the detector
    await waitFor(() => out.includes('incoming request'), 20000); // in flight (fastify logs its arrival)
    child.kill('SIGTERM');
    const r = await slow;
    expect(r.status).toBe(200);
    expect(r.json.score).toBeCloseTo(0, 6);
    expect(await exited).toBe(0);
    const logs = out.split('\n').filter(Boolean).map((l) => (l.startsWith('{') ? JSON.parse(l) : {}));
    const completed = logs.find((l) => l.msg === 'request completed' && l.res?.statusCode === 200);
    expect(completed?.request_id).toBe(r.json.request_id); // pino access log carries the request id
    expect(logs.some((l) => l.msg === 'shutdown complete')).toBe(true);
  });
});
