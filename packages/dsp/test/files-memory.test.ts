// A 1 h WAV is turned into windowed features in bounded memory: decode and resampling stream block by block
// and only one window of samples is held. Measured in child processes (peak RSS), against loading the same file.
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, writeSync, ftruncateSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { resolveOptions } from '../src/options';
import { makeWav, tempDir } from './audio-helpers';

const SR = 22050;
const SECONDS = 3600;

function run(file: string, mode: 'windows' | 'load'): { growthKb: number; windows?: number; samples?: number; duration: number } {
  const addon = resolve(__dirname, '../../../native/index.js');
  const config = resolveOptions({ preset: 'speech16k' });
  const out = execFileSync(process.execPath, [join(__dirname, 'files-memory-runner.js'), addon, file, mode, JSON.stringify(config)], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  return JSON.parse(out);
}

describe('bounded memory', () => {
  let tmp: ReturnType<typeof tempDir>;
  afterAll(() => tmp?.cleanup());

  it('1 h of 22.05 kHz audio -> 16 kHz windows without holding the decoded file', () => {
    tmp = tempDir('melguard-long-');
    const file = join(tmp.dir, 'one-hour.wav');
    // A valid header for one hour of PCM16, then the data as a sparse file (silence, but every byte is decoded).
    const header = makeWav('s16', SR, 1, []).bytes;
    const dataBytes = SECONDS * SR * 2;
    header.writeUInt32LE(36 + dataBytes, 4);
    header.writeUInt32LE(dataBytes, 40);
    const fd = openSync(file, 'w');
    writeSync(fd, header);
    ftruncateSync(fd, header.length + dataBytes);
    // A few non-silent blocks so the spectrograms are not all identical.
    const tone = Buffer.alloc(32000);
    for (let i = 0; i < tone.length / 2; i++) tone.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), 2 * i);
    for (const at of [0, 900, 1800, 2700]) writeSync(fd, tone, 0, tone.length, header.length + at * SR * 2);
    closeSync(fd);

    const streamed = run(file, 'windows');
    expect(streamed.duration).toBeCloseTo(SECONDS, 6);
    expect(streamed.windows).toBe(120);
    const loaded = run(file, 'load');
    expect(loaded.samples).toBe(SECONDS * 16000);
    // Holding the decoded hour at 16 kHz alone takes 230 MB (the measurement can see it)...
    expect(loaded.growthKb).toBeGreaterThan(200 * 1024);
    // ...while the windowed path stays within a few tens of MB.
    expect(streamed.growthKb).toBeLessThan(64 * 1024);
  }, 240_000);
});
