import { resample, spectrogram, toModelInput, type ModelMetadata } from '@melguard/dsp';
import { Detector, type BatchInfo, type Detection } from '../src';
import { add, concat, noise, sine } from './helpers/audio';
import { convModel, lcg, linearModel, makeMetadata, meanModel, tempDir } from './helpers/models';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const detectors: Detector[] = [];
afterAll(() => Promise.all(detectors.map((d) => d.dispose())));

async function load(file: string | Uint8Array, options: Parameters<typeof Detector.load>[1] = {}): Promise<Detector> {
  const d = await Detector.load(file, { threads: 1, featureThreads: 1, ...options });
  detectors.push(d);
  return d;
}

function weightsFor(metadata: ModelMetadata, seed: number): Float32Array {
  const [c, h, w] = metadata.input.shape;
  const n = c * h * w;
  const rand = lcg(seed);
  const scale = 3 / Math.sqrt(n); // logits of order 1: scores stay well inside (0, 1)
  return Float32Array.from({ length: n }, () => (rand() - 0.5) * 2 * scale);
}

/** The model's tensor for one window signal, computed here independently of the Detector's pipeline. */
function tensorOf(signal: Float32Array, metadata: ModelMetadata): Float32Array {
  const spec = spectrogram(signal, metadata.input.features);
  return toModelInput(spec.data, spec.shape[0], spec.shape[1], metadata.input);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function linearScore(signal: Float32Array, metadata: ModelMetadata, weights: Float32Array, bias: number): number {
  const x = tensorOf(signal, metadata);
  let z = bias;
  for (let i = 0; i < x.length; i++) z += weights[i] * x[i];
  return sigmoid(z);
}

/** samples[start, start + length), zero-padded past the end. */
function slice(samples: Float32Array, start: number, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(samples.subarray(start, Math.min(start + length, samples.length)));
  return out;
}

function linearFixture(metadata: ModelMetadata, seed: number, name: string, inputDims?: (number | string)[]) {
  const weights = weightsFor(metadata, seed);
  const bias = 0.1;
  const file = tmp.write(name, linearModel(metadata.input.shape, weights, bias, { metadata, inputDims }));
  return { file, weights, bias, metadata };
}

const speechAffine = makeMetadata({
  preset: 'speech16k',
  windowSeconds: 1,
  hopSeconds: 0.5,
  minSeconds: 0.5,
  transform: { kind: 'affine', scale: 1 / 80, offset: 1 },
  name: 'speech-affine',
  threshold: 0.5,
});

describe('Detector: features come from the model metadata', () => {
  it('scores every window of a clip with the speech16k preset (affine)', async () => {
    const fx = linearFixture(speechAffine, 11, 'speech-affine.onnx');
    const d = await load(fx.file);
    expect(d.inputShape).toEqual([1, 80, 101]);
    expect(d.executionProvider).toBe('cpu');
    const sr = 16000;
    const clip = add(noise(2.2, sr, 0.05, 3), concat(new Float32Array(sr), sine(1.2, sr, 440, 0.3)));
    const r = await d.detectSamples(clip, sr);
    // 35200 samples, window 16000, hop 8000: full windows at 0, 8000, 16000 (the 0.2 s tail is not scored)
    expect(r.windows.map((w) => [w.start, w.end])).toEqual([[0, 1], [0.5, 1.5], [1, 2]]);
    const expected = [0, 8000, 16000].map((s) => linearScore(slice(clip, s, 16000), fx.metadata, fx.weights, fx.bias));
    r.windows.forEach((w, i) => expect(w.score).toBeCloseTo(expected[i], 5));
    expect(new Set(expected.map((e) => e.toFixed(3))).size).toBe(3); // the windows really differ
    expect(r.score).toBeCloseTo(expected.reduce((a, b) => a + b) / 3, 5);
    expect(r.label).toBe(r.score >= 0.5 ? 'fake' : 'real');
    expect(r.threshold).toBe(0.5);
    expect(r.duration).toBeCloseTo(2.2, 9);
    expect(r.model).toEqual({ name: 'speech-affine', version: '0.0.1' });
    for (const stage of ['decode', 'features', 'inference'] as const) expect(r.timing![stage]).toBeGreaterThanOrEqual(0);
  });

  it('gives a model declaring the seed preset seed features (22050 Hz, 128 mels, nFft 2048), affine and image', async () => {
    const sr = 22050;
    const clip = add(noise(3.5, sr, 0.02, 5), sine(3.5, sr, 300, 0.2));
    const seedAffine = makeMetadata({ preset: 'seed', windowSeconds: 1, minSeconds: 0.5, transform: { kind: 'affine', scale: 1 / 80, offset: 1 } });
    const seedImage = makeMetadata({
      preset: 'seed',
      windowSeconds: 3,
      minSeconds: 1,
      transform: { kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [128, 128] },
    });
    for (const [metadata, shape, starts, win] of [
      [seedAffine, [1, 128, 44], [0, 22050, 44100], 22050], // 1 + 22050 / 512 = 44 frames; 3 full windows in 3.5 s
      [seedImage, [3, 128, 128], [0], 66150], // one full 3 s window
    ] as const) {
      const fx = linearFixture(metadata, 21, `seed-${metadata.input.transform.kind}.onnx`);
      const d = await load(fx.file);
      expect(d.inputShape).toEqual(shape);
      const r = await d.detectSamples(clip, sr);
      expect(r.windows.map((w) => w.start)).toEqual(starts.map((s) => s / sr));
      const expected = starts.map((s) => linearScore(slice(clip, s, win), fx.metadata, fx.weights, fx.bias));
      r.windows.forEach((w, i) => expect(w.score).toBeCloseTo(expected[i], 5));
    }
  });

  it('renders the image transform at the size the metadata asks for (speech16k, 64x96)', async () => {
    const metadata = makeMetadata({
      preset: 'speech16k',
      windowSeconds: 1,
      transform: { kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [64, 96] },
    });
    const fx = linearFixture(metadata, 31, 'speech-image.onnx');
    const d = await load(fx.file);
    expect(d.inputShape).toEqual([3, 64, 96]);
    const clip = add(noise(1, 16000, 0.05, 9), sine(1, 16000, 2000, 0.4));
    const r = await d.detectSamples(clip, 16000);
    expect(r.windows[0].score).toBeCloseTo(linearScore(clip, metadata, fx.weights, fx.bias), 5);
  });

  it('resamples audio at another rate to the model rate first', async () => {
    const fx = linearFixture(speechAffine, 11, 'speech-affine-2.onnx');
    const d = await load(fx.file);
    const clip8k = add(noise(1.5, 8000, 0.05, 4), sine(1.5, 8000, 600, 0.3));
    const direct = await d.detectSamples(clip8k, 8000);
    const manual = await d.detectSamples(await resample(clip8k, 8000, 16000), 16000);
    expect(direct.windows.map((w) => w.score)).toEqual(manual.windows.map((w) => w.score));
    expect(direct.duration).toBeCloseTo(1.5, 3);
  });

  it('runs the brief\'s small CNN (Conv-Relu-GlobalAveragePool-Gemm-Sigmoid) for both transforms', async () => {
    for (const metadata of [speechAffine, makeMetadata({ preset: 'seed', windowSeconds: 3, transform: { kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [128, 128] } })]) {
      const file = tmp.write(`cnn-${metadata.input.transform.kind}.onnx`, convModel(metadata.input.shape, 5, { metadata }));
      const d = await load(file);
      const sr = metadata.input.features.sr;
      const a = await d.detectSamples(add(noise(3, sr, 0.05, 1), sine(3, sr, 500, 0.3)), sr);
      const b = await d.detectSamples(noise(3, sr, 0.3, 2), sr);
      for (const r of [a, b]) for (const w of r.windows) expect(w.score).toBeGreaterThan(0), expect(w.score).toBeLessThan(1);
      expect(a.score).not.toBeCloseTo(b.score, 6); // the network responds to its input
    }
  });
});

describe('Detector: window aggregation', () => {
  // Absolute dB (ref 1.0, no topDb clipping) so a window's mean level follows its energy; the model is
  // sigmoid(a * mean(x) + b). A 4 s clip of faint noise with a loud tone in [2 s, 3 s): window 2 scores highest.
  const sr = 16000;
  const clip = add(noise(4, sr, 0.01, 8), concat(new Float32Array(2 * sr), sine(1, sr, 1000, 0.5), new Float32Array(sr)));
  const energy = makeMetadata({
    preset: 'speech16k',
    features: { ref: 1, topDb: null },
    windowSeconds: 1,
    minSeconds: 0.5,
    transform: { kind: 'affine', scale: 1 / 100, offset: 0 },
  });
  const meanOf = (signal: Float32Array) => tensorOf(signal, energy).reduce((s, v) => s + v, 0) / (80 * 101);
  const quiet = meanOf(clip.subarray(0, sr));
  const loud = meanOf(clip.subarray(2 * sr, 3 * sr));
  // Calibrate: quiet windows -> logit -2, the loud one -> +2.
  const a = 4 / (loud - quiet);
  const b = -2 - a * quiet;
  const expected = [0, 1, 2, 3].map((w) => sigmoid(a * meanOf(clip.subarray(w * sr, (w + 1) * sr)) + b));
  const mean = expected.reduce((s, v) => s + v) / 4;
  const sorted = [...expected].sort((x, y) => y - x);
  let d: Detector;

  beforeAll(async () => {
    // The model's threshold sits between the mean and the max: the aggregation decides the label.
    const metadata = { ...energy, threshold: (mean + sorted[0]) / 2 };
    d = await load(tmp.write('energy.onnx', meanModel(energy.input.shape, a, b, { metadata })));
  });

  it('scores each window by its energy (the loud window highest)', async () => {
    const r = await d.detectSamples(clip, sr);
    r.windows.forEach((w, i) => expect(w.score).toBeCloseTo(expected[i], 4));
    expect(loud).toBeGreaterThan(quiet);
    expect(r.windows[2].score).toBeGreaterThan(0.8);
    expect(r.windows[0].score).toBeLessThan(0.2);
  });

  it("aggregates with 'mean' by default, 'max' and top-k on request; the label follows", async () => {
    const byMean = await d.detectSamples(clip, sr);
    const byMax = await d.detectSamples(clip, sr, { aggregate: 'max' });
    const byTop2 = await d.detectSamples(clip, sr, { aggregate: { topK: 2 } });
    const byTop2s = await d.detectSamples(clip, sr, { aggregate: 'topk:2' });
    expect(byMean.score).toBeCloseTo(mean, 4);
    expect(byMax.score).toBeCloseTo(sorted[0], 4);
    expect(byTop2.score).toBeCloseTo((sorted[0] + sorted[1]) / 2, 4);
    expect(byTop2s.score).toBe(byTop2.score);
    expect(byMean.label).toBe('real');
    expect(byMax.label).toBe('fake');
    // a per-call threshold overrides the model's
    expect((await d.detectSamples(clip, sr, { threshold: mean - 0.01 })).label).toBe('fake');
  });

  it('uses the aggregate and threshold given at load time as defaults', async () => {
    const file = tmp.write('energy-max.onnx', meanModel(energy.input.shape, a, b, { metadata: { ...energy, threshold: 0.99 } }));
    const dm = await load(file, { aggregate: 'max', threshold: 0.5 });
    const r = await dm.detectSamples(clip, sr);
    expect(r.score).toBeCloseTo(sorted[0], 4);
    expect(r.threshold).toBe(0.5);
    expect(r.label).toBe('fake');
    expect(dm.card.threshold).toBe(0.5);
  });
});

describe('Detector: concurrency and batching', () => {
  const sr = 16000;
  const clips = Array.from({ length: 16 }, (_, i) => add(noise(1 + (i % 4) * 0.6, sr, 0.05, 100 + i), sine(1 + (i % 4) * 0.6, sr, 200 + 50 * i, 0.2)));

  it('concurrent calls give the same results as sequential ones, merged into shared batches', async () => {
    const fx = linearFixture(speechAffine, 41, 'concurrency.onnx');
    const d = await load(fx.file, { maxBatch: 8 });
    const sequential: Detection[] = [];
    for (const c of clips) sequential.push(await d.detectSamples(c, sr));
    const events: BatchInfo[] = [];
    d.on('batch', (e: BatchInfo) => events.push(e));
    const concurrent = await Promise.all(clips.map((c) => d.detectSamples(c, sr)));
    concurrent.forEach((r, i) => {
      expect(r.windows.length).toBe(sequential[i].windows.length);
      r.windows.forEach((w, j) => expect(w.score).toBeCloseTo(sequential[i].windows[j].score, 6));
      expect(r.score).toBeCloseTo(sequential[i].score, 6);
    });
    const windows = sequential.reduce((n, r) => n + r.windows.length, 0);
    expect(events.reduce((n, e) => n + e.size, 0)).toBe(windows);
    expect(Math.max(...events.map((e) => e.size))).toBeLessThanOrEqual(8);
    expect(events.some((e) => e.requests > 1)).toBe(true);
    expect(d.stats).toMatchObject({ queueLength: 0, pendingCalls: 0 });
  });

  it('merges windows submitted together up to maxBatch, and pads for a graph with a fixed batch size', async () => {
    const dyn = linearFixture(speechAffine, 51, 'dyn.onnx');
    const fixed = linearFixture(speechAffine, 51, 'fixed.onnx', [2, 1, 80, 101]);
    const dd = await load(dyn.file, { maxBatch: 4 });
    const df = await load(fixed.file, { maxBatch: 4 });
    const rand = lcg(3);
    const windows = Float32Array.from({ length: 5 * 8080 }, () => rand());
    const events: BatchInfo[] = [];
    dd.on('batch', (e: BatchInfo) => events.push(e));
    expect(dd.queueLength).toBe(0);
    const parts = [0, 1, 2, 3, 4].map((i) => dd.scoreWindows(windows.slice(i * 8080, (i + 1) * 8080), 1));
    expect(dd.queueLength).toBe(5); // submitted in one tick, nothing ran yet
    const merged = await Promise.all(parts);
    expect(events.map((e) => [e.size, e.requests])).toEqual([[4, 4], [1, 1]]);
    const padded = await df.scoreWindows(windows, 5); // runs of exactly 2 rows: 2 + 2 + (1 + padding)
    const expected = [0, 1, 2, 3, 4].map((i) => {
      let z = dyn.bias;
      for (let k = 0; k < 8080; k++) z += dyn.weights[k] * windows[i * 8080 + k];
      return sigmoid(z);
    });
    merged.forEach((s, i) => expect(s[0]).toBeCloseTo(expected[i], 5));
    padded.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 5));
  });
});

