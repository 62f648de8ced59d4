// An independent, slow float64 transcription of librosa 0.11's melspectrogram/stft + power_to_db, used to check
// options the fixtures do not cover (windows, reflect padding, odd nFft, center=false, scales). It follows
// librosa's code literally: numpy.pad's iterative reflection, stft's separate head/tail padding, a naive DFT.
import type { SpectrogramOptions } from '../src';

/** numpy.pad(x, (left, right), mode) for 1-D x, including numpy's chunked reflection of long pads. */
export function npPad(x: Float64Array, left: number, right: number, mode: 'constant' | 'reflect'): Float64Array {
  const out = new Float64Array(left + x.length + right);
  out.set(x, left);
  if (mode === 'constant') return out;
  if (x.length === 1) {
    out.fill(x[0], 0, left);
    out.fill(x[0], left + 1);
    return out;
  }
  const period = x.length;
  let l = left;
  let r = right;
  while (l > 0 || r > 0) {
    // _set_reflect_both: reflect the already-filled area, in chunks of whole periods of the original.
    let oldLength = out.length - l - r;
    oldLength = Math.floor((oldLength - 1) / (period - 1)) * (period - 1) + 1;
    oldLength -= 1;
    if (l > 0) {
      const chunk = Math.min(oldLength, l);
      for (let i = 0; i < chunk; i++) out[l - 1 - i] = out[l + 1 + i];
      l -= chunk;
    }
    if (r > 0) {
      const chunk = Math.min(oldLength, r);
      const edge = out.length - r - 1;
      for (let i = 0; i < chunk; i++) out[edge + 1 + i] = out[edge - 1 - i];
      r -= chunk;
    }
  }
  return out;
}

function frameAt(y: Float64Array, start: number, nFft: number): Float64Array {
  return y.slice(start, start + nFft);
}

/** librosa.stft's frames (before windowing), with its head/tail padding strategy. */
export function librosaFrames(samples: Float32Array, o: SpectrogramOptions): Float64Array[] {
  const y = Float64Array.from(samples);
  const { nFft, hopLength: hop } = o;
  const frames: Float64Array[] = [];
  const count = (len: number) => (len < nFft ? 0 : 1 + Math.floor((len - nFft) / hop));
  if (!o.center) {
    for (let t = 0; t < count(y.length); t++) frames.push(frameAt(y, t * hop, nFft));
    return frames;
  }
  const half = Math.floor(nFft / 2);
  const startK = Math.ceil(half / hop);
  const tailK = Math.floor((y.length + half - nFft) / hop) + 1;
  if (tailK <= startK) {
    const padded = npPad(y, half, half, o.padMode);
    for (let t = 0; t < count(padded.length); t++) frames.push(frameAt(padded, t * hop, nFft));
    return frames;
  }
  const start = startK * hop - half;
  const pre = npPad(y.slice(0, (startK - 1) * hop - half + nFft + 1), half, 0, o.padMode);
  for (let t = 0; t < Math.min(startK, count(pre.length)); t++) frames.push(frameAt(pre, t * hop, nFft));
  const middle = y.slice(start);
  for (let t = 0; t < count(middle.length); t++) frames.push(frameAt(middle, t * hop, nFft));
  if (tailK * hop - half + nFft <= y.length + half) {
    const post = npPad(y.slice(tailK * hop - half), 0, half, o.padMode);
    for (let t = 0; t < count(post.length); t++) frames.push(frameAt(post, t * hop, nFft));
  }
  return frames;
}

/** scipy.signal.get_window(name, n, fftbins=True), zero-padded and centred to nFft (librosa.util.pad_center). */
export function librosaWindow(o: SpectrogramOptions): Float64Array {
  const n = o.winLength;
  const coefficients: Record<SpectrogramOptions['window'], number[]> = {
    hann: [0.5, 0.5],
    hamming: [0.54, 0.46],
    blackman: [0.42, 0.5, 0.08],
    rectangular: [1],
  };
  const a = coefficients[o.window];
  const w = new Float64Array(o.nFft);
  const offset = Math.floor((o.nFft - n) / 2);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < a.length; k++) v += (k % 2 ? -1 : 1) * a[k] * Math.cos((2 * Math.PI * k * i) / n);
    w[offset + i] = n === 1 ? 1 : v;
  }
  return w;
}

/** |DFT|^power of every frame, [bins][frames], by a naive float64 DFT. */
export function referenceStft(samples: Float32Array, o: SpectrogramOptions): { data: Float64Array[]; frames: number } {
  const window = librosaWindow(o);
  const frames = librosaFrames(samples, o);
  const nFreqs = 1 + Math.floor(o.nFft / 2);
  const rows = Array.from({ length: nFreqs }, () => new Float64Array(frames.length));
  frames.forEach((frame, t) => {
    for (let k = 0; k < nFreqs; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < o.nFft; i++) {
        const angle = (2 * Math.PI * k * i) / o.nFft;
        const v = frame[i] * window[i];
        re += v * Math.cos(angle);
        im -= v * Math.sin(angle);
      }
      const magnitude = Math.hypot(re, im);
      rows[k][t] = o.power === 2 ? magnitude * magnitude : magnitude;
    }
  });
  return { data: rows, frames: frames.length };
}

/** The whole pipeline: STFT, optional mel projection (with the given dense filterbank), then the scale. */
export function referenceSpectrogram(samples: Float32Array, o: SpectrogramOptions, melbank?: Float32Array): Float64Array {
  const stft = referenceStft(samples, o);
  const nFreqs = stft.data.length;
  let rows = stft.data;
  if (o.nMels > 0) {
    if (!melbank) throw new Error('melbank needed');
    rows = Array.from({ length: o.nMels }, (_, m) => {
      const row = new Float64Array(stft.frames);
      for (let k = 0; k < nFreqs; k++) {
        const w = melbank[m * nFreqs + k];
        if (w !== 0) for (let t = 0; t < stft.frames; t++) row[t] += w * stft.data[k][t];
      }
      return row;
    });
  }
  const out = new Float64Array(rows.length * stft.frames);
  rows.forEach((row, b) => out.set(row, b * stft.frames));
  if (o.scale === 'power') return out;
  if (o.scale === 'log') return out.map((v) => Math.log(v + o.amin));
  // power_to_db, or amplitude_to_db = power_to_db(S^2, ref^2, amin^2).
  const square = o.power === 1;
  const s = square ? out.map((v) => v * v) : out;
  const amin = square ? o.amin * o.amin : o.amin;
  let max = 0;
  for (const v of out) max = Math.max(max, v);
  const refValue = o.ref === 'max' ? max : Math.abs(o.ref);
  const ref = square ? refValue * refValue : refValue;
  const db = s.map((v) => 10 * Math.log10(Math.max(amin, v)) - 10 * Math.log10(Math.max(amin, ref)));
  if (o.topDb === null) return db;
  let top = -Infinity;
  for (const v of db) top = Math.max(top, v);
  return db.map((v) => Math.max(v, top - o.topDb!));
}
