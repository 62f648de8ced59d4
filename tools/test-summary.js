#!/usr/bin/env node
// Sums jest's JSON reports (written with --json --outputFile) into one closing line: "tests: N passed, N failed".
const fs = require('fs');
const path = require('path');
const dir = process.argv[2] || 'out/test-reports';
let passed = 0, failed = 0, skipped = 0, suitesFailed = 0;
for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
  if (!f.endsWith('.json')) continue;
  const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  suitesFailed += r.numFailedTestSuites;
}
if (suitesFailed && !failed) failed = suitesFailed; // a suite that failed to run counts as a failure
console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed ? 1 : 0);
