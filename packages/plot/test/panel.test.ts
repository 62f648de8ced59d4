import { MARK_COLOR, panelPng, type PanelTile, type RgbImage } from '../src';
import { countNear, decode, expectCodedError } from './helpers';

const RED = [1, 3, 5].map((i) => parseInt(MARK_COLOR.slice(i, i + 2), 16));

function solid(width: number, height: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, 3 * i);
  return { width, height, rgb: data };
}

const tile = (over: Partial<PanelTile> = {}): PanelTile => ({ image: solid(128, 128, [0, 160, 0]), title: 'true: REAL / pred: REAL 0.12', ...over });

describe('panelPng', () => {
  it('lays tiles out in a grid of the requested columns', () => {
    const tiles = Array.from({ length: 12 }, () => tile());
    const four = decode(panelPng({ columns: 4, tiles }));
    const three = decode(panelPng({ columns: 3, tiles }));
    expect(four.width).toBeGreaterThan(4 * 128);
    expect(four.width).toBeGreaterThan(three.width);
    expect(four.height).toBeLessThan(three.height);
    // 128 px images are shown at 2x (>= 180 px wide): 12 tiles of 256 x 256 green.
    expect(countNear(four, [0, 160, 0], 2)).toBe(12 * 256 * 256);
  });

  it('frames marked tiles in red and leaves unmarked ones without red', () => {
    const img = decode(panelPng({ columns: 2, tiles: [tile(), tile({ title: 'true: FAKE / pred: REAL 0.31', marked: true })] }));
    const half = Math.floor(img.width / 2);
    expect(countNear(img, RED, 10, 0, 0, half, img.height)).toBe(0);
    // A 4 px frame around a 256 px image: about 4 * 4 * 260 pixels, plus the red title.
    expect(countNear(img, RED, 10, half, 0, img.width, img.height)).toBeGreaterThan(3500);
  });

  it('renders titles and subtitles', () => {
    const plain = decode(panelPng({ columns: 1, tiles: [tile({ title: ' ' })] }));
    const titled = decode(panelPng({ columns: 1, tiles: [tile({ title: 'true: FAKE / pred: FAKE 0.97' })] }));
    let dark = 0;
    for (let y = 0; y < 30; y++) for (let x = 0; x < titled.width; x++) if (titled.px(x, y)[0] < 100 && plain.px(x, y)[0] > 200) dark++;
    expect(dark).toBeGreaterThan(80);
  });

  it('keeps the aspect ratio of non-square images and honours tileWidth', () => {
    const img = decode(panelPng({ columns: 1, tileWidth: 200, tiles: [tile({ image: solid(100, 50, [0, 0, 200]) })] }));
    expect(countNear(img, [0, 0, 200], 2)).toBe(200 * 100);
  });

  it('is deterministic', () => {
    const opts = { title: 'Predictions', columns: 2, tiles: [tile(), tile({ marked: true, subtitle: 'a & <b>' })] };
    expect(panelPng(opts).equals(panelPng(opts))).toBe(true);
  });

  it('rejects bad input with typed errors', () => {
    expectCodedError(() => panelPng({ columns: 2, tiles: [] }), RangeError, /tiles is empty/);
    expectCodedError(() => panelPng({ columns: 0, tiles: [tile()] }), RangeError, /columns must be an integer/);
    expectCodedError(
      () => panelPng({ columns: 1, tiles: [tile({ image: { width: 2, height: 2, rgb: new Uint8Array(11) } })] }),
      RangeError,
      /tiles\[0\].image.rgb has 11 bytes but width x height x 3 = 12/,
    );
    expectCodedError(() => panelPng({ columns: 1, tiles: [tile({ title: undefined as unknown as string })] }), TypeError, /tiles\[0\].title must be a string/);
    expectCodedError(() => panelPng({ columns: 1, tiles: Array.from({ length: 40 }, () => tile()) }), RangeError, /max 8192/);
  });
});
