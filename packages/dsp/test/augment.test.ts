// Augmentation: determinism per seed, and each step measurably does what it says.
import { augment, augmentSync, defaultAugmentation, type AugmentStep } from '../src/augment';
import { bandPower, db, harmonicTone, maxAbsDiff, powerSpectrum, removeTone, rms, sine, toneAmplitude } from './audio-helpers';

const SR = 16000;

const speechLike = (seconds: number, seed = 1) => harmonicTone(seconds, SR, seed);

describe('determinism', () => {
  const x = speechLike(1);
  it('the same seed gives the same output; another seed another', async () => {
    const a = await augment(x, SR, defaultAugmentation, 1234);
    const b = await augment(x, SR, defaultAugmentation, 1234);
    expect(maxAbsDiff(a.samples, b.samples)).toBe(0);
    expect(a.applied).toEqual(b.applied);
    const sync = augmentSync(x, SR, defaultAugmentation, 1234);
    expect(maxAbsDiff(sync.samples, a.samples)).toBe(0);
    let differing = 0;
    for (let seed = 0; seed < 10; seed++) {
      const c = await augment(x, SR, [{ type: 'noise', snrDb: 20 }], seed);
      const d = await augment(x, SR, [{ type: 'noise', snrDb: 20 }], seed + 100);
      if (maxAbsDiff(c.samples, d.samples) > 0) differing++;
    }
    expect(differing).toBe(10);
  });

  it('a step draws from its own stream: removing an earlier step does not change a later one', async () => {
    const noise: AugmentStep = { type: 'noise', color: 'pink', snrDb: [0, 30] };
    const alone = await augment(x, SR, [{ type: 'gain', db: 0, p: 0 }, noise], 99);
    const withGain = await augment(x, SR, [{ type: 'gain', db: [-3, 3] }, noise], 99);
    expect(withGain.applied[1].snrDb).toBe(alone.applied[0].snrDb);
  });

  it('p is honoured: 0 never, 1 always, 0.3 about 30 % of seeds', async () => {
    let never = 0;
    let always = 0;
    let some = 0;
    for (let seed = 0; seed < 400; seed++) {
      never += augmentSync(x.subarray(0, 100), SR, [{ type: 'gain', db: 1, p: 0 }], seed).applied.length;
      always += augmentSync(x.subarray(0, 100), SR, [{ type: 'gain', db: 1, p: 1 }], seed).applied.length;
      some += augmentSync(x.subarray(0, 100), SR, [{ type: 'gain', db: 1, p: 0.3 }], seed).applied.length;
    }
    expect(never).toBe(0);
    expect(always).toBe(400);
    // Binomial(400, 0.3): mean 120, sd 9.2.
    expect(some).toBeGreaterThan(90);
    expect(some).toBeLessThan(150);
  });

  it('the default chain keeps length and finiteness over many seeds', async () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 40; seed++) {
      const r = await augment(x, SR, defaultAugmentation, seed);
      expect(r.samples.length).toBe(x.length);
      expect(r.samples.every(Number.isFinite)).toBe(true);
      for (const s of r.applied) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
    }
    expect(counts.size).toBeGreaterThanOrEqual(7);
  }, 60000);
});

