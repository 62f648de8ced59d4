// The compiled CLI as a child process: spectrogram outputs, and scan's guarantees under kill -9,
// corrupt files and shards, with the real decoder and the bundled model.
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliAsync, makeAudioTree, readJsonl, requireBuild } from './spawn-helpers';
import { tmpDir } from './helpers';

const fx = (name: string) => path.join(__dirname, 'fixtures', 'librosa', name);
const readF32 = (file: string) => {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
};

beforeAll(requireBuild);

describe('spectrogram (spawned)', () => {
  const dir = tmpDir();
  const args = [fx('edge16k.audio.f32'), '--raw-sr', '16000', '--preset', 'speech16k'];

  test('f32, json and png describe the same spectrogram', () => {
    for (const ext of ['f32', 'json', 'png']) {
      const r = cli(['spectrogram', ...args, '--out', path.join(dir, `s.${ext}`)]);
      expect(r.stderr).toContain(`80 bins x 138 frames (${ext})`);
      expect(r.code).toBe(0);
    }
    const f32 = readF32(path.join(dir, 's.f32'));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8'));
    expect(json.shape).toEqual([80, 138]);
    expect(Float32Array.from(json.data)).toEqual(f32);
    const ref = readF32(fx('edge16k.speech16k.db.f32'));
    let worst = 0;
    for (let i = 0; i < ref.length; i++) if (ref[i] >= -60) worst = Math.max(worst, Math.abs(ref[i] - f32[i]));
    expect(worst).toBeLessThanOrEqual(1e-3);
    const png = fs.readFileSync(path.join(dir, 's.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([138, 80]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('a user error prints one line and exits non-zero, no stack trace', () => {
    const r = cli(['spectrogram', '/no/such/file.f32', '--raw-sr', '16000', '--out', path.join(dir, 'x.f32')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error [ENOENT]: cannot read /no/such/file.f32: no such file\n');
  });
});

describe('scan (spawned, real decoder and bundled model)', () => {
  let root: string;
  let expected: string[];
  let corrupt: string[];

  beforeAll(() => {
    root = tmpDir('melguard-scan-corpus-');
    const t = makeAudioTree(root, { real: 60, fake: 60, seconds: 1, corrupt: 12 });
    expected = [...t.good, ...t.corrupt].sort();
    corrupt = t.corrupt;
  });

  test('>= 5 % corrupt files: one record each with its error code, the rest scored, exit 0', () => {
    const out = path.join(tmpDir(), 'r.jsonl');
    const r = cli(['scan', root, '--out', out, '--windows']);
    expect(r.stderr).toMatch(/132 files .*120 ok, 12 failed, 0 skipped/);
    expect(r.code).toBe(0);
    const rs = readJsonl(out);
    expect(rs.map((x) => x.path).sort()).toEqual(expected);
    const failed = rs.filter((x) => x.error);
    expect(failed.map((x) => x.path).sort()).toEqual([...corrupt].sort());
    for (const f of failed) expect(f.error.code).toMatch(/^E_[A-Z_]+$/);
    for (const x of rs.filter((y) => !y.error)) {
      expect(x.score).toBeGreaterThanOrEqual(0);
      expect(x.score).toBeLessThanOrEqual(1);
      expect(['real', 'fake']).toContain(x.label);
      expect(x.windows.length).toBeGreaterThanOrEqual(1);
      expect(x.size).toBe(fs.statSync(x.path).size);
    }
  });

  test('kill -9 mid-run, rerun: every file exactly once, same results as an uninterrupted scan', async () => {
    const dir = tmpDir();
    const reference = path.join(dir, 'ref.jsonl');
    expect(cli(['scan', root, '--out', reference]).code).toBe(0);
    const out = path.join(dir, 'killed.jsonl');
    let killedAt = -1;
    for (let attempt = 0; attempt < 5 && killedAt < 0; attempt++) {
      fs.rmSync(out, { force: true });
      const child = cliAsync(['scan', root, '--out', out, '--concurrency', '1', '--threads', '1']);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      while (child.exitCode === null) {
        const n = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').length - 1 : 0;
        if (n >= 1 && n < expected.length) {
          child.kill('SIGKILL');
          killedAt = n;
          break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      await exited;
    }
    expect(killedAt).toBeGreaterThan(0); // the run was really interrupted
    const before = readJsonl(out.replace(/$/, '')).length;
    expect(before).toBeLessThan(expected.length);
    const r = cli(['scan', root, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`(\\d+) skipped as already done`));
    const rs = readJsonl(out);
    expect(rs).toHaveLength(expected.length);
    expect(rs.map((x) => x.path).sort()).toEqual(expected);
    const byPath = (xs: Record<string, any>[]) => Object.fromEntries(xs.map((x) => [x.path, x.error ? x.error.code : x.score.toFixed(6)]));
    expect(byPath(rs)).toEqual(byPath(readJsonl(reference)));
  });

  test('shards 0..2 of 3: disjoint, covering, and the same records as one scan', () => {
    const dir = tmpDir();
    const parts = [0, 1, 2].map((i) => {
      const out = path.join(dir, `shard${i}.jsonl`);
      expect(cli(['scan', root, '--out', out, '--shard', `${i}/3`]).code).toBe(0);
      return readJsonl(out);
    });
    const all = parts.flat().map((x) => x.path);
    expect(parts.every((p) => p.length > 10)).toBe(true);
    expect(all).toHaveLength(expected.length);
    expect([...all].sort()).toEqual(expected);
  });

  test('concurrency does not change the output (byte-identical records)', () => {
    const dir = tmpDir();
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    expect(cli(['scan', root, '--out', a, '--concurrency', '1']).code).toBe(0);
    expect(cli(['scan', root, '--out', b, '--concurrency', '4']).code).toBe(0);
    expect(fs.readFileSync(b, 'utf8')).toBe(fs.readFileSync(a, 'utf8'));
  });

  test('without --out, JSONL goes to stdout and nothing else does', () => {
    const r = cli(['scan', path.join(root, 'REAL', 'spk0'), '--format', 'jsonl', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
  });
});
