// Regression: libsndfile 1.2 closes a descriptor handed to sf_open_fd() when the open fails, even when told not
// to. With several threads opening files, the freed number was reused by another file, which was then read (or
// closed) in its place: good files failed or got another file's samples. Files are now read through pread().
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { spectrogramFiles } from '../src/files';
import { presets } from '../src/options';
import { makeWav, tempDir } from './audio-helpers';

let tmp: ReturnType<typeof tempDir>;
const paths: string[] = [];
const good = new Set<string>();

beforeAll(() => {
  tmp = tempDir('melguard-files-concurrency-');
  const bad: Buffer[] = [
    Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.alloc(18)]), // no data chunk
    Buffer.concat([Buffer.from('OggS'), Buffer.alloc(500, 7)]), // Ogg page header, garbage inside
    Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(300, 1)]),
  ];
  for (let i = 0; i < 60; i++) {
    if (i % 2 === 0) {
      // each good file a different tone, so a file read in another's place changes the result
      const values = Array.from({ length: 16000 }, (_, k) => Math.round(9000 * Math.sin((k * (i + 3)) / 40)));
      const p = join(tmp.dir, `good-${i}.wav`);
      writeFileSync(p, makeWav('s16', 16000, 1, values).bytes);
      good.add(p);
      paths.push(p);
    } else {
      const b = bad[i % bad.length];
      const p = join(tmp.dir, `bad-${i}.${['wav', 'ogg', 'flac'][i % bad.length]}`);
      writeFileSync(p, b);
      paths.push(p);
    }
  }
});
afterAll(() => tmp.cleanup());

test('files that fail to open never disturb the others: many threads give what one thread gives', async () => {
  const options = presets.speech16k;
  const reference = await spectrogramFiles(paths, options, null, { threads: 1, sr: 16000 });
  for (const r of reference) expect('error' in r).toBe(!good.has(r.path));
  for (let round = 0; round < 4; round++) {
    const many = await spectrogramFiles(paths, options, null, { threads: 8, sr: 16000 });
    many.forEach((r, i) => {
      const ref = reference[i];
      expect(r.path).toBe(ref.path);
      if ('error' in ref) {
        expect(r).toMatchObject({ error: { code: ref.error.code, message: ref.error.message } });
      } else {
        expect('error' in r).toBe(false);
        expect(Buffer.from((r as typeof ref).data.buffer).equals(Buffer.from(ref.data.buffer))).toBe(true);
      }
    });
  }
});
