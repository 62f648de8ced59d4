// Child process of files-memory.test.ts: processes one long file and reports the peak memory it needed.
// argv: <native index.js> <file> <mode: windows | load> <json config>
'use strict';
const [addonPath, file, mode, configJson] = process.argv.slice(2);
const native = require(addonPath);
const config = JSON.parse(configJson);
const fs = require('fs');

// Peak RSS of this process image in KiB. Not resourceUsage().maxRSS: Linux carries that across exec from the
// spawning jest worker, so a big parent hides this child's growth.
function peakKb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : process.resourceUsage().maxRSS;
}

async function main() {
  const before = peakKb();
  let summary;
  if (mode === 'windows') {
    const [r] = await native.spectrogramFiles([file], config, { windowSeconds: 1, hopSeconds: 30, minSeconds: 0.5 }, { threads: 1 });
    if (r.error) throw new Error(`${r.error.code} ${r.error.message}`);
    summary = { windows: r.shape[0], duration: r.duration };
  } else {
    const a = await native.loadAudio(file, { sr: config.sr, mono: true, offset: 0, duration: -1 });
    summary = { samples: a.samples.length, duration: a.duration };
  }
  const after = peakKb();
  process.stdout.write(JSON.stringify({ ...summary, growthKb: after - before }) + '\n');
}
main().catch((e) => {
  process.stderr.write(String(e && e.stack) + '\n');
  process.exit(2);
});
