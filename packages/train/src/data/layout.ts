// Channel-first model input (what toModelInput writes, as ONNX takes it) -> channel-last (what tfjs convolves).

/** Copies one [c][h][w] input to [h][w][c] at `outOffset`. */
export function chwToHwc(src: Float32Array, c: number, h: number, w: number, out: Float32Array, outOffset: number): void {
  if (c === 1) {
    out.set(src.subarray(0, h * w), outOffset);
    return;
  }
  const plane = h * w;
  for (let p = 0; p < plane; p++) {
    const o = outOffset + p * c;
    for (let k = 0; k < c; k++) out[o + k] = src[k * plane + p];
  }
}
