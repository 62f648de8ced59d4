// Argument validation: every bad flag is a usage error (exit 2) with `error [CODE]: message` naming it.
import { aggregate, choice, int, num, numOr, shard } from '../src/lib/args';
import { renderProgress, formatDuration } from '../src/lib/progress';
import { runCli, tmpDir } from './helpers';

describe('option parsers', () => {
  test('int', () => {
    expect(int(1, 8)('4')).toBe(4);
    expect(() => int(1, 8)('0')).toThrow('must be an integer in [1, 8]');
    expect(() => int(1)('2.5')).toThrow('must be an integer >= 1');
    expect(() => int()('abc')).toThrow('must be an integer');
    expect(() => int()('')).toThrow();
    expect(int()('-3')).toBe(-3);
  });
  test('num', () => {
    expect(num(0, 1)('0.25')).toBe(0.25);
    expect(() => num(0, 1)('1.5')).toThrow('in [0, 1]');
    expect(() => num(0, Infinity, { exclusiveMin: true })('0')).toThrow('> 0');
    expect(() => num()('NaN')).toThrow();
    expect(() => num()('Infinity')).toThrow();
  });
  test('choice, numOr, aggregate', () => {
    expect(choice(['a', 'b'] as const)('b')).toBe('b');
    expect(() => choice(['a', 'b'] as const)('c')).toThrow('must be one of: a, b');
    expect(numOr(['none'] as const)('none')).toBe('none');
    expect(numOr(['none'] as const)('80')).toBe(80);
    expect(() => numOr(['none'] as const)('lots')).toThrow('or one of: none');
    expect(aggregate('max')).toBe('max');
    expect(aggregate('topk:3')).toBe('topk:3');
    expect(() => aggregate('topk:0')).toThrow();
    expect(() => aggregate('median')).toThrow('mean, max or topk:K');
  });
  test('shard i/N is 0-based', () => {
    expect(shard('0/4')).toEqual({ index: 0, count: 4 });
    expect(shard('3/4')).toEqual({ index: 3, count: 4 });
    expect(() => shard('4/4')).toThrow('[0, 3]');
    expect(() => shard('1/0')).toThrow('[1, 1000000]');
    expect(() => shard('a/b')).toThrow('i/N');
  });
});

describe('the CLI reports usage errors as `error [E_USAGE]` with exit code 2', () => {
  test.each([
    [['spectrogram', 'in.f32', '--raw-sr', '16000'], /required option '--out <file>'/],
    [['spectrogram', 'in.f32', '--out', 'x.f32', '--n-fft', 'abc'], /--n-fft <n>.*must be an integer/],
    [['spectrogram', 'in.f32', '--out', 'x.f32', '--format', 'tiff'], /must be one of: f32, json, png/],
    [['spectrogram', 'in.f32', '--out', 'x.f32', '--top-db', 'lots'], /--top-db.*or one of: none/],
    [['scan', 'x', '--shard', '4/4'], /shard index must be in \[0, 3\]/],
    [['scan', 'x', '--concurrency', '0'], /--concurrency.*\[1, 1024\]/],
    [['scan', 'x', '--aggregate', 'median'], /mean, max or topk:K/],
    [['scan'], /missing required argument 'paths'/],
    [['detect'], /missing required argument 'file'/],
    [['serve', '--port', '70000'], /--port.*\[0, 65535\]/],
    [['evaluate', 'x', '--threshold', '2'], /--threshold.*\[0, 1\]/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['scan', 'x', '--frobnicate'], /unknown option '--frobnicate'/],
    [['split', 'x', '--out', 's.json', '--policy', 'random'], /grouped, leave-methods-out/],
    [['split', 'x', '--out', 's.json', '--hold-out', 'srcA'], /--hold-out needs --policy leave-methods-out or leave-sources-out/],
    [['train', '--features', 'f', '--model', 'big', '--out', 'o'], /seed, default/],
    [['train', '--features', 'f', '--model', 'default', '--out', 'o', '--balance', 'speaker'], /--balance.*class, source/],
    [['train', '--features', 'f', '--model', 'default', '--out', 'o', '--ema', '0'], /--ema.*> 0/],
  ])('%j', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[E_USAGE\]: /);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a missing scan path is a typed error', async () => {
    const r = await runCli(['scan', '/definitely/not/here']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error [ENOENT]: cannot scan /definitely/not/here: no such file or folder\n');
  });

  test('--raw-sr input that is not whole float32 samples', async () => {
    const dir = tmpDir();
    const file = `${dir}/odd.f32`;
    require('node:fs').writeFileSync(file, Buffer.alloc(7));
    const r = await runCli(['spectrogram', file, '--raw-sr', '16000', '--out', `${dir}/o.f32`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[E_BAD_INPUT\]: .*7 bytes, not a whole number of float32 samples/);
    expect(require('node:fs').existsSync(`${dir}/o.f32`)).toBe(false);
  });

  test('--help and --version exit 0', async () => {
    const help = await runCli(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--shard <i/N>');
    const v = await runCli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('progress bar text', () => {
  test('files, files/s, x-realtime, ETA', () => {
    const line = renderProgress({ done: 50, total: 200, audioSeconds: 500, elapsedSeconds: 10 }, 120, 'scan');
    expect(line).toContain('50/200 files');
    expect(line).toContain('5.0 files/s');
    expect(line).toContain('50x realtime');
    expect(line).toContain('ETA 00:30');
    expect(line.length).toBeLessThan(120);
    expect(line).toMatch(/\[#+\.+\]/);
    // a narrow terminal keeps the numbers and drops the bar
    const narrow = renderProgress({ done: 50, total: 200, audioSeconds: 500, elapsedSeconds: 10 }, 60, 'scan');
    expect(narrow).toMatch(/^scan 50\/200 files/);
    expect(narrow.length).toBeLessThan(60);
  });
  test('durations', () => {
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('--:--');
  });
});
