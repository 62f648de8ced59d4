// Fuzz: >= 500 damaged or hostile files through every decoding entry point, in a child process.
// Each must give a result or a typed error; the process must neither crash, hang nor balloon in memory.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { encodeAudio } from '../src/audio';
import { resolveOptions } from '../src/options';
import { FIXTURES, makeWav, rng, sine, tempDir } from './audio-helpers';

const TYPED = new Set(['E_UNSUPPORTED', 'E_CORRUPT', 'E_EMPTY', 'E_TOO_LARGE', 'E_TOO_SHORT']);

interface Seed {
  name: string;
  bytes: Buffer;
}

async function seeds(): Promise<Seed[]> {
  const sr = 16000;
  const x = sine(330, sr, 0.6, 0.5);
  const stereo = new Float32Array(x.length * 2).map((_, i) => x[i >> 1] * (i % 2 ? 0.5 : 1));
  const enc = async (format: 'wav' | 'flac' | 'ogg' | 'opus' | 'mp3', options = {}, data = x, rate = sr) =>
    Buffer.from(await encodeAudio(data, rate, format, options));
  return [
    { name: 'pcm16.wav', bytes: makeWav('s16', sr, 1, Array.from(x, (v) => Math.round(v * 32767))).bytes },
    { name: 'float.wav', bytes: makeWav('f32', sr, 1, Array.from(x)).bytes },
    { name: 'stereo24.wav', bytes: await enc('wav', { subtype: 'pcm24', channels: 2 }, stereo) },
    { name: 'mono.flac', bytes: await enc('flac') },
    { name: 'stereo.flac', bytes: await enc('flac', { channels: 2 }, stereo) },
    { name: 'vorbis.ogg', bytes: await enc('ogg') },
    { name: 'speech.opus', bytes: await enc('opus') },
    { name: 'tone.mp3', bytes: await enc('mp3') },
    { name: 'stereo44k.mp3', bytes: await enc('mp3', { channels: 2 }, stereo, 44100) },
    // A file from another encoder, cut to its first 16 kB (the FLAC header plus a few frames).
    { name: 'librispeech.flac', bytes: readFileSync(join(FIXTURES, 'librispeech-1089-134686-0000.flac')).subarray(0, 16384) },
  ];
}

function mutations(list: Seed[]): Map<string, Buffer> {
  const next = rng(20240611);
  const int = (n: number) => Math.floor(next() * n);
  const out = new Map<string, Buffer>();
  const add = (name: string, bytes: Buffer) => out.set(`${String(out.size).padStart(4, '0')}-${name}`, bytes);

  for (const seed of list) {
    const b = seed.bytes;
    // Truncations: inside the header, and anywhere in the stream.
    for (const cut of [1, 4, 11, 12, 20, 36, 43, 44, 60]) add(`cut${cut}-${seed.name}`, b.subarray(0, cut));
    for (let k = 0; k < 8; k++) add(`trunc${k}-${seed.name}`, b.subarray(0, 64 + int(b.length - 64)));
    // Bit flips: a few or many, anywhere.
    for (let k = 0; k < 12; k++) {
      const m = Buffer.from(b);
      const flips = k < 6 ? 1 + int(4) : 10 + int(200);
      for (let f = 0; f < flips; f++) m[int(m.length)] ^= 1 << int(8);
      add(`flip${k}-${seed.name}`, m);
    }
    // Header smashing: overwrite bytes of the first 64 with extreme or random values.
    for (let k = 0; k < 10; k++) {
      const m = Buffer.from(b);
      const at = int(Math.min(64, m.length));
      const len = 1 + int(8);
      const fill = [0x00, 0xff, 0x7f, 0x80][k % 4];
      for (let i = at; i < Math.min(m.length, at + len); i++) m[i] = k < 8 ? fill : int(256);
      add(`smash${k}-${seed.name}`, m);
    }
    // Chunks of the stream spliced, duplicated or dropped.
    for (let k = 0; k < 4; k++) {
      const a = int(b.length);
      const c = int(b.length);
      const [lo, hi] = a < c ? [a, c] : [c, a];
      add(`drop${k}-${seed.name}`, Buffer.concat([b.subarray(0, lo), b.subarray(hi)]));
      add(`dup${k}-${seed.name}`, Buffer.concat([b.subarray(0, hi), b.subarray(lo)]));
    }
    // Right bytes, wrong extension.
    add(`${seed.name}.txt`, b);
  }

  // Pure noise, bare and behind every magic number the sniffer accepts.
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  for (let k = 0; k < 30; k++) add(`noise${k}.wav`, noise(1 + int(20000)));
  const magics = ['RIFF\x10\x00\x00\x00WAVE', 'RF64\xff\xff\xff\xffWAVE', 'FORM\x00\x00\x10\x00AIFF', 'fLaC', 'OggS', 'ID3\x04\x00', '\xff\xfb\x90\x64', 'caff', '.snd'];
  for (const magic of magics) {
    for (let k = 0; k < 6; k++) add(`magic${k}-${magic.slice(0, 4).replace(/[^A-Za-z0-9]/g, '_')}.bin`, Buffer.concat([Buffer.from(magic, 'latin1'), noise(int(30000))]));
  }

  // Bogus WAV headers: every field set to something absurd.
  const base = list[0].bytes;
  const wavField = (name: string, edit: (m: Buffer) => void) => {
    const m = Buffer.from(base);
    edit(m);
    add(`bogus-${name}.wav`, m);
  };
  const u32 = (off: number, v: number) => (m: Buffer) => m.writeUInt32LE(v >>> 0, off);
  const u16 = (off: number, v: number) => (m: Buffer) => m.writeUInt16LE(v, off);
  for (const v of [0, 1, 7, 0xffffffff, 0x7fffffff, 192000000]) wavField(`rate${v}`, u32(24, v));
  for (const v of [0, 3, 255, 1024, 65535]) wavField(`channels${v}`, u16(22, v));
  for (const v of [0, 1, 7, 13, 64, 65535]) wavField(`bits${v}`, u16(34, v));
  for (const v of [0, 1, 3, 0xfffe, 0x55, 0x1234]) wavField(`format${v}`, u16(20, v));
  for (const v of [0, 3, 0xffff]) wavField(`align${v}`, u16(32, v));
  for (const v of [0, 2, 0x7ffffff0, 0xfffffff0]) wavField(`fmtsize${v}`, u32(16, v));
  for (const v of [1, 0x10000000, 0x7fffffff, 0xfffffff0]) wavField(`datasize${v}`, u32(40, v));
  wavField('riffsize0', u32(4, 0));
  // RF64 declaring 2^40 .. 2^62 bytes.
  for (const exp of [40n, 50n, 62n]) {
    const ds64 = Buffer.alloc(36);
    ds64.write('ds64', 0);
    ds64.writeUInt32LE(28, 4);
    ds64.writeBigUInt64LE(2n ** exp, 8);
    ds64.writeBigUInt64LE(2n ** exp, 16);
    ds64.writeBigUInt64LE(2n ** (exp - 1n), 24);
    const head = Buffer.from('RF64\xff\xff\xff\xffWAVE', 'latin1');
    const data = Buffer.from('data\xff\xff\xff\xff', 'latin1');
    add(`bogus-rf64-2e${exp}.wav`, Buffer.concat([head, ds64, base.subarray(12, 36), data, base.subarray(44)]));
  }
  // Bogus FLAC STREAMINFO fields (block sizes, rate, channels, bits, total samples).
  const flac = list[3].bytes;
  for (let k = 0; k < 24; k++) {
    const m = Buffer.from(flac);
    const at = 8 + int(18);
    m[at] = [0, 0xff][k % 2] ^ (k > 12 ? int(256) : 0);
    add(`bogus-streaminfo${k}.flac`, m);
  }
  return out;
}

