// Every way a file can be bad gives a typed error with a stable code and the file's path.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { audioInfo, encodeAudio, loadAudio } from '../src/audio';
import { FIXTURES, makeWav, sine, tempDir } from './audio-helpers';

let tmp: ReturnType<typeof tempDir>;
let wav: Buffer;
let flac: Buffer;
beforeAll(async () => {
  tmp = tempDir();
  wav = makeWav('s16', 16000, 1, Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin(i / 10)))).bytes;
  flac = Buffer.from(await encodeAudio(sine(440, 16000, 1), 16000, 'flac'));
});
afterAll(() => tmp.cleanup());

function write(name: string, bytes: Uint8Array | string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function expectCode(path: string, code: string): Promise<void> {
  await expect(loadAudio(path)).rejects.toMatchObject({ code, path });
  await expect(audioInfo(path)).rejects.toMatchObject({ code, path });
}

describe('typed errors', () => {
  it('ENOENT for a missing file, with the path in message and property', async () => {
    const path = join(tmp.dir, 'missing.wav');
    await expect(loadAudio(path)).rejects.toMatchObject({ code: 'ENOENT', path, message: expect.stringContaining(path) });
  });

  it('EACCES for a file that cannot be read', async () => {
    const path = write('locked.wav', wav);
    chmodSync(path, 0o000);
    if (process.getuid?.() !== 0) {
      await expectCode(path, 'EACCES');
      return;
    }
    // root reads anything: ask an unprivileged child process instead.
    const addon = resolve(__dirname, '../../../native/index.js');
    const script = `require(${JSON.stringify(addon)}).probeAudio(${JSON.stringify(path)})
      .then(() => console.log('OK'), (e) => console.log(e.code + ' ' + e.path))`;
    const out = execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(out.trim()).toBe(`EACCES ${path}`);
  });

  it('E_EMPTY for a zero-byte file and for a header without samples', async () => {
    await expectCode(write('zero.wav', Buffer.alloc(0)), 'E_EMPTY');
    const header = Buffer.from(wav.subarray(0, 44));
    header.writeUInt32LE(0, 40);
    header.writeUInt32LE(36, 4);
    await expect(loadAudio(write('header-only.wav', header))).rejects.toMatchObject({ code: 'E_EMPTY' });
  });

  it('E_UNSUPPORTED for text, random bytes, a directory and a foreign container', async () => {
    await expectCode(write('notes.wav', 'just some text pretending to be audio\n'.repeat(50)), 'E_UNSUPPORTED');
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    await expectCode(write('random.flac', random), 'E_UNSUPPORTED');
    const dir = join(tmp.dir, 'folder.wav');
    mkdirSync(dir);
    await expectCode(dir, 'E_UNSUPPORTED');
    // A PNG header (a real container, just not audio).
    await expectCode(write('image.mp3', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')), 'E_UNSUPPORTED');
  });

  it('E_CORRUPT for truncated, bit-flipped and structurally broken files', async () => {
    await expectCode(write('truncated.wav', wav.subarray(0, 20000)), 'E_CORRUPT');
    await expectCode(write('riff-only.wav', wav.subarray(0, 12)), 'E_CORRUPT');
    const flipped = Buffer.from(flac);
    for (let i = 200; i < flipped.length; i += 97) flipped[i] ^= 0x24;
    await expect(loadAudio(write('flipped.flac', flipped))).rejects.toMatchObject({ code: 'E_CORRUPT' });
    const noChannels = Buffer.from(wav);
    noChannels.writeUInt16LE(0, 22);
    await expectCode(write('zero-channels.wav', noChannels), 'E_CORRUPT');
    const badRate = Buffer.from(wav);
    badRate.writeUInt32LE(3, 24);
    await expectCode(write('rate-3hz.wav', badRate), 'E_CORRUPT');
    const nan = makeWav('f32', 16000, 1, [0.1, 0.2, Number.NaN, 0.3]).bytes;
    await expect(loadAudio(write('nan.wav', nan))).rejects.toMatchObject({ code: 'E_CORRUPT', message: expect.stringMatching(/float sample/) });
  });

  it('a WAV (RF64) declaring terabytes is rejected from its header, before any allocation', async () => {
    const pcm = wav.subarray(44);
    const fmt = wav.subarray(12, 36);
    const ds64 = Buffer.alloc(8 + 28);
    ds64.write('ds64', 0);
    ds64.writeUInt32LE(28, 4);
    ds64.writeBigUInt64LE(2n ** 41n, 8); // RIFF size
    ds64.writeBigUInt64LE(2n ** 41n, 16); // data size: 2 TiB
    ds64.writeBigUInt64LE(2n ** 40n, 24); // sample count
    const dataHeader = Buffer.alloc(8);
    dataHeader.write('data', 0);
    dataHeader.writeUInt32LE(0xffffffff, 4);
    const head = Buffer.alloc(12);
    head.write('RF64', 0);
    head.writeUInt32LE(0xffffffff, 4);
    head.write('WAVE', 8);
    const rf64 = Buffer.concat([head, ds64, fmt, dataHeader, pcm]);
    await expectCode(write('terabytes.rf64.wav', rf64), 'E_CORRUPT');
    // Plain RIFF with a 4 GiB data chunk in a 32 kB file.
    const riff = Buffer.from(wav);
    riff.writeUInt32LE(0xfffffff0, 40);
    await expectCode(write('four-gib.wav', riff), 'E_CORRUPT');
  });

  it('E_TOO_LARGE when a compressed header declares more samples than the output limit', async () => {
    // FLAC STREAMINFO: total samples (36 bits) set to 2^36 - 1 (= 49 days at 16 kHz).
    const huge = Buffer.from(flac);
    const at = 8 + 10;
    const packed = huge.readBigUInt64BE(at) | (2n ** 36n - 1n);
    huge.writeBigUInt64BE(packed, at);
    const path = write('forever.flac', huge);
    await expect(loadAudio(path)).rejects.toMatchObject({ code: 'E_TOO_LARGE', path });
    expect((await audioInfo(path)).frames).toBe(2 ** 36 - 1);
  });

  it('a streaming WAV placeholder length (0xFFFFFFFF) is accepted: the samples present are decoded', async () => {
    const streamed = Buffer.from(wav);
    streamed.writeUInt32LE(0xffffffff, 40);
    streamed.writeUInt32LE(0xffffffff, 4);
    const audio = await loadAudio(write('streamed.wav', streamed));
    expect(audio.samples.length).toBe(16000);
  });

  it('option errors are TypeError / RangeError naming the option', async () => {
    const path = join(FIXTURES, 'librispeech-1089-134686-0000.flac');
    await expect(loadAudio(path, { sr: 12.5 })).rejects.toThrow(/sr/);
    await expect(loadAudio(path, { sr: 100 })).rejects.toThrow(RangeError);
    await expect(loadAudio(path, { offset: -1 })).rejects.toThrow(/offset/);
    await expect(loadAudio(path, { duration: 0 })).rejects.toThrow(/duration/);
    await expect(loadAudio(path, { mono: 'yes' as unknown as boolean })).rejects.toThrow(/mono/);
    await expect(loadAudio('' as string)).rejects.toThrow(TypeError);
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });
});
