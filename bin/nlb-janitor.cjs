#!/usr/bin/env node
// The nlb-janitor CLI: the same engine as the Lambda function, run from a clone.
// tsx compiles the TypeScript sources on load, so `npm ci` is the only build step.
'use strict';
require('tsx/cjs');
const { main } = require('../lambda/cli/main.ts');

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(`nlb-janitor: unexpected error: ${error?.stack ? error.stack : error}\n`);
    process.exitCode = 3;
  },
);
