// The seed model sees dsp's toModelInput 'image' tensor; plot draws the same picture as a PNG. Both must use the
// same viridis table, LUT indexing, orientation and bilinear convention, or the pictures people look at would not
// be what the model saw. dsp is imported by path (its index loads the native addon, which plot must not need).
import { colormapLut, resizeBilinear, spectrogramImage } from '../src';

interface DspModelInput {
  viridis: Uint8Array;
  resizeBilinear(src: ArrayLike<number>, srcH: number, srcW: number, dstH: number, dstW: number): Float32Array;
  toModelInput(window: Float32Array, bins: number, frames: number, spec: unknown): Float32Array;
}
const dsp = require('../../dsp/src/model-input') as DspModelInput;

describe('parity with @melguard/dsp model input', () => {
  it('uses the identical viridis table', () => {
    expect(Array.from(colormapLut('viridis'))).toEqual(Array.from(dsp.viridis));
  });

  it('resizes like dsp (same half-pixel convention)', () => {
    const src = Float32Array.from({ length: 7 * 5 }, (_, i) => Math.sin(i * 0.7) * 10);
    const mine = resizeBilinear(src, 7, 5, 1, 16, 11);
    const theirs = dsp.resizeBilinear(src, 7, 5, 16, 11);
    for (let i = 0; i < mine.length; i++) expect(mine[i]).toBeCloseTo(theirs[i], 4);
  });

  it('spectrogramImage equals the seed model input x 255, rounded', () => {
    const bins = 40;
    const frames = 60;
    const data = Float32Array.from({ length: bins * frames }, (_, i) => -80 + 80 * Math.abs(Math.sin(i * 0.013) * Math.cos(i * 0.37)));
    const spec = { transform: { kind: 'image', colormap: 'viridis', vmin: -80, vmax: 0, size: [128, 128] }, shape: [3, 128, 128] };
    const tensor = dsp.toModelInput(data, bins, frames, spec); // [3][128][128] in [0, 1]
    const img = spectrogramImage(data, bins, frames, { vmin: -80, vmax: 0, width: 128, height: 128 });
    const plane = 128 * 128;
    let worst = 0;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(img.rgb[3 * p + c] - tensor[c * plane + p] * 255));
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-3);
  });
});
