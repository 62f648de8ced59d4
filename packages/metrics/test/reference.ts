// Deliberately naive O(n²) implementations, written independently of src/, used as the reference on random data.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rates at one threshold by direct counting. */
export function ratesAt(scores: number[], labels: number[], t: number): { fpr: number; tpr: number } {
  let fp = 0, tp = 0, n = 0, p = 0;
  scores.forEach((s, i) => {
    if (labels[i] === 1) { p++; if (s >= t) tp++; } else { n++; if (s >= t) fp++; }
  });
  return { fpr: fp / n, tpr: tp / p };
}

export function bruteRoc(scores: number[], labels: number[]) {
  const thresholds = [Infinity, ...[...new Set(scores)].sort((a, b) => b - a)];
  const pts = thresholds.map((t) => ratesAt(scores, labels, t));
  return { thresholds, fpr: pts.map((p) => p.fpr), tpr: pts.map((p) => p.tpr) };
}

/** Pair counting: P(fake > real) + ½ P(tie). */
export function bruteAuc(scores: number[], labels: number[]): number {
  let wins = 0, pairs = 0;
  scores.forEach((sp, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((sn, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** EER as the intersection of the piecewise-linear (FPR, FNR) curve with the line FPR = FNR, segment by segment. */
export function bruteEer(scores: number[], labels: number[]): number {
  const roc = bruteRoc(scores, labels);
  const x = roc.fpr;
  const y = roc.tpr.map((v) => 1 - v);
  for (let k = 0; k + 1 < x.length; k++) {
    // Solve x_k + t (x_{k+1} − x_k) = y_k + t (y_{k+1} − y_k) for t in [0, 1].
    const denom = (x[k + 1] - x[k]) - (y[k + 1] - y[k]);
    if (denom === 0) continue;
    const t = (y[k] - x[k]) / denom;
    if (t >= 0 && t <= 1) return x[k] + t * (x[k + 1] - x[k]);
  }
  throw new Error('no crossing');
}

/** Trapezoidal area under a ROC curve. */
export function trapezoid(fpr: number[], tpr: number[]): number {
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return area;
}
