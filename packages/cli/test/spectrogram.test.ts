// `melguard spectrogram --raw-sr` reproduces librosa's fixtures through the CLI (in-process; the spawned
// compiled CLI is covered in cli-spawn.test.ts), writes f32 / JSON atomically (PNG: cli-spawn.test.ts, since jest's realm breaks instanceof on native arrays), and maps flags to options.
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tmpDir } from './helpers';

const fx = (name: string) => path.join(__dirname, 'fixtures', 'librosa', name);
const readF32 = (file: string) => {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
};

/** The fixtures README's tolerances: <= 1e-3 dB within 60 dB of the max, <= 2e-2 dB within 80 dB. */
function expectParity(got: Float32Array, ref: Float32Array) {
  expect(got.length).toBe(ref.length);
  let max = -Infinity;
  for (const v of ref) max = Math.max(max, v);
  let strong = 0;
  let all = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    if (ref[i] >= max - 60) strong = Math.max(strong, d);
    if (ref[i] >= max - 80) all = Math.max(all, d);
  }
  expect(strong).toBeLessThanOrEqual(1e-3);
  expect(all).toBeLessThanOrEqual(2e-2);
}

describe('melguard spectrogram --raw-sr', () => {
  const dir = tmpDir();

  test('speech16k preset matches librosa (f32, [bins][frames])', async () => {
    const out = path.join(dir, 'speech.f32');
    const r = await runCli(['spectrogram', fx('edge16k.audio.f32'), '--raw-sr', '16000', '--preset', 'speech16k', '--out', out]);
    expect(r.stderr).toContain('80 bins x 138 frames (f32)');
    expect(r.code).toBe(0);
    expectParity(readF32(out), readF32(fx('edge16k.speech16k.db.f32')));
  });

  test('explicit librosa flags (htk, norm none, magnitude, amplitude dB, no top_db) match the htk16k fixture', async () => {
    const out = path.join(dir, 'htk.json');
    const r = await runCli([
      'spectrogram', fx('edge16k.audio.f32'), '--raw-sr', '16000',
      '--n-fft', '512', '--hop-length', '160', '--win-length', '400', '--window', 'hann', '--center', '--pad-mode', 'constant',
      '--power', '1', '--n-mels', '80', '--f-min', '20', '--f-max', '8000', '--htk', '--norm', 'none',
      '--scale', 'db', '--ref', '1', '--amin', '1e-5', '--top-db', 'none', '--out', out,
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json.shape).toEqual([80, 138]);
    expectParity(Float32Array.from(json.data), readF32(fx('edge16k.htk16k.db.f32')));
  });

  test('--offset/--duration select samples; a different --sr resamples first', async () => {
    const out = path.join(dir, 'part.json');
    const r = await runCli(['spectrogram', fx('edge16k.audio.f32'), '--raw-sr', '16000', '--preset', 'speech16k', '--offset', '0.5', '--duration', '0.5', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).shape).toEqual([80, 1 + Math.floor(8000 / 160)]);
  });

  test('an invalid option is reported by the engine as a usage error naming it; nothing is written', async () => {
    const out = path.join(dir, 'bad.f32');
    const r = await runCli(['spectrogram', fx('edge16k.audio.f32'), '--raw-sr', '16000', '--n-fft', '256', '--win-length', '400', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[[A-Z_]+\]: .*winLength/);
    expect(fs.existsSync(out)).toBe(false);
    const fmax = await runCli(['spectrogram', fx('edge16k.audio.f32'), '--raw-sr', '16000', '--f-max', '9000', '--out', out]);
    expect(fmax.code).toBe(2);
    expect(fmax.stderr).toMatch(/fMax/);
  });
});
