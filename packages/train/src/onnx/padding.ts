// TensorFlow's 'same'/'valid' arithmetic, written out as explicit ONNX pads (auto_pad is avoided on purpose:
// SAME_UPPER matches TF in most runtimes, but explicit pads leave nothing to interpretation).

export type Padding = 'same' | 'valid';

/** [before, after] padding of one spatial axis; TF puts the odd extra pixel after (bottom/right). */
export function samePads(inSize: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + effective - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export function outputSize(inSize: number, kernel: number, stride: number, padding: Padding, dilation = 1): number {
  if (padding === 'same') return Math.ceil(inSize / stride);
  return Math.floor((inSize - ((kernel - 1) * dilation + 1)) / stride) + 1;
}

/** ONNX pads [top, left, bottom, right] for a 2-D window over an [H, W] input. */
export function pads2d(
  inHW: [number, number],
  kernel: [number, number],
  strides: [number, number],
  padding: Padding,
  dilations: [number, number] = [1, 1],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const [top, bottom] = samePads(inHW[0], kernel[0], strides[0], dilations[0]);
  const [left, right] = samePads(inHW[1], kernel[1], strides[1], dilations[1]);
  return [top, left, bottom, right];
}
