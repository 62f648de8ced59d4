import { summarise } from '@melguard/metrics';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModelCard, MODEL_CARD_FORMAT, renderModelCardMarkdown, summariseArchitecture, writeModelCard, type ModelCardInput } from '../src/card';
import { defaultLikeArchitecture } from './onnx-architectures';
import { defaultSpec, metadataWith, useCpuBackend } from './onnx-helpers';

let input: ModelCardInput;

beforeAll(async () => {
  await useCpuBackend();
  const model = defaultLikeArchitecture();
  const architecture = summariseArchitecture(model, 'default', 'strided conv + BN blocks, global average pooling');
  model.dispose();
  // Validation scores: reals low, fakes high, one source harder than the other.
  const scores = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9, 0.55, 0.6, 0.4, 0.45];
  const labels = [0, 0, 0, 1, 1, 1, 0, 1, 0, 1];
  const source = ['ljs', 'ljs', 'ljs', 'ljs', 'ljs', 'ljs', 'libri', 'libri', 'libri', 'libri'];
  const method = [null, null, null, 'melgan', 'melgan', 'hifigan', null, 'hifigan', null, 'melgan'];
  const metadata = { ...metadataWith(defaultSpec(), 'default'), version: '1.0.0', threshold: 0.5 };
  input = {
    metadata,
    architecture,
    training: {
      sources: { ljs: { real: 400, fake: 800 }, libri: { real: 300, fake: 283 } },
      counts: { files: 1783, real: 700, fake: 1083, windows: 4100 },
      details: { epochs: 12, backend: 'wasm' },
    },
    splitPolicy: 'grouped by speaker / source recording; a sentence and its resynthesised fakes stay on one side',
    validation: [
      { name: 'grouped', description: 'speaker-grouped 80/20 split', splitFile: 'splits/grouped.json', summary: summarise(scores, labels, { threshold: 0.5, groups: { source }, methods: method }) },
      { name: 'leave-generators-out', description: 'hifigan held out of training', summary: summarise(scores, labels, { threshold: 0.5 }) },
    ],
    thresholdChosenBy: 'EER threshold on the grouped validation split',
    versions: { melguard: '0.1.0-test' },
    date: '2025-01-02T03:04:05.000Z',
    modelFile: 'model.onnx',
  };
});

describe('buildModelCard', () => {
  it('records preset, architecture, parameters, data, split policy, metrics per protocol, versions and date', () => {
    const card = buildModelCard(input);
    expect(card.format).toBe(MODEL_CARD_FORMAT);
    expect(card.model).toEqual({ name: 'default', version: '1.0.0', file: 'model.onnx', labels: ['real', 'fake'] });
    expect(card.threshold).toEqual({ value: 0.5, chosenBy: 'EER threshold on the grouped validation split', rule: 'score >= threshold -> fake' });
    expect(card.input.preset).toBe('speech16k');
    expect(card.input.tensor).toEqual({ name: 'logmel', shape: ['N', 1, 80, 401], layout: 'NCHW' });
    expect(card.input.features.nMels).toBe(80);
    expect(card.architecture.paramCount).toBe(input.architecture.paramCount);
    // 3 convs without bias + 3 BN (4 weights each) + dense 64 -> 1.
    const expectedParams = 9 * 16 + 9 * 16 * 32 + 9 * 32 * 64 + 4 * (16 + 32 + 64) + 64 + 1;
    expect(card.architecture.paramCount).toBe(expectedParams);
    expect(card.architecture.trainableParams).toBe(expectedParams - 2 * (16 + 32 + 64));
    expect(card.architecture.layers[0]).toMatchObject({ className: 'InputLayer', outputShape: [80, 401, 1], params: 0 });
    expect(card.validation.map((p) => p.name)).toEqual(['grouped', 'leave-generators-out']);
    const grouped = card.validation[0];
    expect(grouped.overall).toMatchObject({ n: 10, real: 5, fake: 5, threshold: 0.5, accuracy: 0.8 });
    expect(grouped.overall.confusion).toEqual([[4, 1], [1, 4]]);
    expect(grouped.perSource?.libri).toMatchObject({ n: 4, real: 2, fake: 2, accuracy: 0.5 });
    expect(grouped.perMethod?.melgan.n).toBe(3);
    expect(card.validation[1].perSource).toBeUndefined();
    expect(card.versions).toMatchObject({ node: process.version, tfjs: tf.version.tfjs, melguard: '0.1.0-test' });
    expect(card.date).toBe('2025-01-02T03:04:05.000Z');
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });

  it('rejects incomplete input with a clear message', () => {
    expect(() => buildModelCard({ ...input, validation: [] })).toThrow('model card: at least one validation protocol is required');
    expect(() => buildModelCard({ ...input, splitPolicy: ' ' })).toThrow('splitPolicy is required');
    expect(() => buildModelCard({ ...input, date: 'yesterday' })).toThrow('date yesterday is not a valid date');
    expect(() => buildModelCard({ ...input, training: { ...input.training, counts: { files: -1, real: 0, fake: 0 } } })).toThrow(
      expect.objectContaining({ code: 'E_CARD_INVALID' }),
    );
    const twice = [input.validation[0], input.validation[0]];
    expect(() => buildModelCard({ ...input, validation: twice })).toThrow('unique');
  });
});

