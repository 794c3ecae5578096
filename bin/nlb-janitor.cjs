#!/usr/bin/env node
// The nlb-janitor CLI: the same engine as the Lambda function.
'use strict';
// The SDK warns on Node 20 that its releases after January 2027 need Node 22
// (aws/aws-sdk-js-v3#7983): news for whoever upgrades the bundled SDK, not for a user
// running this tool on a Node its engines accept. Set before any client exists (the
// SDK reads it when a client is created); a user's own setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { existsSync } = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'lambda', 'cli', 'main.ts');
let cli;
if (existsSync(source)) {
  // A clone: the TypeScript sources, compiled on load by tsx (a dev dependency), never a stale build.
  require('tsx/cjs');
  cli = require(source);
} else {
  // The installed package: one file bundled at pack time, with its SDK; no dependencies needed.
  process.setSourceMapsEnabled(true);
  cli = require('../dist/cli/main.cjs');
}
const { version } = require('../package.json');

cli
  .main(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    },
    { version },
  )
  .then(
    (status) => {
      process.exitCode = status;
    },
    (error) => {
      process.stderr.write(`nlb-janitor: unexpected error: ${error?.stack ? error.stack : error}\n`);
      process.exitCode = 3;
    },
  );