describe('Detector: model loading errors', () => {
  const shape = speechAffine.input.shape;
  const w = new Float32Array(shape[0] * shape[1] * shape[2]);

  const expectLoadError = async (bytes: Uint8Array | null, file: string, code: string, message: RegExp) => {
    const p = bytes ? tmp.write(file, bytes) : file;
    await expect(Detector.load(p)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  };

  it('a model without melguard metadata -> E_MODEL_METADATA naming the missing key', async () => {
    await expectLoadError(linearModel(shape, w, 0, { metadata: null, extraProps: { author: 'x' } }), 'plain.onnx', 'E_MODEL_METADATA', /melguard\.metadata.*missing.*'author'/);
    await expectLoadError(linearModel(shape, w, 0, { metadata: null }), 'bare.onnx', 'E_MODEL_METADATA', /no metadata_props/);
  });

  it('malformed or contradictory metadata -> E_MODEL_METADATA saying what is wrong', async () => {
    const bad = (patch: (m: ModelMetadata) => unknown) => {
      const m = JSON.parse(JSON.stringify(speechAffine)) as ModelMetadata;
      const out = patch(m);
      return out === undefined ? m : (out as ModelMetadata);
    };
    const cases: [string | ModelMetadata, RegExp][] = [
      ['{not json', /not valid JSON/],
      [bad((m) => void ((m as { format: string }).format = 'other/9')), /format/],
      [bad((m) => void (m.threshold = 2)), /threshold/],
      [bad((m) => void ((m.input.transform as { kind: string }).kind = 'spiral')), /transform\.kind/],
      [bad((m) => void (m.input.features.nFft = -5)), /features are invalid/],
      [bad((m) => void (m.input.windowing.windowSeconds = 1.5)), /inconsistent.*\[1,80,151\].*\[1,80,101\]/],
      [bad((m) => void (m.input.inputName = 'spectrogram')), /input 'spectrogram'.*'input'/],
      [bad((m) => void (m.input.outputName = 'prob')), /output 'prob'/],
      [bad((m) => void (m.input.windowing.minSeconds = 2)), /minSeconds \(2\) exceeds windowSeconds \(1\)/],
    ];
    for (const [i, [metadata, message]] of cases.entries()) {
      await expectLoadError(linearModel(shape, w, 0, { metadata }), `bad-${i}.onnx`, 'E_MODEL_METADATA', message);
    }
  });

  it('metadata that disagrees with the graph input shape -> E_MODEL_METADATA', async () => {
    // A valid graph for 80x100 windows whose metadata promises 80x101 ones.
    const graph = linearModel([1, 80, 100], new Float32Array(8000), 0, { metadata: speechAffine, inputDims: ['N', 1, 80, 100] });
    await expectLoadError(graph, 'mismatch.onnx', 'E_MODEL_METADATA', /\[N,1,80,100\].*\[N,1,80,101\]/);
  });

  it('unreadable or non-ONNX files -> ENOENT / E_MODEL_LOAD', async () => {
    await expectLoadError(null, tmp.dir + '/nope.onnx', 'ENOENT', /nope\.onnx/);
    await expectLoadError(Buffer.from('definitely not protobuf \xff\xff\xff'), 'text.onnx', 'E_MODEL_LOAD', /not a valid ONNX model/);
  });

  it('loads a model from its bytes as well as from a path', async () => {
    const fx = linearFixture(speechAffine, 71, 'bytes.onnx');
    const bytes = linearModel(shape, fx.weights, fx.bias, { metadata: speechAffine });
    const fromBytes = await load(bytes);
    const fromPath = await load(fx.file);
    const clip = noise(1, 16000, 0.1, 9);
    expect((await fromBytes.detectSamples(clip, 16000)).score).toBe((await fromPath.detectSamples(clip, 16000)).score);
    await expect(Detector.load(42 as unknown as string)).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
  });

  it('resolves the bundled default model next to the package (works from src/ and dist/)', async () => {
    const { DEFAULT_MODEL_PATH } = await import('../src');
    expect(DEFAULT_MODEL_PATH.replace(/\\/g, '/')).toMatch(/packages\/infer\/models\/default\.onnx$/);
  });
});

describe('Detector: bad input and lifecycle', () => {
  let d: Detector;
  beforeAll(async () => {
    d = await load(linearFixture(speechAffine, 61, 'lifecycle.onnx').file);
  });

  it('rejects bad arguments and unusable audio with typed errors', async () => {
    await expect(d.detectSamples([0.1, 0.2] as unknown as Float32Array, 16000)).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(d.detectSamples(new Float32Array(16000), 0)).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(d.detectSamples(new Float32Array(16000), 16000, { threshold: 1.5 })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(d.detectSamples(new Float32Array(16000), 16000, { aggregate: 'median' as never })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(d.detectSamples(new Float32Array(0), 16000)).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(d.detectSamples(new Float32Array(4000), 16000)).rejects.toMatchObject({ code: 'E_TOO_SHORT' }); // 0.25 s < minSeconds 0.5
    await expect(d.detectSamples(new Float32Array(3 * 16000), 16000, { maxDurationSeconds: 2 })).rejects.toMatchObject({
      code: 'E_TOO_LONG',
      message: expect.stringContaining('3.00 s'),
    });
    const aborted = new AbortController();
    aborted.abort();
    await expect(d.detectSamples(new Float32Array(16000), 16000, { signal: aborted.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
    await expect(Detector.load(tmp.dir + '/x.onnx', { threads: 0 })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
    await expect(Detector.load(tmp.dir + '/x.onnx', { executionProvider: 'tpu' as never })).rejects.toMatchObject({ code: 'E_INVALID_ARG' });
  });

  it('exposes the model card and metadata', () => {
    expect(d.card).toMatchObject({ name: 'speech-affine', version: '0.0.1', format: 'melguard-model/1', labels: ['real', 'fake'], executionProvider: 'cpu', file: 'lifecycle.onnx' });
    expect(d.card.input.features.nMels).toBe(80);
    expect(d.modelCard()).toEqual(d.card);
    expect(d.metadata.training).toEqual({ note: 'generated by the infer tests' });
  });

  it('dispose() rejects pending calls and every later one with E_DISPOSED', async () => {
    const dd = await Detector.load(linearFixture(speechAffine, 61, 'dispose.onnx').file, { threads: 1 });
    const clip = noise(2, 16000, 0.1, 1);
    const pending = Array.from({ length: 6 }, () => dd.detectSamples(clip, 16000));
    const windows = dd.scoreWindows(new Float32Array(3 * 8080), 3); // queued, not run yet
    const outcomes = Promise.allSettled([...pending, windows]);
    await dd.dispose();
    for (const o of await outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'E_DISPOSED' });
    }
    await expect(dd.detectSamples(clip, 16000)).rejects.toMatchObject({ code: 'E_DISPOSED', message: expect.stringContaining('disposed') });
    expect(() => dd.scoreWindows(new Float32Array(8080), 1)).toThrow(expect.objectContaining({ code: 'E_DISPOSED' }));
    await dd.dispose(); // idempotent
  });
});
