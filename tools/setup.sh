#!/usr/bin/env bash
# One step that makes a fresh clone usable: system packages, npm dependencies, then a build of every package.
# Cheap when nothing changed (nx caches builds; npm install is skipped while the lock file is unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/bootstrap.sh

export ONNXRUNTIME_NODE_INSTALL=skip   # the CPU provider ships in onnxruntime-node; CUDA files would be downloaded
stamp=node_modules/.melguard-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "melguard setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund >&2
  touch "$stamp"
fi

export NX_DAEMON=false NX_NO_CLOUD=true
npx nx run-many -t build --output-style=stream >&2
