// The audio functions in worker_threads: correct results from a worker, and a worker terminated while its
// decoding / file batches / augmentation are still running leaves the process intact.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { loadAudio } from '../src/audio';
import { spectrogramFiles } from '../src/files';
import { resolveOptions } from '../src/options';
import { FIXTURES, maxAbsDiff } from './audio-helpers';

const NATIVE = join(__dirname, '..', '..', '..', 'native', 'index.js');
const LIBRISPEECH = join(FIXTURES, 'librispeech-1089-134686-0000.flac');

const RUN_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const native = require(workerData.nativePath);
(async () => {
  const audio = await native.loadAudio(workerData.path, { sr: 22050 });
  const [features] = await native.spectrogramFiles([workerData.path], workerData.config, { windowSeconds: 4, hopSeconds: 2 }, { threads: 2 });
  const augmented = await native.augment(audio.samples.subarray(0, 22050), 22050, [{ type: 'noise', color: 'pink', snrDb: [10, 10], p: 1 }], 7);
  parentPort.postMessage({ samples: audio.samples, features: features.data, augmented: augmented.samples });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack) }));
`;

const ABANDON_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const native = require(workerData.nativePath);
const paths = Array.from({ length: 8 }, () => workerData.path);
for (let i = 0; i < 3; i++) native.spectrogramFiles(paths, workerData.config, { windowSeconds: 1, hopSeconds: 0.25 }, { threads: 2 });
for (let i = 0; i < 8; i++) native.loadAudio(workerData.path, { sr: 44100 });
const noise = new Float32Array(16000 * 5).fill(0.1);
for (let i = 0; i < 4; i++) native.augment(noise, 16000, [{ type: 'reverb', rt60: [1, 1], drrDb: [0, 0], p: 1 }], i);
parentPort.postMessage('started');
`;

function start(source: string, config: object): Worker {
  return new Worker(source, { eval: true, workerData: { nativePath: NATIVE, path: LIBRISPEECH, config } });
}

describe('audio in worker_threads', () => {
  const config = resolveOptions({ preset: 'speech16k' });

  it('a worker decodes, computes file features and augments exactly like the main thread', async () => {
    const worker = start(RUN_SOURCE, config);
    const result = await new Promise<{ samples: Float32Array; features: Float32Array; augmented: Float32Array; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    if (result.error) throw new Error(result.error);
    const audio = await loadAudio(LIBRISPEECH, { sr: 22050 });
    expect(maxAbsDiff(result.samples, audio.samples)).toBe(0);
    const [features] = await spectrogramFiles([LIBRISPEECH], config, { windowSeconds: 4, hopSeconds: 2 });
    expect(maxAbsDiff(result.features, (features as { data: Float32Array }).data)).toBe(0);
    expect(result.augmented.length).toBe(22050);
  });

  it('terminating a worker with audio work in flight leaves this process working', async () => {
    for (let round = 0; round < 3; round++) {
      const worker = start(ABANDON_SOURCE, config);
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
    }
    // Still alive and correct after the abandoned work.
    const audio = await loadAudio(LIBRISPEECH);
    expect(audio.samples.length).toBe(166960);
  });
});