interface Line {
  name?: string;
  results?: Record<string, { ok?: boolean; code?: string; message?: string; path?: string }>;
  done?: number;
  maxRssKb?: number;
}

function runChild(dir: string): Promise<{ code: number | null; signal: string | null; lines: Line[]; stderr: string }> {
  const addon = resolve(__dirname, '../../../native/index.js');
  // The file batch runs too: speech16k features of 1 s windows every 0.5 s.
  const extra = JSON.stringify({ config: resolveOptions({ preset: 'speech16k' }), windowing: { windowSeconds: 1, hopSeconds: 0.5, minSeconds: 0.1 } });
  const child = spawn(process.execPath, [join(__dirname, 'fuzz-runner.js'), addon, dir, extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // A hang is a failure: kill the child after a generous bound.
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
      done({ code, signal, lines, stderr });
    });
  });
}

describe('fuzz', () => {
  let tmp: ReturnType<typeof tempDir>;
  afterAll(() => tmp?.cleanup());

  it('every mutated file yields a result or a typed error; the decoder never crashes or hangs', async () => {
    tmp = tempDir('melguard-fuzz-');
    const files = mutations(await seeds());
    expect(files.size).toBeGreaterThanOrEqual(500);
    for (const [name, bytes] of files) writeFileSync(join(tmp.dir, name), bytes);

    const run = await runChild(tmp.dir);
    const lastBegin = run.stderr.match(/BEGIN (\S+)\n(?![\s\S]*BEGIN)/)?.[1];
    if (run.code !== 0) throw new Error(`fuzz child died (code ${run.code}, signal ${run.signal}) on ${lastBegin}\n${run.stderr.slice(-2000)}`);

    const summary = run.lines.at(-1)!;
    expect(summary.done).toBe(files.size);
    const perFile = run.lines.filter((l) => l.name);
    expect(perFile).toHaveLength(files.size);

    const codes = new Map<string, number>();
    let ok = 0;
    for (const line of perFile) {
      for (const [op, r] of Object.entries(line.results!)) {
        if (r.ok) {
          ok++;
          continue;
        }
        codes.set(r.code!, (codes.get(r.code!) ?? 0) + 1);
        if (!TYPED.has(r.code!)) throw new Error(`${line.name} ${op}: untyped outcome ${r.code}: ${r.message}`);
        // Every error names its file (the batch reports it beside the error, not in it).
        const file = op === 'buffer' ? line.name : join(tmp.dir, line.name!);
        if (op !== 'files') expect(r.path).toBe(file);
        expect(r.message).toContain(file);
      }
    }
    if (process.env.FUZZ_VERBOSE) console.log(files.size, ok, [...codes], summary.maxRssKb, run.stderr.split("\n").filter((l) => !l.startsWith("BEGIN")).slice(0, 10));
    // Both outcomes must really occur (wrong extensions and mild damage decode; the rest fails typed).
    expect(ok).toBeGreaterThan(100);
    expect(codes.get('E_UNSUPPORTED')).toBeGreaterThan(10);
    expect(codes.get('E_CORRUPT')).toBeGreaterThan(10);
    // No file may make the decoder allocate without bound.
    expect(summary.maxRssKb!).toBeLessThan(1024 * 1024);
  }, 300_000);
});
