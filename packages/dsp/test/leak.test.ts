// Many calls of every form: memory stays bounded (a leaked input copy or output would add hundreds of MB).
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { presets, spectrogram, spectrogramAsync, spectrogramBatch } from '../src';
import { readInput } from './fixtures';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function round(samples: Float32Array) {
  for (let i = 0; i < 200; i++) spectrogram(samples, presets.speech16k);
  for (let i = 0; i < 20; i++) {
    await Promise.all(Array.from({ length: 10 }, () => spectrogramAsync(samples, presets.speech16k)));
  }
  for (let i = 0; i < 20; i++) await spectrogramBatch([samples, samples, samples, samples], presets.speech16k, { threads: 2 });
  // Failures must not leak either.
  for (let i = 0; i < 100; i++) await spectrogramAsync(samples, { ...presets.speech16k, nFft: 1 << 18, hopLength: 1, nMels: 0 }).catch(() => 0);
}

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, js: m.heapUsed + m.external + m.arrayBuffers };
}

test('RSS and JS memory stay bounded over ~1500 spectrograms (~350 MB of inputs and outputs)', async () => {
  const samples = readInput('speech16k'); // 4 s: 256 KB in, 128 KB out per call
  await round(samples); // warm-up: pools, caches, allocator high-water mark
  const before = memory();
  for (let r = 0; r < 2; r++) await round(samples); // a leak of inputs or outputs would add > 140 MB
  const after = memory();
  const mb = (bytes: number) => bytes / (1 << 20);
  expect(mb(after.rss - before.rss)).toBeLessThan(64);
  expect(mb(after.js - before.js)).toBeLessThan(16);
});
