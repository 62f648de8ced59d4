#!/usr/bin/env node
// Renders one example of every plot kind so a person can look at them:
//   npm run build -w @melguard/plot && node packages/plot/scripts/render-examples.js [outDir] [librosaFixtureDir]
// Uses the librosa parity fixtures (real speech and a chirp) when present, synthetic spectrograms otherwise.
'use strict';
const fs = require('fs');
const path = require('path');
const plot = require('../dist');

const outDir = process.argv[2] || '/tmp/plot-examples';
const fixtureDir = process.argv[3] || '/work/shared/fixtures/librosa';
fs.mkdirSync(outDir, { recursive: true });

// Deterministic pseudo-random numbers (mulberry32).
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

function readF32(file, bins) {
  const buf = fs.readFileSync(file);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { data, bins, frames: data.length / bins };
}

/** Harmonic "speech" with syllables, in dB (top 0, floor -80), for when the fixtures are absent. */
function syntheticSpeech(bins, frames, seed) {
  const r = rng(seed);
  const data = new Float32Array(bins * frames);
  for (let f = 0; f < frames; f++) {
    const voiced = Math.sin((f / frames) * Math.PI * 7 + seed) > -0.2;
    const f0 = 2 + Math.sin(f / 17) * 0.6;
    for (let b = 0; b < bins; b++) {
      const harmonic = voiced ? Math.max(0, Math.cos((2 * Math.PI * b) / (f0 * 3))) ** 4 : 0;
      const formant = Math.exp(-((b - bins * 0.25) ** 2) / (2 * (bins * 0.12) ** 2));
      data[b * frames + f] = Math.max(-80, -70 + 60 * harmonic * formant + 25 * formant * (voiced ? 1 : 0.3) + 4 * r() - (b / bins) * 15);
    }
  }
  return { data, bins, frames };
}

const have = (f) => fs.existsSync(path.join(fixtureDir, f));
const seedSpec = have('speech22k.seed.db.f32') ? readF32(path.join(fixtureDir, 'speech22k.seed.db.f32'), 128) : syntheticSpeech(128, 130, 1);
const speech = have('speech16k.speech16k.db.f32') ? readF32(path.join(fixtureDir, 'speech16k.speech16k.db.f32'), 80) : syntheticSpeech(80, 401, 2);
const chirp = have('edge16k.speech16k.db.f32') ? readF32(path.join(fixtureDir, 'edge16k.speech16k.db.f32'), 80) : syntheticSpeech(80, 138, 3);

// Slaney mel scale (librosa's default) to place Hz ticks on mel bins: 80 mels, 20..8000 Hz.
const hzToMel = (hz) => (hz < 1000 ? (3 * hz) / 200 : 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27));
const melBinOf = (hz, nMels = 80, fmin = 20, fmax = 8000) => {
  const lo = hzToMel(fmin);
  const hi = hzToMel(fmax);
  return ((hzToMel(hz) - lo) / (hi - lo)) * (nMels + 1) - 1; // centre of bin k is at mel point k + 1
};
const melCentreHz = (k, nMels = 80, fmin = 20, fmax = 8000) => {
  const lo = hzToMel(fmin);
  const m = lo + ((k + 1) * (hzToMel(fmax) - lo)) / (nMels + 1);
  return m < 15 ? (200 * m) / 3 : 1000 * Math.exp(((m - 15) * Math.log(6.4)) / 27);
};
const hzTicks = [100, 250, 500, 1000, 2000, 4000, 8000].map((hz) => ({ value: melBinOf(hz), label: hz >= 1000 ? `${hz / 1000}k` : String(hz) }));

const written = [];
function save(name, png) {
  const file = path.join(outDir, name);
  fs.writeFileSync(file, png);
  written.push(file);
}

// 1. The seed model's input picture: 128 x 128 RGB, viridis.
save('spectrogram-seed-128.png', plot.spectrogramPng(seedSpec.data, seedSpec.bins, seedSpec.frames, { width: 128, height: 128 }));
// 2. A chirp (rising line: low frequencies at the bottom), magma, 3 px per cell.
save('spectrogram-chirp-magma.png', plot.spectrogramPng(chirp.data, chirp.bins, chirp.frames, { colormap: 'magma', width: chirp.frames * 3, height: chirp.bins * 3 }));

// 3. Mean log-mel heat map with Hz / seconds axes.
const seconds = (speech.frames * 160) / 16000;
save(
  'heatmap-mean-real.png',
  plot.heatmapPng({
    data: speech.data, rows: speech.bins, cols: speech.frames,
    title: 'Mean log-mel spectrogram — REAL (n = 1 clip)',
    x: { label: 'Time (s)', min: 0, max: seconds },
    y: { label: 'Frequency (Hz)', ticks: hzTicks },
    colorbar: { label: 'Power (dB)' },
  }),
);

// 4. FAKE - REAL difference: a synthetic generator artefact (missing high band, a buzzing band at ~3 kHz).
const diff = new Float32Array(speech.bins * speech.frames);
for (let b = 0; b < speech.bins; b++) {
  for (let f = 0; f < speech.frames; f++) {
    const hz = melCentreHz(b);
    diff[b * speech.frames + f] = (hz > 5000 ? -6 : 0) + 5 * Math.exp(-(((hz - 3000) / 300) ** 2)) + 0.8 * gauss();
  }
}
save(
  'heatmap-difference.png',
  plot.heatmapPng({
    data: diff, rows: speech.bins, cols: speech.frames,
    title: 'FAKE − REAL mean log-mel difference',
    x: { label: 'Time (s)', min: 0, max: seconds },
    y: { label: 'Frequency (Hz)', ticks: hzTicks },
    colorbar: { label: 'Δ power (dB)' }, colormap: 'diverging',
  }),
);

