// Parity with librosa 0.11 on every fixture input x preset, and the mel filterbanks.
import { melFilterbank, presets, resolveOptions, spectrogram } from '../src';
import { fixtures, optionsFor, readF32, readInput, readMelbank } from './fixtures';

const cases = fixtures.outputs.map((o) => [`${o.input} x ${o.preset}`, o] as const);

describe('librosa parity', () => {
  test('the fixture set covers every preset and input', () => {
    expect(new Set(fixtures.outputs.map((o) => o.preset))).toEqual(new Set(Object.keys(fixtures.presets)));
    expect(new Set(fixtures.outputs.map((o) => o.input))).toEqual(new Set(Object.keys(fixtures.inputs)));
  });

  test.each([['seed', 'seed'], ['speech16k', 'speech16k'], ['stft16k', 'linear16k']] as const)(
    'the %s preset is the librosa call of the %s fixtures', (name, fixture) => {
      expect(presets[name]).toEqual(resolveOptions(optionsFor(fixture)));
    });

  test.each(cases)('%s: dB within 1e-3 (60 dB range) and 2e-2 (above floor), exact shape', (_, o) => {
    const preset = fixtures.presets[o.preset];
    const samples = readInput(o.input);
    const ref = readF32(o.db, o.db_sha256);
    const out = spectrogram(samples, optionsFor(o.preset));
    expect(out.shape).toEqual(o.shape);
    expect(out.data.length).toBe(ref.length);

    let max = -Infinity;
    for (const v of ref) max = Math.max(max, v);
    // Without top_db there is no output floor: compare down to 80 dB below the max (see the fixtures' README).
    const floor = preset.top_db === null ? max - 80 : -Infinity;
    let strong = 0;
    let everywhere = 0;
    let strongCount = 0;
    for (let i = 0; i < ref.length; i++) {
      const d = Math.abs(out.data[i] - ref[i]);
      if (ref[i] >= max - 60) {
        strong = Math.max(strong, d);
        strongCount++;
      }
      if (ref[i] >= floor) everywhere = Math.max(everywhere, d);
    }
    expect(strongCount).toBeGreaterThan(0);
    expect(strong).toBeLessThanOrEqual(1e-3);
    expect(everywhere).toBeLessThanOrEqual(2e-2);
  });

  const withPower = cases.filter(([, o]) => o.power !== null);
  test.each(withPower)('%s: pre-dB values within 1e-5 relative L2', (_, o) => {
    const ref = readF32(o.power!, o.power_sha256!);
    const out = spectrogram(readInput(o.input), optionsFor(o.preset, 'power'));
    expect(out.shape).toEqual(o.shape);
    let num = 0;
    let den = 0;
    for (let i = 0; i < ref.length; i++) {
      num += (out.data[i] - ref[i]) ** 2;
      den += ref[i] ** 2;
    }
    expect(den).toBeGreaterThan(0);
    expect(Math.sqrt(num / den)).toBeLessThanOrEqual(1e-5);
  });

  test.each(Object.keys(fixtures.melbanks))('melbank %s within 1e-6 relative, same sparsity', (name) => {
    const expected = readMelbank(name);
    const m = fixtures.melbanks[name];
    const fb = melFilterbank(optionsFor(name));
    expect(fb.shape).toEqual(m.shape);
    expect(fb.nonzeros).toBe(m.nonzeros);
    let max = 0;
    for (const v of expected) max = Math.max(max, Math.abs(v));
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i];
      if (e === 0) {
        if (fb.data[i] !== 0) throw new Error(`${name}[${i}]: expected 0, got ${fb.data[i]}`);
      } else if (Math.abs(fb.data[i] - e) > 1e-6 * Math.abs(e)) {
        throw new Error(`${name}[${i}]: ${fb.data[i]} vs ${e}`);
      }
    }
    expect(max).toBeGreaterThan(0);
  });
});
