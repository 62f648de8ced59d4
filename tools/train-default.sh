#!/usr/bin/env bash
# Reproduces the shipped default model in one command:
#   features -> splits -> train two members -> ensemble -> export -> evaluation -> model card
#
#   bash tools/train-default.sh [CORPUS_DIR]        (default ../shared/corpus, relative to the repo root)
#
# Environment:
#   MELGUARD_WORK        scratch folder (default ../melguard-train): feature stores, splits, runs, protocols.json
#   MELGUARD_MODEL_OUT   ONNX file to write (default packages/infer/models/default.onnx; its card goes beside it)
#   MELGUARD_EPOCHS      epochs of the default model (default 8, the shipped model's budget)
#   MELGUARD_PRESET      features of the default model: speech16k (80 mels, the shipped model) or stft16k
#                        (257 linear bins: lower EER on protocols a and b, higher on c, 3x the compute;
#                        packages/train/README.md);
#                        give each preset its own MELGUARD_WORK, runs there are kept and re-evaluated
#   MELGUARD_PROTOCOLS=1 also train the comparison runs so the card carries them (about 2 h, one core): on each
#                        of the three protocols the default network with and without augmentation and with half the
#                        windows augmented, the cmn variant, both ensembles and the seed CNN
#   MELGUARD_SEEDS=1,2,3 with MELGUARD_PROTOCOLS=1: the members and ensembles once per seed, and the card's table
#                        of each recipe's mean and range over them (about 4 h)
#   MELGUARD_DEV_FRACTION, MELGUARD_EMA
#                        every run (the shipped members and the comparison runs) trains with `--dev-fraction F`
#                        (epoch and threshold chosen on a grouped share of the training side, so validation is
#                        measurement only) and `--ema DECAY` (averaged weights). Defaults 0.15 and 0.99, the shipped
#                        recipe; set either to the empty string to train without it (the card says which was used)
#   MELGUARD_DEV_WORK    a work folder where `tools/evaluate-protocols.js --dev-fraction F --seeds ...` ran: the card
#                        adds its table (the same recipes with epoch and threshold chosen on a dev side)
# Needs a built workspace (bash tools/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${1:-../shared/corpus}
WORK=${MELGUARD_WORK:-$ROOT/../melguard-train}
OUT=${MELGUARD_MODEL_OUT:-$ROOT/packages/infer/models/default.onnx}
EPOCHS=${MELGUARD_EPOCHS:-8}
PRESET=${MELGUARD_PRESET:-speech16k}
FEATURES=$WORK/features-16k
[ "$PRESET" = speech16k ] || FEATURES=$WORK/features-$PRESET
RECIPE=()
DEV_FRACTION=${MELGUARD_DEV_FRACTION-0.15}
EMA=${MELGUARD_EMA-0.99}
[ -n "$DEV_FRACTION" ] && RECIPE+=(--dev-fraction "$DEV_FRACTION")
[ -n "$EMA" ] && RECIPE+=(--ema "$EMA")
mg() { echo "+ melguard $*" >&2; node "$ROOT/packages/cli/dist/bin.js" "$@"; }

[ -e "$CORPUS" ] || { echo "train-default: no corpus at $CORPUS" >&2; exit 2; }
if [ -n "${MELGUARD_SEEDS:-}" ] && [ "${MELGUARD_PROTOCOLS:-0}" != 1 ]; then
  echo "train-default: MELGUARD_SEEDS applies to the comparison runs only: set MELGUARD_PROTOCOLS=1 as well" >&2; exit 2
fi
INPUT=$CORPUS
[ -f "$CORPUS/manifest.tsv" ] && INPUT=$CORPUS/manifest.tsv
mkdir -p "$WORK/splits" "$WORK/runs" "$(dirname "$OUT")"

# 1. features: speech16k log-mel (or $PRESET), 4 s windows every 2 s (resumable: a rerun only does what is missing)
mg features "$INPUT" --out "$FEATURES" --preset "$PRESET" --window-seconds 4 --hop-seconds 2 --min-seconds 1

# 2. splits (seeded; for ../shared/corpus they equal packages/train/splits/*.json)
mg split "$INPUT" --policy grouped --seed 1 --out "$WORK/splits/grouped.json"
mg split "$INPUT" --policy leave-methods-out --seed 1 --out "$WORK/splits/leave-methods-out.json"
mg split "$INPUT" --policy leave-sources-out --seed 1 --out "$WORK/splits/leave-sources-out.json"

# 3. train the two members on protocol a (grouped) with on-the-fly waveform augmentation (real-world channels):
#    the default network and its time-mean-normalised variant; early stopping and the threshold use a dev side
#    carved from the training side (MELGUARD_DEV_FRACTION), and the saved weights are averaged (MELGUARD_EMA).
#    Each training is single-threaded (tfjs wasm), so the two run side by side, one per core; each one's output
#    goes to runs/NAME.log (the weights do not depend on running them in parallel: fixed seeds, one thread each)
member() {
  local name=$1; shift
  echo "+ melguard train ... --out $WORK/runs/$name $* (log: $WORK/runs/$name.log)" >&2
  node "$ROOT/packages/cli/dist/bin.js" train --features "$FEATURES" --model default --out "$WORK/runs/$name" \
    --epochs "$EPOCHS" --split "$WORK/splits/grouped.json" --seed 1 --patience 4 --augment ${RECIPE[@]+"${RECIPE[@]}"} "$@" >"$WORK/runs/$name.log" 2>&1
}
member default-a-aug & P1=$!
member cmn-a-aug --arch small-freq-cmn & P2=$!
FAILED=0
for p in "$P1:default-a-aug" "$P2:cmn-a-aug"; do
  if ! wait "${p%%:*}"; then FAILED=1; echo "train-default: training ${p#*:} failed:" >&2; tail -n 20 "$WORK/runs/${p#*:}.log" >&2; fi
done
[ "$FAILED" = 0 ] || exit 1
tail -n 2 "$WORK/runs/default-a-aug.log" "$WORK/runs/cmn-a-aug.log" >&2

# 4. the shipped model is their ensemble (sigmoid of the mean logit), thresholded on the same selection side (the dev side)
mg ensemble --model "$WORK/runs/default-a-aug" --model "$WORK/runs/cmn-a-aug" --features "$FEATURES" --out "$WORK/runs/ensemble-a-aug"

# 5. export to ONNX (metadata: preset, windowing, transform, labels, EER threshold, training summary)
mg export --model "$WORK/runs/ensemble-a-aug" --out "$OUT"

# 6. evaluation table (and, with MELGUARD_PROTOCOLS=1, the comparison runs: both members and their ensemble on
#    protocols b and c too, the alternatives, and per seed with MELGUARD_SEEDS), then the model card
EVAL=(--corpus "$CORPUS" --work "$WORK" --splits "$WORK/splits" --store16k "$FEATURES" --epochs-default "$EPOCHS" ${RECIPE[@]+"${RECIPE[@]}"})
if [ "${MELGUARD_PROTOCOLS:-0}" = 1 ]; then EVAL+=(--train --cmn --seeds "${MELGUARD_SEEDS:-1}"); fi
node tools/evaluate-protocols.js "${EVAL[@]}"
CARD=(--work "$WORK" --onnx "$OUT" --shipped ensemble-a-aug)
[ -n "${MELGUARD_DEV_WORK:-}" ] && CARD+=(--dev-work "$MELGUARD_DEV_WORK")
node tools/train-default-card.js "${CARD[@]}"
echo "train-default: wrote $OUT and its card" >&2
