#!/usr/bin/env bash
# The main job on the bundled default: scan the example clips with the bundled model, print a table,
# write results (JSONL) and a prediction panel (PNG) under out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
out=out/demo
mkdir -p "$out"
melguard() { node packages/cli/dist/bin.js "$@"; }

echo "== melguard scan examples/clips (bundled model) =="
rm -f "$out/results.jsonl"
melguard scan examples/clips --out "$out/results.jsonl" --windows
echo
echo "== verdicts =="
node tools/print-results.js "$out/results.jsonl" examples/clips/manifest.tsv
echo
melguard panel examples/clips --n 8 --out "$out/panel.png"
melguard spectrogram examples/clips/FAKE/markhershey_wavefake__samples__LJ039-0195_gen.flac --preset speech16k --format png --out "$out/spectrogram.png"
echo "wrote $out/results.jsonl, $out/panel.png, $out/spectrogram.png"
