// What the exporter refuses, and how: a stable code and a message naming the layer; never a partial file.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx, OnnxExportError, type OnnxExportErrorCode } from '../src/onnx';
import { metadataFor, useCpuBackend } from './onnx-helpers';

beforeAll(useCpuBackend);

function caught(fn: () => unknown): OnnxExportError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxExportError);
    return e as OnnxExportError;
  }
  throw new Error('expected an OnnxExportError');
}

function expectExportError(model: tf.LayersModel, code: OnnxExportErrorCode, message: string | RegExp, shape: [number, number, number] = [1, 8, 8]): void {
  const dir = mkdtempSync(join(tmpdir(), 'melguard-onnx-'));
  try {
    const err = caught(() => exportOnnx(model, metadataFor(shape), join(dir, 'model.onnx')));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
}

const sigmoidHead = (): tf.layers.Layer => tf.layers.dense({ units: 1, activation: 'sigmoid' });

describe('unsupported layers are named', () => {
  it('LSTM', () => {
    const model = tf.sequential({ layers: [tf.layers.lstm({ inputShape: [10, 4], units: 8, name: 'my_lstm' }), sigmoidHead()] });
    expectExportError(model, 'E_ONNX_UNSUPPORTED_LAYER', /^LSTM "my_lstm" cannot be exported to ONNX \(supported: Conv2D, /);
  });

  it('Conv1D', () => {
    const model = tf.sequential({
      layers: [tf.layers.conv1d({ inputShape: [20, 3], filters: 4, kernelSize: 3, name: 'c1' }), tf.layers.flatten(), sigmoidHead()],
    });
    expectExportError(model, 'E_ONNX_UNSUPPORTED_LAYER', 'Conv1D "c1" cannot be exported');
  });

  it('inside a nested model', () => {
    const inner = tf.sequential({ layers: [tf.layers.upSampling2d({ inputShape: [8, 8, 1], name: 'up' })] });
    const model = tf.sequential({ layers: [inner, tf.layers.flatten(), sigmoidHead()] });
    expectExportError(model, 'E_ONNX_UNSUPPORTED_LAYER', 'UpSampling2D "up"');
  });
});

describe('models that are not a chain or not a detector', () => {
  it('a residual branch', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const a = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'residual' }).apply([input, a]) as tf.SymbolicTensor;
    const out = sigmoidHead().apply(tf.layers.flatten().apply(sum)) as tf.SymbolicTensor;
    expectExportError(tf.model({ inputs: input, outputs: out }), 'E_ONNX_NOT_A_CHAIN', 'Add "residual" has 2 inputs');
  });

  it('two outputs', () => {
    const input = tf.input({ shape: [8, 8, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const outs = [sigmoidHead().apply(flat), sigmoidHead().apply(flat)] as tf.SymbolicTensor[];
    expectExportError(tf.model({ inputs: input, outputs: outs }), 'E_ONNX_NOT_A_CHAIN', '1 inputs and 2 outputs');
  });

  it('no final sigmoid', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 1 })] });
    expectExportError(model, 'E_ONNX_OUTPUT', 'must end in a sigmoid giving [batch, 1] = P(fake); it gives [batch, 1] without a final sigmoid');
  });

  it('two sigmoid outputs', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 2, activation: 'sigmoid' })] });
    expectExportError(model, 'E_ONNX_OUTPUT', 'it gives [batch, 2]');
  });

  it('an activation without an ONNX equivalent here', () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, activation: 'softmax', name: 'sm' }), tf.layers.flatten(), sigmoidHead()],
    });
    expectExportError(model, 'E_ONNX_UNSUPPORTED_CONFIG', `Conv2D "sm": activation 'softmax' cannot be exported`);
  });

  it('Dense applied to a 4-D tensor', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8, 8, 1], units: 1, activation: 'sigmoid', name: 'd4' })] });
    expectExportError(model, 'E_ONNX_UNSUPPORTED_CONFIG', 'Dense "d4": expects a 2-D [batch, features] input, got [batch, 8, 8, 1]');
  });

  it('channelsFirst convolution', () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [1, 8, 8], filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'cf' }), tf.layers.flatten(), sigmoidHead()],
    });
    expectExportError(model, 'E_ONNX_UNSUPPORTED_CONFIG', `Conv2D "cf": dataFormat 'channelsFirst' is not supported`, [8, 1, 8]);
  });
});

describe('metadata', () => {
  const model = (): tf.LayersModel => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 6, 1] }), sigmoidHead()] });

  it.each([
    ['shape mismatch', { input: { ...metadataFor([1, 6, 8]).input } }, 'does not match the model input [C, H, W] = [1, 8, 6]'],
    ['threshold out of range', { threshold: 1.5 }, 'threshold must be a number in [0, 1]'],
    ['wrong format', { format: 'other/1' }, "format must be 'melguard-model/1'"],
    ['same input and output name', { input: { ...metadataFor([1, 8, 6]).input, outputName: 'logmel' } }, "inputName and outputName are both 'logmel'"],
    ['bad labels', { labels: ['fake', 'real'] }, "labels must be ['real', 'fake']"],
  ])('%s', (_name, override, message) => {
    const m = model();
    const metadata = { ...metadataFor([1, 8, 6]), ...override } as ReturnType<typeof metadataFor>;
    const err = caught(() => exportOnnx(m, metadata, join(tmpdir(), 'never-written.onnx')));
    expect(err.code).toBe('E_ONNX_METADATA');
    expect(err.message).toContain(message);
    m.dispose();
  });
});

describe('writing', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'melguard-onnx-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const good = (): tf.LayersModel => tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), sigmoidHead()] });

  it('a missing directory -> E_ONNX_WRITE, nothing left behind', () => {
    const m = good();
    const err = caught(() => exportOnnx(m, metadataFor([1, 8, 8]), join(dir, 'missing', 'model.onnx')));
    expect(err.code).toBe('E_ONNX_WRITE');
    expect(err.message).toContain('ENOENT');
    expect(readdirSync(dir)).toEqual([]);
    m.dispose();
  });

  it('a failed export leaves an existing file untouched; a good one replaces it whole', () => {
    const path = join(dir, 'model.onnx');
    writeFileSync(path, 'previous model');
    const bad = tf.sequential({ layers: [tf.layers.lstm({ inputShape: [4, 2], units: 2 }), sigmoidHead()] });
    expect(() => exportOnnx(bad, metadataFor([1, 8, 8]), path)).toThrow(OnnxExportError);
    expect(readFileSync(path, 'utf8')).toBe('previous model');
    const m = good();
    const result = exportOnnx(m, metadataFor([1, 8, 8]), path);
    expect(readFileSync(path).length).toBe(result.bytes);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
    expect(existsSync(path)).toBe(true);
    bad.dispose();
    m.dispose();
  });
});
