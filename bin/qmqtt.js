#!/usr/bin/env node
'use strict';
// The `qmqtt` command (pub, sub, bench). The sources are in cli/, compiled to dist/cli by `npm run build`.
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('qmqtt: not built yet: run `npm run build` in the package folder\n');
    process.exit(1);
  }
  throw err;
}
cli.run();
