import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { TABLE_WIDTH } from '../../lambda/report/text-table';
import { motoAvailable } from '../support/emulator/moto-server';

// `npm run demo` as the README tells a first user to run it: six sweeps of the real CLI
// against moto. What it prints and sends must keep the promises the issue named.

const ROOT = path.join(__dirname, '..', '..');
const examples = mkdtempSync(path.join(tmpdir(), 'nlb-janitor-demo-'));
after(() => rmSync(examples, { recursive: true, force: true }));

describe('the demo', {
  skip: motoAvailable() ? false : "moto is not installed (pip install 'moto[server]')",
}, () => {
  let output = '';
  it('runs its six sweeps', () => {
    const demo = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'demo.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DEMO_EXAMPLES_DIR: examples },
      timeout: 300_000,
    });
    assert.equal(demo.status, 0, demo.stderr);
    output = demo.stdout;
    assert.equal(output.match(/^\$ npx nlb-janitor sweep/gm)?.length, 6);
  });

  it(`prints tables at most ${TABLE_WIDTH} characters wide`, () => {
    // What the CLI printed: from the line after each command to its exit status.
    const printed = [...output.matchAll(/^\$ npx nlb-janitor[^\n]*\n([\s\S]*?)^\(exit status/gm)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(printed.length > 0);
    const widest = Math.max(...printed.flatMap((text) => text.split('\n')).map((line) => line.length));
    assert.ok(widest <= TABLE_WIDTH, `the widest line has ${widest} characters`);
  });

  it('gives no deletion date, in its first email, for the load balancer of a cluster EKS does not know', () => {
    const email = readFileSync(path.join(examples, 'change-email.txt'), 'utf8');
    const block = email.split('\n* ').find((part) => part.startsWith('k8s-payments-gateway-3c4d5e6f7a '));
    assert.ok(block, 'the email lists it');
    assert.match(block, /reason: CLUSTER_NOT_FOUND/);
    assert.doesNotMatch(block, /WILL BE DELETED/);
    assert.match(block, /deleting it needs --delete-when-cluster-missing/);
    assert.match(
      email,
      /- k8s-payments-gateway-3c4d5e6f7a is newly marked as orphaned: it will not be deleted unless/,
    );
  });
});
