// The DSP benchmark's result is complete and self-consistent (no timing thresholds: speed is for the report).
import { formatDspBench, runDspBench, syntheticSpeech } from '../src';

describe('syntheticSpeech', () => {
  const x = syntheticSpeech({ sr: 16000, seconds: 2, seed: 3 });

  test('deterministic per seed, normalised to the peak', () => {
    expect(syntheticSpeech({ sr: 16000, seconds: 2, seed: 3 })).toEqual(x);
    expect(syntheticSpeech({ sr: 16000, seconds: 2, seed: 4 })).not.toEqual(x);
    let peak = 0;
    for (const v of x) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeCloseTo(0.5, 6);
    expect(x.length).toBe(32000);
  });

  test('voiced frames have a speech-like pitch (autocorrelation peak between 70 and 300 Hz)', () => {
    const frame = 1024;
    const energies: number[] = [];
    for (let s = 0; s + frame <= x.length; s += frame) energies.push(x.subarray(s, s + frame).reduce((a, v) => a + v * v, 0));
    const threshold = Math.max(...energies) * 0.2;
    const pitches: number[] = [];
    energies.forEach((e, f) => {
      if (e < threshold) return;
      const seg = x.subarray(f * frame, (f + 1) * frame);
      let bestLag = 0;
      let best = -Infinity;
      for (let lag = Math.floor(16000 / 400); lag <= Math.ceil(16000 / 60); lag++) {
        let r = 0;
        for (let i = 0; i + lag < frame; i++) r += seg[i] * seg[i + lag];
        r /= frame - lag;
        if (r > best) [best, bestLag] = [r, lag];
      }
      pitches.push(16000 / bestLag);
    });
    expect(pitches.length).toBeGreaterThan(5);
    const inRange = pitches.filter((p) => p >= 70 && p <= 300).length;
    expect(inRange / pitches.length).toBeGreaterThan(0.6);
  });
});

describe('runDspBench', () => {
  test('reports throughput, the FFT/other split and scaling for each thread count', async () => {
    const r = await runDspBench({ preset: 'speech16k', seconds: 2, threads: 2, repeats: 1 });
    expect(r).toMatchObject({ preset: 'speech16k', seconds: 2, threads: 2 });
    expect(r.scaling.map((s) => s.threads)).toEqual([1, 2]);
    expect(r.scaling[0].speedup).toBe(1);
    expect(r.x_realtime).toBe(r.scaling[1].x_realtime);
    for (const v of [r.x_realtime, r.frames_per_s, r.gflops, r.us_per_frame.fft, r.us_per_frame.total]) {
      expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    expect(r.us_per_frame.fft + r.us_per_frame.other).toBeCloseTo(r.us_per_frame.total, 9);
    expect(r.other_pct_of_fft).toBeCloseTo((r.us_per_frame.other / r.us_per_frame.fft) * 100, 9);
    // frames per audio second = sr/hop (100) plus one extra frame per clip (1 + n // hop frames; here one 2 s clip).
    expect(r.frames_per_s / r.x_realtime).toBeCloseTo(100 + 1 / 2, 6);
    // GFLOP/s counts 2.5 N log2 N per frame.
    expect(r.gflops).toBeCloseTo((r.frames_per_s * 2.5 * 512 * 9) / 1e9, 9);
    const text = formatDspBench(r);
    expect(text).toMatch(/preset speech16k/);
    expect(text).toMatch(/fft .* µs/);
    expect(r.us_per_frame.system_kiss_fftr).toBeGreaterThan(0);
    expect(['kissfft-simd4', 'kissfft']).toContain(r.fft);
    expect(text).toMatch(/x realtime/);
    expect(text.split('\n').filter((l) => /^\s+[12]\s+[\d,]+\s+[\d.]+$/.test(l))).toHaveLength(2);
  });

  test('bad options are typed errors', async () => {
    await expect(runDspBench({ preset: 'nope' as 'seed' })).rejects.toThrow(RangeError);
    await expect(runDspBench({ seconds: 0 })).rejects.toThrow(/seconds must be a number in \(0, 36000\]/);
    await expect(runDspBench({ threads: 1.5 })).rejects.toThrow(/threads must be an integer/);
  });
});
