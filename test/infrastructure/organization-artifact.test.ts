import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { MEMORY_KEY_ATTRIBUTE, saidMemoryKey } from '../../lambda/memory/table-memory';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { ACCOUNT, describeWithWorld, REGION, TEST_CREDENTIALS } from '../support/test-world';

// Organization mode as shipped: the real app synthesized by the CDK CLI with
// organization context (cdk-nag over every stack, the member's included), every
// template through cfn-lint, and the handler bundle the code buckets carry run
// with the environment the member template gives it, clusters discovered.

const ROOT = path.join(__dirname, '..', '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'nlb-janitor-org-out-'));
/** The central topic lives in another region than the member: the handler must publish across regions. */
const CENTRAL_REGION = 'us-east-1';

interface Template {
  Parameters?: Record<string, { Default?: string }>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
}

const readTemplate = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Template;
const memberDir = path.join(outdir, 'assembly-NlbJanitorMember');
const memberFile = () => {
  const name = readdirSync(memberDir).find((file) => file.endsWith('.template.json'));
  assert.ok(name, 'the member template is in cdk.out');
  return path.join(memberDir, name);
};

let administrator: Template;
let member: Template;
before(() => {
  const synth = run('npx', [
    'cdk',
    'synth',
    '--quiet',
    '-c',
    'organizationId=o-abcd123456',
    '-c',
    'targetOrganizationalUnits=ou-abcd-11111111,ou-abcd-22222222',
    '-c',
    `targetRegions=${CENTRAL_REGION},${REGION}`,
    '--output',
    outdir,
  ]);
  assert.equal(
    synth.status,
    0,
    `cdk synth failed (cdk-nag findings fail it too):\n${synth.stdout}\n${synth.stderr}`,
  );
  administrator = readTemplate(path.join(outdir, 'NlbJanitorOrganization.template.json'));
  member = readTemplate(memberFile());
});
after(() => rmSync(outdir, { recursive: true, force: true }));

describe('the synthesized organization app', () => {
  it('passes cfn-lint: administrator, code and member templates', (t) => {
    if (run('cfn-lint', ['--version']).status !== 0) {
      if (process.env.CI === 'true') assert.fail('cfn-lint is not installed, and CI=true requires it');
      t.skip('cfn-lint is not installed (pip install cfn-lint)');
      return;
    }
    const templates = [
      path.join(outdir, 'NlbJanitorOrganization.template.json'),
      path.join(outdir, `NlbJanitorCode-${CENTRAL_REGION}.template.json`),
      path.join(outdir, `NlbJanitorCode-${REGION}.template.json`),
      memberFile(),
    ];
    // W3005: the DependsOn that CDK itself writes from the function to its role's policy.
    const lint = run('cfn-lint', ['--ignore-checks', 'W3005', '--', ...templates]);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  });

  it('the StackSet carries exactly the member template that is in cdk.out', () => {
    const stackSet = Object.values(administrator.Resources).find(
      (resource) => resource.Type === 'AWS::CloudFormation::StackSet',
    );
    assert.deepEqual(JSON.parse(String(stackSet?.Properties.TemplateBody)), member);
  });

  it('refuses bad organization context with one line naming the key, and writes nothing', () => {
    const app = run(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      CDK_CONTEXT_JSON: JSON.stringify({
        organizationId: 'o-abcd123456',
        targetOrganizationalUnits: 'ou-abcd-11111111',
        targetRegions: 'eu-west-1',
        clusters: 'prod',
      }),
      CDK_OUTDIR: mkdtempSync(path.join(tmpdir(), 'nlb-janitor-bad-')),
    });
    assert.equal(app.status, 2);
    assert.equal(
      app.stderr.trim(),
      'nlb-janitor: context clusters is not used in organization mode: member janitors discover the clusters of their account and region',
    );
  });
});

