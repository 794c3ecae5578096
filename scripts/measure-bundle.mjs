// npm run measure:bundle — size of the bundled handler and the time to load it,
// taken from what `cdk synth` writes (the artifact that would be deployed).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const outdir = 'cdk.out';
execFileSync('npx', ['cdk', 'synth', '--quiet', '-c', 'clusters=example-cluster', '--output', outdir], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const template = JSON.parse(readFileSync(join(outdir, 'NlbJanitor.template.json'), 'utf8'));
const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function');
const bundle = join(outdir, fn.Metadata['aws:asset:path'], 'index.js');
const code = readFileSync(bundle);

// Each load in a fresh process, as a cold start does; the median of seven.
const loads = Array.from({ length: 7 }, () => {
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      `const t=process.hrtime.bigint();require(${JSON.stringify(`./${bundle}`)});console.log(Number(process.hrtime.bigint()-t)/1e6)`,
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_REGION: 'eu-west-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  return Number(run.stdout.trim());
}).sort((a, b) => a - b);

console.log(`bundle        ${bundle}`);
console.log(
  `size          ${(code.length / 1024).toFixed(0)} KiB minified, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzipped`,
);
console.log(
  `load (require, clients created)  median ${loads[3].toFixed(0)} ms, min ${loads[0].toFixed(0)} ms, max ${loads[6].toFixed(0)} ms, Node ${process.version}`,
);
