// Child process of fuzz.test.ts: runs every decoding entry point over every file in a directory and prints one
// JSON line per file. Runs out of process so that a crash shows up as a failed test, not a dead jest.
// argv: <native index.js> <directory> <json: {config, windowing}>
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [addonPath, dir, extra] = process.argv.slice(2);
const native = require(addonPath);
const { config, windowing } = JSON.parse(extra || '{}');

function outcome(promise) {
  return promise.then(
    (value) => {
      if (value && value.samples) {
        for (const v of value.samples) if (!Number.isFinite(v)) return { code: 'NON_FINITE_SAMPLE' };
        return { ok: true, n: value.samples.length };
      }
      return { ok: true };
    },
    (error) => ({ code: String(error && error.code), message: String(error && error.message), path: error && error.path }),
  );
}

async function main() {
  const files = fs.readdirSync(dir).sort();
  for (const name of files) {
    const file = path.join(dir, name);
    // Progress to stderr first: if the process dies, the parent knows which file did it.
    fs.writeSync(2, `BEGIN ${name}\n`);
    const bytes = fs.readFileSync(file);
    const results = {
      probe: await outcome(native.probeAudio(file)),
      load: await outcome(native.loadAudio(file, { sr: 16000, mono: true, offset: 0, duration: -1 })),
      buffer: await outcome(native.decodeAudioBuffer(bytes, { sr: 22050, mono: true, offset: 0.1, duration: 2, name })),
    };
    if (config) {
      const [r] = await native.spectrogramFiles([file], config, windowing, { threads: 1 });
      if (r.error) results.files = { code: r.error.code, message: r.error.message };
      else {
        let finite = true;
        for (const v of r.data) if (Number.isNaN(v)) finite = false;
        results.files = finite ? { ok: true, windows: r.shape[0] } : { code: 'NAN_FEATURE' };
      }
    }
    process.stdout.write(JSON.stringify({ name, results }) + '\n');
  }
  process.stdout.write(JSON.stringify({ done: files.length, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`runner failed: ${error && error.stack}\n`);
  process.exit(3);
});
