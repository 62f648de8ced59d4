// `melguard spectrogram` reproduces librosa 0.11 through the command line: every fixture input, every preset,
// raw float32 input (--raw-sr) with the preset's options spelled out as flags, f32 output compared bin by bin.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'packages/cli/dist/bin.js');
const FIXTURES = path.join(ROOT, 'packages/dsp/test/fixtures/librosa');
const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fixtures.json'), 'utf8'));

interface FixturePreset {
  kind: 'mel' | 'stft'; sr: number; n_fft: number; hop_length: number; win_length: number; window: string;
  pad_mode: string; power: number; n_mels?: number; fmin?: number; fmax?: number; htk?: boolean; norm?: string | null;
  to_db: string; ref: string | number; amin: number; top_db: number | null;
}

/** The librosa call of a fixture preset, as melguard flags. */
function flagsOf(p: FixturePreset): string[] {
  const f = ['--sr', `${p.sr}`, '--n-fft', `${p.n_fft}`, '--hop-length', `${p.hop_length}`, '--win-length', `${p.win_length}`,
    '--window', p.window, '--pad-mode', p.pad_mode, '--power', `${p.power}`, '--scale', 'db',
    '--ref', p.ref === 'np.max' ? 'max' : `${p.ref}`, '--amin', `${p.amin}`, '--top-db', p.top_db === null ? 'none' : `${p.top_db}`];
  if (p.kind === 'stft') return [...f, '--n-mels', '0'];
  return [...f, '--n-mels', `${p.n_mels}`, '--f-min', `${p.fmin}`, '--f-max', `${p.fmax}`,
    p.htk ? '--htk' : '--no-htk', '--norm', p.norm === null ? 'none' : `${p.norm}`];
}

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const cases = (manifest.outputs as { input: string; preset: string; shape: [number, number]; db: string }[])
  .filter((o) => fs.existsSync(path.join(FIXTURES, o.db)));

describe('melguard spectrogram reproduces the librosa fixtures', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'melguard-e2e-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('covers every preset in the fixtures', () => {
    expect(new Set(cases.map((c) => c.preset))).toEqual(new Set(Object.keys(manifest.presets)));
  });

  it.each(cases.map((c) => [`${c.input} x ${c.preset}`, c] as const))('%s', (_name, c) => {
    const preset = manifest.presets[c.preset] as FixturePreset;
    const input = path.join(FIXTURES, manifest.inputs[c.input].file);
    const out = path.join(dir, `${c.input}.${c.preset}.f32`);
    execFileSync(process.execPath, [CLI, 'spectrogram', input, '--raw-sr', `${preset.sr}`, ...flagsOf(preset), '--format', 'f32', '--out', out]);

    const got = readF32(out);
    const want = readF32(path.join(FIXTURES, c.db));
    expect(got.length).toBe(c.shape[0] * c.shape[1]);
    let max = -Infinity;
    for (const v of want) max = Math.max(max, v);
    const floor = preset.top_db === null ? max - 80 : max - preset.top_db;
    let strong = 0, above = 0;
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(got[i] - want[i]);
      if (want[i] >= max - 60) strong = Math.max(strong, d);
      if (want[i] > floor) above = Math.max(above, d);
    }
    expect(strong).toBeLessThanOrEqual(1e-3);
    expect(above).toBeLessThanOrEqual(2e-2);
  });

  it('the named preset gives the same output as its spelled-out options', () => {
    const input = path.join(FIXTURES, manifest.inputs.speech16k.file);
    const a = path.join(dir, 'preset.f32');
    execFileSync(process.execPath, [CLI, 'spectrogram', input, '--raw-sr', '16000', '--preset', 'speech16k', '--format', 'f32', '--out', a]);
    const want = readF32(path.join(FIXTURES, 'speech16k.speech16k.db.f32'));
    const got = readF32(a);
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.length; i++) if (want[i] > -60) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThanOrEqual(1e-3);
  });

  it('bad options exit non-zero with a message naming the option, and write nothing', () => {
    const input = path.join(FIXTURES, manifest.inputs.speech16k.file);
    const out = path.join(dir, 'bad.f32');
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [CLI, 'spectrogram', input, '--raw-sr', '16000', '--preset', 'speech16k', '--win-length', '1024', '--out', out], { stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      status = err.status;
      stderr = err.stderr.toString();
    }
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/winLength/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