describeWithWorld('the organization bundle, as a member runs it', (world) => {
  it('discovers and sweeps every cluster of the account, holds the one it cannot read, and reports to the central topic', async () => {
    const w = world();
    await w.addCluster('alpha');
    await w.addCluster('beta');
    const lockedNetwork = await w.createNetwork();
    // Answers 401 to the janitor, as a cluster without an access entry does.
    await w.addCluster('locked', { network: lockedNetwork, credentials: {} });
    const orphan = await w.createNlb({
      name: 'orphan',
      cluster: 'alpha',
      service: 'shop/gone',
      listeners: 0,
    });
    const neighbour = await w.createNlb({
      name: 'neighbour',
      cluster: 'locked',
      service: 'shop/gone',
      listeners: 0,
      network: lockedNetwork,
    });
    const central = new SNSClient({
      endpoint: w.moto.endpoint,
      region: CENTRAL_REGION,
      credentials: TEST_CREDENTIALS,
    });
    const { TopicArn } = await central.send(new CreateTopicCommand({ Name: 'nlb-janitor-central' }));
    central.destroy();
    assert.ok(TopicArn?.includes(`:${CENTRAL_REGION}:`));
    // The organization's fleet bus, in the central region.
    const events = new EventBridgeClient({
      endpoint: w.moto.endpoint,
      region: CENTRAL_REGION,
      credentials: TEST_CREDENTIALS,
    });
    const { EventBusArn: fleetBusArn = '' } = await events.send(
      new CreateEventBusCommand({ Name: 'nlb-janitor-fleet' }),
    );
    events.destroy();
    // The member's own memory table, in its own account and region.
    const memoryTable = 'nlb-janitor-member-memory';
    const ddb = new DynamoDBClient({
      endpoint: w.moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: memoryTable,
        AttributeDefinitions: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    const stackSet = Object.values(administrator.Resources).find(
      (resource) => resource.Type === 'AWS::CloudFormation::StackSet',
    );
    const parameters = Object.fromEntries(
      ((stackSet?.Properties.Parameters ?? []) as { ParameterKey: string; ParameterValue: unknown }[]).map(
        (entry) => [entry.ParameterKey, entry.ParameterValue],
      ),
    );
    const codeKey = String(parameters.CodeKey);
    const bundle = path.join(outdir, `asset.${path.basename(codeKey, '.zip')}`, 'index.js');
    assert.ok(existsSync(bundle), `the bundle ${codeKey} names is in cdk.out`);

    const fn = Object.values(member.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function');
    assert.ok(fn, 'the member template has the function');
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/nlb-janitor-${REGION}`;
    // What CloudFormation resolves in a member: the StackSet's parameters and the role.
    const resolve = (key: string, value: unknown): string => {
      const ref = (value as { Ref?: string }).Ref;
      if (ref === 'ReportTopicArn') return TopicArn ?? '';
      if (ref === 'DryRun') return String(parameters.DryRun);
      if (key === 'ROLE_ARN') return roleArn;
      if (key === 'MEMORY_TABLE') return memoryTable;
      if (key === 'FLEET_BUS_ARN') return fleetBusArn;
      if (key === 'JANITOR_VERSION') {
        const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
        return parts.map((part) => (typeof part === 'string' ? part : codeKey)).join('');
      }
      assert.equal(typeof value, 'string', `${key} is resolved by the test`);
      return String(value);
    };
    const env = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, resolve(key, value)]),
    );
    assert.equal(env.DISCOVER_CLUSTERS, 'true');
    assert.equal(env.DRY_RUN, 'true', 'the fleet starts in dry run');

    const resultFile = path.join(outdir, 'report.json');
    const invoke = `
      const { handler } = require(${JSON.stringify(bundle)});
      const context = { functionName: 'nlb-janitor', functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:${REGION}:${ACCOUNT}:function:nlb-janitor',
        memoryLimitInMB: '512', awsRequestId: 'org-smoke-test', getRemainingTimeInMillis: () => 300000 };
      handler({}, context)
        .then((report) => require('node:fs').writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify(report)));`;
    await w.moto.resetCalls();
    const status = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', invoke], {
        env: { PATH: process.env.PATH ?? '', ...w.env(), ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('exit', (code) => resolve(code ?? -1));
    });
    assert.equal(status, 0);

    const report = JSON.parse(readFileSync(resultFile, 'utf8')) as SweepReport;
    assert.equal(report.account, ACCOUNT);
    assert.equal(report.region, REGION);
    assert.equal(report.dryRun, true);
    assert.deepEqual(
      report.clusters.map((cluster) => [cluster.name, cluster.status]),
      [
        ['alpha', 'VERIFIED'],
        ['beta', 'VERIFIED'],
        ['locked', 'UNVERIFIED'],
      ],
    );
    const locked = report.clusters.find((cluster) => cluster.name === 'locked');
    assert.match(locked?.error ?? '', /HTTP 401/);
    assert.ok(locked?.error?.includes(`--cluster-name locked --principal-arn ${roleArn}`), locked?.error);
    assert.deepEqual(
      report.loadBalancers.map((entry) => [entry.name, entry.outcome, entry.dryRun]),
      [
        ['orphan', 'marked', true],
        ['neighbour', 'held', false],
      ],
    );
    // A dry run: nothing tagged, anywhere.
    assert.equal((await w.tagsOf(orphan.arn))['nlb-janitor/suspect-since'], undefined);
    assert.equal((await w.tagsOf(neighbour.arn))['nlb-janitor/suspect-since'], undefined);
    const calls = await w.moto.calls();
    assert.equal(calls['eks:ListClusters'], 1);
    assert.equal(calls['elasticloadbalancing:AddTags'], undefined);
    // What was said: its own table, never the central topic's tags (a member may only publish there).
    assert.equal(calls['sns:ListTagsForResource'], undefined);
    assert.equal(calls['sns:TagResource'], undefined);
    const { Item } = await ddb.send(
      new GetItemCommand({
        TableName: memoryTable,
        Key: { [MEMORY_KEY_ATTRIBUTE]: { S: saidMemoryKey(ACCOUNT, REGION) } },
      }),
    );
    ddb.destroy();
    assert.deepEqual(Item?.said?.M, { 'nlb-janitor/said/cluster/locked': { S: 'unverified' } });
    // Published once, to the topic in the central region.
    const publishes = (await w.moto.requests()).filter(
      (request) => request.service === 'sns' && request.action === 'Publish',
    );
    assert.deepEqual(
      publishes.map((request) => request.params.TopicArn),
      [TopicArn],
    );
    assert.match(publishes[0]?.params.Subject ?? '', new RegExp(`^nlb-janitor ${ACCOUNT} ${REGION}: `));
    // And its summary to the fleet bus (a refused one would have failed the invocation).
    assert.equal(calls['events:PutEvents'], 1);
    writeFileSync(resultFile, '');
  });
});
