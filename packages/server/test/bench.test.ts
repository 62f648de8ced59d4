// The server benchmark's plumbing (autocannon levels, health probe, metric scraping) on a fake detector.
// No speed is asserted: only that every phase ran, was bounded, and counted what it should.
import { runServerBench, formatServerBench } from '../src/bench';
import { FakeDetector, fakeClip } from './fake-detector';

test('bench runs every level bounded by count, reads RSS from /metrics, formats a table', async () => {
  const clips = [fakeClip(4, 1), fakeClip(4, 2), fakeClip(4, 3)];
  const report = await runServerBench({
    clips,
    clipSeconds: 4,
    connections: [1, 4],
    secondsPerLevel: 2,
    maxRequestsPerLevel: 40,
    rssRequests: 100,
    createDetector: async () => new FakeDetector({ delayMs: 1 }),
    inProcessServer: new FakeDetector({ delayMs: 1 }),
  });
  expect(report.levels.map((l) => l.connections)).toEqual([1, 4]);
  for (const l of report.levels) {
    expect(l.requests).toBeGreaterThanOrEqual(40);
    expect(l.requests).toBeLessThanOrEqual(44);
    expect(l.non2xx).toBe(0);
    expect(l.status5xx).toBe(0);
    expect(l.p99Ms).toBeGreaterThanOrEqual(l.p50Ms);
    expect(Number.isFinite(l.healthzP99Ms)).toBe(true);
  }
  expect(report.rss!.requests).toBeGreaterThanOrEqual(100);
  expect(report.rss!.beforeMb).toBeGreaterThan(10);
  expect(report.inProcess.clips).toBeGreaterThan(0);
  const text = formatServerBench(report);
  expect(text).toContain('in-process');
  expect(text.split('\n').filter((l) => /^\s+[14]\s/.test(l))).toHaveLength(2);
});
