import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { MEMORY_KEY_ATTRIBUTE, saidMemoryKey } from '../../lambda/memory/table-memory';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { describeWithWorld, REGION, TEST_CREDENTIALS } from '../support/test-world';

// What `cdk deploy` would ship, checked as shipped: the real app synthesized by the
// CDK CLI (cdk-nag included), the template through cfn-lint, and the bundled handler
// from cdk.out run with the environment the template gives it.

const ROOT = path.join(__dirname, '..', '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'nlb-janitor-cdk-out-'));

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }
  >;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

let template: Template;
before(() => {
  const synth = run('npx', [
    'cdk',
    'synth',
    '--quiet',
    '-c',
    'clusters=prod,staging',
    '-c',
    'alertEmails=ops@example.com',
    '--output',
    outdir,
  ]);
  assert.equal(
    synth.status,
    0,
    `cdk synth failed (cdk-nag findings fail it too):\n${synth.stdout}\n${synth.stderr}`,
  );
  template = JSON.parse(readFileSync(path.join(outdir, 'NlbJanitor.template.json'), 'utf8')) as Template;
});
after(() => rmSync(outdir, { recursive: true, force: true }));

describe('the synthesized app', () => {
  it('passes cfn-lint', (t) => {
    const version = run('cfn-lint', ['--version']);
    if (version.status !== 0) {
      if (process.env.CI === 'true')
        assert.fail('cfn-lint is not installed, and CI=true requires it: pip install cfn-lint');
      t.skip('cfn-lint is not installed (pip install cfn-lint)');
      return;
    }
    // W3005: the DependsOn that CDK itself writes from the function to its role's policy.
    const lint = run('cfn-lint', [
      '--ignore-checks',
      'W3005',
      '--',
      path.join(outdir, 'NlbJanitor.template.json'),
    ]);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  });

  it('refuses bad context with one line naming the key, and writes nothing', () => {
    const app = run(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      CDK_CONTEXT_JSON: JSON.stringify({ clusters: 'prod', maxDeletions: 'lots' }),
      CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'nlb-janitor-bad-')),
    });
    assert.equal(app.status, 2);
    assert.equal(app.stderr.trim(), 'nlb-janitor: context maxDeletions "lots" must be a whole number');
  });
});

describeWithWorld('the bundled handler from cdk.out', (world) => {
  it('sweeps the local world with the environment the template gives the function', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('staging');
    const gone = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: 'janitor' }));
    const ddb = new DynamoDBClient({
      endpoint: w.moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'janitor-memory',
        AttributeDefinitions: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    const fn = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    assert.ok(fn?.Metadata?.['aws:asset:path'], 'the function has a bundled asset');
    assert.equal(fn.Properties.Handler, 'index.handler');
    const bundle = path.join(outdir, fn.Metadata['aws:asset:path'], 'index.js');
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    // What CloudFormation resolves at deploy time: the topic's and the role's ARNs.
    const resolved: Record<string, string> = {
      SNS_TOPIC_ARN: TopicArn ?? '',
      ROLE_ARN: 'arn:aws:iam::123456789012:role/NlbJanitor-JanitorRole3121F1FE-EXAMPLE',
      MEMORY_TABLE: 'janitor-memory',
    };
    const env = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, resolved[key] ?? String(value)]),
    );
    assert.equal(env.CLUSTERS, 'prod,staging');

    const resultFile = path.join(outdir, 'report.json');
    const invoke = `
      const { handler } = require(${JSON.stringify(bundle)});
      const context = { functionName: 'nlb-janitor', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:${REGION}:123456789012:function:nlb-janitor',
        memoryLimitInMB: '512', awsRequestId: 'smoke-test', getRemainingTimeInMillis: () => 300000 };
      handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, context)
        .then((report) => require('node:fs').writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(report)));`;
    const status = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', invoke], {
        env: { PATH: process.env.PATH ?? '', ...w.env(), ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('exit', (code) => resolve(code ?? -1));
    });
    assert.equal(status, 0);

    const report = JSON.parse(readFileSync(resultFile, 'utf8')) as SweepReport;
    assert.deepEqual(
      report.clusters.map((c) => [c.name, c.status]),
      [
        ['prod', 'VERIFIED'],
        ['staging', 'VERIFIED'],
      ],
    );
    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome]),
      [['gone', 'marked']],
    );
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/suspect-since']);
    assert.equal((await w.moto.calls())['sns:Publish'], 1);
    // The email went out, so the promise is recorded as announced.
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/announced-at']);
    // What was said went to the janitor's own table, not the topic's tags.
    const { Item } = await ddb.send(
      new GetItemCommand({
        TableName: 'janitor-memory',
        Key: { [MEMORY_KEY_ATTRIBUTE]: { S: saidMemoryKey('123456789012', REGION) } },
      }),
    );
    ddb.destroy();
    assert.ok(Item?.said?.M, 'the memory item is written');
    assert.equal((await w.moto.calls())['sns:ListTagsForResource'], undefined);
    writeFileSync(resultFile, '');
  });
});