describe('renderModelCardMarkdown', () => {
  it('a short page with the headline numbers', () => {
    const md = renderModelCardMarkdown(buildModelCard(input));
    expect(md).toContain('# default 1.0.0');
    expect(md).toContain('**score >= 0.5000 → fake**');
    expect(md).toContain(`${input.architecture.paramCount.toLocaleString('en-US')} parameters`);
    expect(md).toContain('| ljs | 400 | 800 |');
    expect(md).toContain('### leave-generators-out');
    expect(md).toContain('| 10 | 5 | 5 | '); // overall row
    expect(md).toContain('| libri | 4 | 2 | 2 | 50.00 % |');
    expect(md).toContain('InputLayer → Conv2D → BatchNormalization');
    expect(md.split('\n').length).toBeLessThan(80);
  });

  it('names the augmentation: one line, or one per member when an ensemble\'s members differ', () => {
    const withAug = (augmentation: unknown) => renderModelCardMarkdown(buildModelCard({ ...input, training: { ...input.training, details: { augmentation } } }));
    const half = { steps: [{ type: 'gain', p: 0.5 }, { type: 'codec' }], probability: 0.5 };
    expect(withAug(null)).toContain('Augmentation: none.');
    expect(withAug(half)).toContain('Augmentation: on-the-fly waveform augmentation through the native engine (gain (p 0.5), codec, 50 % of training windows).');
    const md = withAug({ perMember: [{ run: 'default-a-p50', augmentation: half }, { run: 'cmn-a-aug', augmentation: { ...half, probability: 1 } }] });
    expect(md).toContain('Augmentation, per member:\n- default-a-p50: on-the-fly waveform augmentation through the native engine (gain (p 0.5), codec, 50 % of training windows)\n' +
      '- cmn-a-aug: on-the-fly waveform augmentation through the native engine (gain (p 0.5), codec, 100 % of training windows)');
  });

  it('says how the epoch was chosen and whether the weights are averaged, when the training recorded it', () => {
    const withDetails = (details: Record<string, unknown>) => renderModelCardMarkdown(buildModelCard({ ...input, training: { ...input.training, details } }));
    const md = withDetails({ trainedOn: 'the training side minus its dev side', hyperparameters: { lr: 1e-3, weightAverage: { kind: 'ema', decay: 0.99 } } });
    expect(md).toContain('Trained on: the training side minus its dev side.');
    expect(md).toContain('Weights: an exponential moving average of the training weights (decay 0.99)');
    const plain = withDetails({ hyperparameters: { lr: 1e-3, weightAverage: null } });
    expect(plain).not.toContain('Trained on:');
    expect(plain).not.toContain('moving average');
  });
});

describe('writeModelCard', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'melguard-card-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('beside an ONNX file: x.onnx -> x.card.json + x.card.md', () => {
    const card = buildModelCard(input);
    const paths = writeModelCard(join(dir, 'default.onnx'), card);
    expect(paths).toEqual({ json: join(dir, 'default.card.json'), markdown: join(dir, 'default.card.md') });
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toEqual(card);
    expect(readFileSync(paths.markdown, 'utf8')).toBe(renderModelCardMarkdown(card));
    expect(readdirSync(dir).sort()).toEqual(['default.card.json', 'default.card.md']);
  });

  it('into a directory: model.card.json + model.card.md', () => {
    const paths = writeModelCard(dir, buildModelCard(input));
    expect(paths.json).toBe(join(dir, 'model.card.json'));
    expect(readdirSync(dir).sort()).toEqual(['model.card.json', 'model.card.md']);
  });
});