// 5. Per-band mean difference with a 95 % confidence band (log-frequency axis).
const bandHz = [], bandMean = [], bandLo = [], bandHi = [];
for (let b = 0; b < speech.bins; b++) {
  let s = 0;
  for (let f = 0; f < speech.frames; f++) s += diff[b * speech.frames + f];
  const mean = s / speech.frames;
  const half = 1.96 * (0.8 + 1.5 * (b / speech.bins)) / Math.sqrt(12);
  bandHz.push(melCentreHz(b));
  bandMean.push(mean);
  bandLo.push(mean - half);
  bandHi.push(mean + half);
}
save(
  'line-band-difference.png',
  plot.linePlotPng({
    title: 'Per-band mean difference FAKE − REAL (95 % CI)',
    x: { label: 'Mel band centre frequency (Hz)', log: true },
    y: { label: 'Δ power (dB)' },
    series: [{ label: 'FAKE − REAL', x: bandHz, y: bandMean, lo: bandLo, hi: bandHi }],
  }),
);

// 6. ROC curve with the chance diagonal.
const scores = [];
for (let i = 0; i < 400; i++) scores.push({ fake: i % 2 === 1, s: 1 / (1 + Math.exp(-(gauss() * 1.2 + (i % 2 ? 1.6 : -1.6)))) });
scores.sort((a, b) => b.s - a.s);
const P = scores.filter((d) => d.fake).length, N = scores.length - P;
const fpr = [0], tpr = [0];
let tp = 0, fp = 0, auc = 0;
for (const d of scores) {
  if (d.fake) tp++; else { fp++; auc += tp / P / N; }
  fpr.push(fp / N); tpr.push(tp / P);
}
save(
  'roc.png',
  plot.linePlotPng({
    title: 'ROC — default model, validation split',
    x: { label: 'False positive rate (REAL called FAKE)', min: 0, max: 1 },
    y: { label: 'True positive rate (FAKE caught)', min: 0, max: 1 },
    series: [
      { label: `model (AUC ${auc.toFixed(3)})`, x: fpr, y: tpr },
      { label: 'chance', x: [0, 1], y: [0, 1], dashed: true, color: '#888888' },
    ],
    width: 560, height: 520,
  }),
);

// 7. Training curves.
const epochs = [], trainLoss = [], valLoss = [], valAcc = [], valEer = [];
for (let e = 1; e <= 20; e++) {
  epochs.push(e);
  trainLoss.push(0.69 * Math.exp(-e / 5) + 0.05 + 0.01 * rand());
  valLoss.push(0.69 * Math.exp(-e / 6) + 0.09 + 0.002 * e + 0.015 * rand());
  valAcc.push(1 - 0.5 * Math.exp(-e / 4) - 0.04 + 0.01 * rand());
  valEer.push(0.5 * Math.exp(-e / 4) + 0.03 + 0.01 * rand());
}
save(
  'training-curves.png',
  plot.linePlotPng({
    title: 'Training — default model',
    x: { label: 'Epoch', min: 0 },
    y: { label: 'Value', min: 0, max: 1 },
    series: [
      { label: 'train loss', x: epochs, y: trainLoss },
      { label: 'val loss', x: epochs, y: valLoss, dashed: true },
      { label: 'val accuracy', x: epochs, y: valAcc },
      { label: 'val EER', x: epochs, y: valEer },
    ],
  }),
);

// 8. Prediction panel: 12 seed-style tiles, wrong predictions marked.
const tiles = [];
for (let i = 0; i < 12; i++) {
  const spec = i % 3 === 0 ? seedSpec : syntheticSpeech(128, 130, 10 + i);
  const img = plot.spectrogramImage(spec.data, spec.bins, spec.frames, { width: 128, height: 128 });
  const truth = i % 2 ? 'FAKE' : 'REAL';
  const score = Math.round(rand() * 100) / 100;
  const pred = score >= 0.5 ? 'FAKE' : 'REAL';
  tiles.push({ image: img, title: `true: ${truth} / pred: ${pred} ${score.toFixed(2)}`, subtitle: `clip_${String(i).padStart(3, '0')}.flac`, marked: pred !== truth });
}
save('panel.png', plot.panelPng({ title: 'Predictions on 12 random clips', columns: 4, tiles, note: 'red frame = wrong prediction (threshold 0.50)' }));

// 9. Text that must be escaped.
save(
  'escaping.png',
  plot.linePlotPng({
    title: `Tom & Jerry's <"quoted"> title`,
    x: { label: 'x < 5 & y > 2' },
    y: { label: "it's \"fine\"" },
    series: [{ label: 'a & b', x: [1, 2, 3], y: [1, 4, 9] }, { label: '<c>', x: [1, 2, 3], y: [2, 3, 4] }],
    width: 500, height: 320,
  }),
);

console.log(written.join('\n'));
