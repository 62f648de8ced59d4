// The engine has alternative code paths chosen per process: AVX2 or scalar kernels (MELGUARD_SIMD=0), and the
// 4-wide SIMD KissFFT (when built in) or the system kiss_fftr (MELGUARD_FFT=system). Each combination must match
// librosa; child processes run the non-default ones on every fixture.
import { execFileSync } from 'child_process';
import { join } from 'path';
import { engineInfo, resolveOptions } from '../src';
import { FIXTURE_DIR, fixtures, optionsFor } from './fixtures';

const NATIVE = join(__dirname, '..', '..', '..', 'native', 'index.js');

// Runs every fixture case through the addon in a fresh process and returns the worst errors.
const CHILD = `
const fs = require('fs');
const native = require(process.argv[1]);
const [dir, casesJson] = [process.argv[2], process.argv[3]];
const read = (f) => { const b = fs.readFileSync(dir + '/' + f); const c = new Uint8Array(b.length); c.set(b); return new Float32Array(c.buffer); };
let strong = 0, everywhere = 0;
for (const c of JSON.parse(casesJson)) {
  const out = native.spectrogram(read(c.audio), c.options);
  const ref = read(c.db);
  let max = -Infinity; for (const v of ref) max = Math.max(max, v);
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(out.data[i] - ref[i]);
    if (ref[i] >= max - 60) strong = Math.max(strong, d);
    if (ref[i] >= c.floorBelowMax + max) everywhere = Math.max(everywhere, d);
  }
}
const info = native.engineInfo();
console.log(JSON.stringify({ strong, everywhere, kernels: info.kernels, fft: info.fft }));
`;

const cases = fixtures.outputs.map((o) => ({
  audio: fixtures.inputs[o.input].file,
  db: o.db,
  options: resolveOptions(optionsFor(o.preset)),
  floorBelowMax: fixtures.presets[o.preset].top_db === null ? -80 : -Infinity,
}));

test.each<[string, Record<string, string>]>([
  ['scalar kernels', { MELGUARD_SIMD: '0' }],
  ['system kiss_fftr', { MELGUARD_FFT: 'system' }],
  ['scalar kernels and system kiss_fftr', { MELGUARD_SIMD: '0', MELGUARD_FFT: 'system' }],
])('%s match librosa on every fixture', (_, env) => {
  const output = execFileSync(process.execPath, ['-e', CHILD, NATIVE, FIXTURE_DIR, JSON.stringify(cases)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const r = JSON.parse(output);
  if (env.MELGUARD_SIMD === '0') expect(r.kernels).toBe('scalar');
  if (env.MELGUARD_FFT === 'system') expect(r.fft).toBe('kissfft');
  expect(r.strong).toBeLessThanOrEqual(1e-3);
  expect(r.everywhere).toBeLessThanOrEqual(2e-2);
});

test('this process reports the paths it uses', () => {
  const info = engineInfo();
  expect(['kissfft-simd4', 'kissfft']).toContain(info.fft);
  expect(info.fftDescription.length).toBeGreaterThan(10);
});
