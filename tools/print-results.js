#!/usr/bin/env node
// Prints a `melguard scan` results file as a table, with the true label beside each verdict when a manifest
// (TSV with `path` and `label` columns, paths relative to the manifest's folder) is given.
//
//   node tools/print-results.js results.jsonl [manifest.tsv]
'use strict';
const fs = require('fs');
const path = require('path');

const [resultsFile, manifestFile] = process.argv.slice(2);
if (!resultsFile) {
  console.error('usage: node tools/print-results.js results.jsonl [manifest.tsv]');
  process.exit(2);
}

function readManifest(file) {
  const truth = new Map();
  if (!file) return truth;
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).map((l) => l.split('\t'));
  const col = (name) => header.indexOf(name);
  const [p, l, m] = [col('path'), col('label'), col('method')];
  if (p < 0 || l < 0) throw new Error(`${file}: needs path and label columns`);
  const base = path.dirname(path.resolve(file));
  for (const r of rows) truth.set(path.resolve(base, r[p]), { label: r[l].toLowerCase(), method: m >= 0 ? r[m] : '' });
  return truth;
}

const truth = readManifest(manifestFile);
const results = fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
results.sort((a, b) => a.path.localeCompare(b.path));

const rows = [['file', 'truth', 'score', 'verdict', '', 'duration', 'windows']];
let right = 0;
let known = 0;
for (const r of results) {
  const t = truth.get(path.resolve(r.path));
  const name = path.basename(r.path);
  if (r.error) {
    rows.push([name, t?.label ?? '?', '-', `error ${r.error.code}`, '', '-', '-']);
    continue;
  }
  const ok = t ? (t.label === r.label ? 'ok' : 'WRONG') : '';
  if (t) {
    known++;
    if (t.label === r.label) right++;
  }
  const windows = Array.isArray(r.windows) ? r.windows.map((w) => w.score.toFixed(3)).join(' ') : '';
  rows.push([name, t?.label ?? '?', r.score.toFixed(4), r.label, ok, `${r.duration.toFixed(2)} s`, windows]);
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
const line = (r) => r.map((v, c) => (c === 2 || c === 5 ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd();
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
if (known > 0) console.log(`\n${right} of ${known} labelled clips right (threshold from the model; window scores listed per clip)`);