describe('steps', () => {
  const x = speechLike(2);

  it('gain scales by the drawn dB', async () => {
    const r = await augment(x, SR, [{ type: 'gain', db: [-12, 6] }], 5);
    const drawn = r.applied[0].db as number;
    expect(drawn).toBeGreaterThanOrEqual(-12);
    expect(drawn).toBeLessThanOrEqual(6);
    expect(db(rms(r.samples) / rms(x))).toBeCloseTo(drawn, 4);
  });

  it.each(['white', 'pink', 'brown'] as const)('%s noise lands at the drawn SNR', async (color) => {
    for (const seed of [1, 2, 3]) {
      const r = await augment(x, SR, [{ type: 'noise', color, snrDb: [0, 30] }], seed);
      const noise = r.samples.map((v, i) => v - x[i]);
      const achieved = db(rms(x) / rms(noise));
      expect(achieved).toBeCloseTo(r.applied[0].snrDb as number, 2);
    }
  });

  it('noise colours have their slopes: white flat, pink -3 dB/octave, brown -6 dB/octave', async () => {
    const silentish = new Float32Array(SR * 8).fill(0).map((_, i) => (i % 2 ? 1e-3 : -1e-3));
    const slope = async (color: 'white' | 'pink' | 'brown') => {
      const r = await augment(silentish, SR, [{ type: 'noise', color, snrDb: -20 }], 7);
      const spectrum = powerSpectrum(r.samples);
      // Octaves 250-500 Hz vs 2-4 kHz: three octaves apart (the alternating +-1e-3 input sits at 8 kHz).
      return (10 * Math.log10(bandPower(spectrum, SR, 2000, 4000) / bandPower(spectrum, SR, 250, 500))) / 3;
    };
    expect(await slope('white')).toBeCloseTo(0, 0);
    expect(Math.abs((await slope('pink')) + 3)).toBeLessThan(0.5);
    expect(Math.abs((await slope('brown')) + 6)).toBeLessThan(0.7);
  });

  it('bandlimit passes the band and removes what lies outside', async () => {
    const tones = [100, 1000, 6000].map((f) => sine(f, SR, 1, 0.3));
    for (const [i, f] of [100, 1000, 6000].entries()) {
      const r = await augment(tones[i], SR, [{ type: 'bandlimit', lowHz: 300, highHz: 3400 }], 0);
      const gain = db(toneAmplitude(r.samples, SR, f, 4000, SR) / 0.3);
      if (f === 1000) expect(Math.abs(gain)).toBeLessThan(0.1);
      else expect(gain).toBeLessThan(-35);
    }
  });

  it('telephone keeps ~1 kHz, removes 100 Hz and 5 kHz and adds mu-law quantisation noise', async () => {
    // 1013 Hz, not a divisor of 8 kHz: the quantisation error is noise-like, not a few harmonics.
    const probe = (f: number) => sine(f, SR, 1, 0.3);
    const mid = await augment(probe(1013), SR, [{ type: 'telephone' }], 0);
    expect(Math.abs(db(toneAmplitude(mid.samples, SR, 1013, 4000, SR) / 0.3))).toBeLessThan(0.5);
    for (const f of [100, 5000]) {
      const r = await augment(probe(f), SR, [{ type: 'telephone' }], 0);
      expect(db(toneAmplitude(r.samples, SR, f, 4000, SR) / 0.3)).toBeLessThan(-30);
    }
    // Quantisation: 8-bit mu-law leaves an error floor about 35-40 dB under a -10 dBFS tone.
    const residual = removeTone(mid.samples, SR, 1013, 4000, SR);
    const snr = db(0.3 / Math.SQRT2 / residual);
    expect(snr).toBeGreaterThan(25);
    expect(snr).toBeLessThan(50);
    // Without the mu-law stage (bandlimit alone) the residual is far lower: the floor is the quantiser's.
    const bandOnly = await augment(probe(1013), SR, [{ type: 'bandlimit', lowHz: 300, highHz: 3400 }], 0);
    expect(db(0.3 / Math.SQRT2 / removeTone(bandOnly.samples, SR, 1013, 4000, SR))).toBeGreaterThan(snr + 20);
  });

  it('resample via 8 kHz removes content above 4 kHz and keeps the rest', async () => {
    const mix = sine(1000, SR, 1, 0.3).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 6000 * i) / SR));
    const r = await augment(mix, SR, [{ type: 'resample', viaHz: [8000] }], 0);
    expect(r.applied[0].viaHz).toBe(8000);
    expect(r.samples.length).toBe(mix.length);
    expect(Math.abs(db(toneAmplitude(r.samples, SR, 1000, 2000, SR - 2000) / 0.3))).toBeLessThan(0.05);
    expect(db(toneAmplitude(r.samples, SR, 6000, 2000, SR - 2000) / 0.3)).toBeLessThan(-80);
  });

  it('clip limits the peak to level x the original peak', async () => {
    const r = await augment(x, SR, [{ type: 'clip', level: 0.5 }], 0);
    const peak = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak(r.samples)).toBeCloseTo(0.5 * peak(x), 6);
    expect(maxAbsDiff(r.samples, x)).toBeGreaterThan(0.01);
  });

  it('eq: one band boosts or cuts its centre frequency by the drawn gain', async () => {
    for (const seed of [3, 4]) {
      const { applied } = await augment(x.subarray(0, 10), SR, [{ type: 'eq', bands: 1, gainDb: 9 }], seed);
      const f = applied[0].hz0 as number;
      const tone = sine(f, SR, 1, 0.1);
      const r = await augment(tone, SR, [{ type: 'eq', bands: 1, gainDb: 9 }], seed);
      expect(db(toneAmplitude(r.samples, SR, f, 4000, SR) / 0.1)).toBeCloseTo(applied[0].db0 as number, 1);
    }
  });

  it('reverb keeps the level and decays at the drawn RT60', async () => {
    const r = await augment(x, SR, [{ type: 'reverb', rt60: [0.3, 0.9] }], 11);
    expect(Math.abs(db(rms(r.samples) / rms(x)))).toBeLessThan(0.01);
    // Impulse response: an impulse in, then Schroeder backward integration of the decay.
    const impulse = new Float32Array(SR * 2);
    impulse[0] = 1;
    const ir = (await augment(impulse, SR, [{ type: 'reverb', rt60: [0.3, 0.9] }], 11)).samples;
    const rt60 = r.applied[0].rt60 as number;
    const energy = new Float64Array(ir.length + 1);
    for (let i = ir.length - 1; i >= 0; i--) energy[i] = energy[i + 1] + ir[i] * ir[i];
    // Time between -5 dB and -25 dB of the tail, extrapolated to 60 dB (T20), ignoring the direct path.
    const tail0 = energy[1];
    const at = (dbDown: number) => energy.findIndex((e, i) => i > 0 && 10 * Math.log10(e / tail0) <= -dbDown);
    const t20 = ((at(25) - at(5)) / SR) * 3;
    expect(t20 / rt60).toBeGreaterThan(0.85);
    expect(t20 / rt60).toBeLessThan(1.15);
  });

  it.each([
    ['mp3', { bitrate: 32 }],
    ['opus', { bitrate: 16 }],
    ['ogg', { compression: 0.8 }],
  ] as const)('%s round trip keeps length and level, and really changes the samples', async (format, extra) => {
    const r = await augment(x, SR, [{ type: 'codec', format, ...extra } as AugmentStep], 0);
    expect(r.samples.length).toBe(x.length);
    expect(Math.abs(db(rms(r.samples) / rms(x)))).toBeLessThan(1);
    const diff = r.samples.map((v, i) => v - x[i]);
    const snr = db(rms(x) / rms(diff));
    expect(snr).toBeGreaterThan(3);
    expect(snr).toBeLessThan(60);
    expect(r.applied[0]).toMatchObject({ type: 'codec', format });
  });

  it('codec at a rate it cannot store goes through the nearest one (opus at 22.05 kHz)', async () => {
    const tone = sine(440, 22050, 1, 0.4);
    const r = await augment(tone, 22050, [{ type: 'codec', format: 'opus', bitrate: 48 }], 0);
    expect(r.samples.length).toBe(tone.length);
    expect(toneAmplitude(r.samples, 22050, 440, 2000, 20000)).toBeCloseTo(0.4, 1);
  });
});

