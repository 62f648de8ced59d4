// The features benchmark helper reports a coherent result (its speed is printed by `melguard bench features`,
// never asserted here).
import { join } from 'node:path';

import { formatFeaturesBench, formatResampleBench, runFeaturesBench, runResampleBench } from '../src/bench-features';
import { FIXTURES } from './audio-helpers';

const LIBRISPEECH = join(FIXTURES, 'librispeech-1089-134686-0000.flac');

describe('runFeaturesBench', () => {
  it('counts files, audio and stages consistently, listing failures', async () => {
    const paths = [LIBRISPEECH, LIBRISPEECH, join(FIXTURES, 'missing.flac')];
    const r = await runFeaturesBench(paths, { preset: 'speech16k', threads: 1, windowing: { windowSeconds: 4, hopSeconds: 2 } });
    expect(r.files).toBe(3);
    expect(r.failed).toBe(1);
    expect(r.failures).toEqual([{ path: paths[2], code: 'ENOENT' }]);
    expect(r.audio_seconds).toBeCloseTo((2 * 166960) / 16000, 6);
    expect(r.x_realtime).toBeCloseTo(r.audio_seconds / r.wall_seconds, 6);
    expect(r.stages.resample).toBe(0);
    expect(r.stage_x_realtime_per_core.resample).toBe(Infinity);
    expect(r.stages.decode).toBeGreaterThan(0);
    expect(r.stages.spectrogram).toBeGreaterThan(0);
    expect(r.stage_share.decode + r.stage_share.resample + r.stage_share.spectrogram).toBeCloseTo(1, 9);
    expect(r.baseline!.decode_x_realtime_per_core).toBeGreaterThan(0);
    const text = formatFeaturesBench(r);
    expect(text).toContain('3 files (1 failed)');
    expect(text).toMatch(/realtime/);
  });

  it('a 44.1 kHz resampling bench reports audio seconds per CPU second', async () => {
    const r = await runResampleBench({ seconds: 2, repeats: 1 });
    expect(r).toMatchObject({ in_rate: 44100, out_rate: 16000, audio_seconds: 2 });
    expect(r.x_realtime_per_core).toBeCloseTo(2 / r.cpu_seconds, 6);
    expect(formatResampleBench(r)).toMatch(/44100 Hz -> 16000 Hz/);
  });
});
