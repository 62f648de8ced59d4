// The corpus resolves feature options through dsp (the only validator) and hashes them into store keys.
import { frameCount, presets } from '@melguard/dsp';
import { expectedShape, optionsHashOf, resolveFeatures, resolveWindowing } from '../src';

describe('feature options through dsp', () => {
  it('resolves presets, keeps the preset name only when nothing is overridden, defaults to speech16k', () => {
    expect(resolveFeatures({ preset: 'seed' })).toEqual({ presetName: 'seed', features: presets.seed });
    expect(resolveFeatures({})).toEqual({ presetName: 'speech16k', features: presets.speech16k });
    const custom = resolveFeatures({ preset: 'speech16k', options: { nMels: 64 } });
    expect(custom.presetName).toBeNull();
    expect(custom.features).toEqual({ ...presets.speech16k, nMels: 64 });
  });

  it('passes dsp\'s validation errors through', () => {
    expect(() => resolveFeatures({ options: { nFft: -1 } })).toThrow(RangeError);
    expect(() => resolveFeatures({ options: { nFft: -1 } })).toThrow(/nFft/);
  });

  it('predicts the window shape exactly as dsp counts frames', () => {
    for (const name of ['seed', 'speech16k'] as const) {
      const f = presets[name];
      for (const seconds of [0.25, 1, 3, 4]) {
        const [bins, frames] = expectedShape(f, resolveWindowing({ windowSeconds: seconds }));
        expect(bins).toBe(f.nMels);
        expect(frames).toBe(frameCount(Math.round(seconds * f.sr), f));
      }
    }
    expect(expectedShape({ ...presets.speech16k, nMels: 0 }, resolveWindowing({ windowSeconds: 1 }))[0]).toBe(257);
  });

  it('gives a different options hash for any change of features or windowing', () => {
    const w = resolveWindowing({ windowSeconds: 4 });
    const base = optionsHashOf(presets.speech16k, w);
    expect(optionsHashOf({ ...presets.speech16k }, { ...w })).toBe(base);
    expect(optionsHashOf({ ...presets.speech16k, topDb: 60 }, w)).not.toBe(base);
    expect(optionsHashOf(presets.speech16k, { ...w, hopSeconds: 2 })).not.toBe(base);
  });
});
