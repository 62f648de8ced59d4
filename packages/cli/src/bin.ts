#!/usr/bin/env node
// The `melguard` executable.
import { main } from './main';

main().then(
  (code) => {
    // let the event loop drain (a server keeps running); set the code for when it does
    process.exitCode = code;
    if (code !== 0) process.exit(code);
  },
  (err) => {
    process.stderr.write(`error [E_INTERNAL]: ${String(err)}\n`);
    process.exit(1);
  },
);
