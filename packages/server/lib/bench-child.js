// The server under `melguard bench server`, in its own process; reports its URL over IPC.
'use strict';
const { startServer } = require('../dist/index.js');

startServer({ ...JSON.parse(process.argv[2]), onShutdown: (code) => process.exit(code) }).then(
  (s) => process.send({ url: s.url }),
  (err) => {
    process.send({ error: `${err.code ? `[${err.code}] ` : ''}${err.message}` });
    process.exit(1);
  },
);