describe('validation', () => {
  const x = new Float32Array(100);
  it.each([
    [[{ type: 'gain' }], /steps\[0\]\.db is required/],
    [[{ type: 'noise', snrDb: [30, 10] }], /steps\[0\]\.snrDb: min must be <= max/],
    [[{ type: 'noise', snrDb: 10, color: 'blue' }], /color/],
    [[{ type: 'clip', level: 1.5 }], /steps\[0\]\.level/],
    [[{ type: 'bandlimit' }], /lowHz and\/or highHz/],
    [[{ type: 'bandlimit', lowHz: 500, highHz: 400 }], /below highHz/],
    [[{ type: 'resample', viaHz: [] }], /viaHz/],
    [[{ type: 'codec', format: 'ogg', bitrate: 64 }], /compression for ogg/],
    [[{ type: 'codec', format: 'aac' }], /format/],
    [[{ type: 'gain', db: 1, p: 2 }], /steps\[0\]\.p/],
    [[{ type: 'echo' }], /type must be one of/],
  ])('%j is rejected', async (steps, message) => {
    await expect(augment(x, SR, steps as AugmentStep[], 1)).rejects.toThrow(message);
  });

  it('checks samples, rate and seed', async () => {
    await expect(augment([0] as unknown as Float32Array, SR, [], 1)).rejects.toThrow(TypeError);
    await expect(augment(x, 10, [], 1)).rejects.toThrow(RangeError);
    await expect(augment(x, SR, [], -1)).rejects.toThrow(/seed/);
    await expect(augment(x, SR, [], 1.5)).rejects.toThrow(/seed/);
  });
});
