#!/usr/bin/env bash
# The whole test suite: a type check of every package (sources and tests), every package's jest tests (through
# nx, after the builds they depend on), then the end-to-end tests in test/. Ends with one line summing every
# jest report: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
rm -rf out/test-reports && mkdir -p out/test-reports
status=0
# type-check sources and tests first (jest transpiles with swc, which does not check types)
npx nx run-many -t typecheck --output-style=stream || status=1
npx nx run-many -t test --output-style=stream || status=1
npx jest -c test/jest.config.js --json --outputFile=out/test-reports/e2e.json || status=1
node tools/test-summary.js out/test-reports || status=1
exit $status
