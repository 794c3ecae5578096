import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { version as PACKAGE_VERSION } from '../../package.json';
import { Mailbox } from '../support/mailbox';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// The real CLI in a child process, configured only by the standard AWS variables.

async function topic(w: TestWorld): Promise<string> {
  const created = await w.sns.send(new CreateTopicCommand({ Name: 'nlb-janitor' }));
  return created.TopicArn ?? '';
}

describeWithWorld('nlb-janitor CLI', (world) => {
  it('sweeps, prints a table, publishes one email and exits 0', async () => {
    const w = world();
    await w.addCluster('prod');
    const gone = await w.createNlb({
      name: 'k8s-shop-gone',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 0,
    });
    const topicArn = await topic(w);

    const run = await w.cli(['sweep', '--sns-topic-arn', topicArn]);

    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^CLUSTER\s+STATUS\s+SERVICES\s+NLBS/m);
    // The one Service is default/kubernetes, which every cluster has.
    assert.match(run.stdout, /^prod\s+VERIFIED\s+1\s+1/m);
    assert.match(run.stdout, /^marked\s+k8s-shop-gone\s+prod\s+shop\/gone\s+SERVICE_NOT_FOUND/m);
    assert.match(run.stdout, /1 load balancers, 1 network, 0 owned, 0 skipped: 1 marked$/m);
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/suspect-since']);

    const publishes = (await w.moto.requests()).filter((r) => r.action === 'Publish');
    assert.equal(publishes.length, 1);
    const params = publishes[0]?.params ?? {};
    assert.equal(params.Subject, 'nlb-janitor eu-west-1: 1 marked');
    assert.match(
      params.Message ?? '',
      /NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN \(1\)\n\* k8s-shop-gone/,
    );
    assert.equal(params.TopicArn, topicArn);
  });

  it('--json prints the report; a dry run changes nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    const gone = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });

    const run = await w.cli(['sweep', '--json', '--dry-run']);

    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as SweepReport;
    assert.equal(report.dryRun, true);
    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.dryRun]),
      [['gone', 'marked', true]],
    );
    assert.equal((await w.tagsOf(gone.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('exits 1 when a cluster could not be verified, and names it', async () => {
    const w = world();
    await w.addCluster('prod');
    w.cluster('prod').injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });
    const gone = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });

    const run = await w.cli(['sweep']);

    assert.equal(run.status, 1);
    assert.match(run.stdout, /^prod\s+UNVERIFIED\s+-\s+1\s+listing Services, page 1: HTTP 403 Forbidden/m);
    assert.match(run.stdout, /^held\s+gone/m);
    assert.equal((await w.tagsOf(gone.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('exits 1 when the report cannot be published, after printing it', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    const topicArn = await topic(w);
    await w.moto.injectFault({
      service: 'sns',
      action: 'Publish',
      code: 'AuthorizationError',
      status: 403,
      message: 'denied',
      count: -1,
    });

    const run = await w.cli(['sweep', '--sns-topic-arn', topicArn]);

    assert.equal(run.status, 1);
    assert.match(run.stdout, /^marked\s+gone/m);
    assert.match(
      run.stderr,
      /the report could not be published to arn:aws:sns:eu-west-1:123456789012:nlb-janitor: AuthorizationError(Exception)?: denied$/m,
    );
  });

  it('prints every sweep, publishes only news, and the digest with --digest', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'k8s-shop-gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    const topicArn = await topic(w);
    const mailbox = await Mailbox.subscribe(w, topicArn, 'cli-inbox');

    const first = await w.cli(['sweep', '--sns-topic-arn', topicArn]);
    const second = await w.cli(['sweep', '--sns-topic-arn', topicArn]);
    const digest = await w.cli(['sweep', '--sns-topic-arn', topicArn, '--digest']);

    assert.deepEqual([first.status, second.status, digest.status], [0, 0, 0]);
    assert.match(second.stdout, /^pending\s+k8s-shop-gone/m, 'the terminal gets every report');
    const subjects = (await mailbox.take()).map((mail) => mail.subject);
    assert.deepEqual(subjects, [
      'nlb-janitor eu-west-1: 1 marked',
      'nlb-janitor eu-west-1 digest: 1 pending',
    ]);
  });

  const usageErrors: [string[], RegExp][] = [
    [['sweep', '--grace-period', 'soon'], /^nlb-janitor: --grace-period "soon" is not a duration/],
    [['sweep', '--max-deletions=-3'], /^nlb-janitor: --max-deletions "-3" is not a whole number/],
    // Once node:util's "argument is ambiguous", which never said the range.
    [
      ['sweep', '--max-deletions', '-3'],
      /^nlb-janitor: --max-deletions "-3" is not a whole number from 0 to 1000/,
    ],
    [['sweep', '--clusters', 'bad.name'], /^nlb-janitor: --clusters: "bad.name" is not an EKS cluster name/],
    [['sweep', '--frobnicate'], /^nlb-janitor: Unknown option '--frobnicate'/],
    [['purge'], /^nlb-janitor: unknown command "purge"/],
  ];
  for (const [args, message] of usageErrors) {
    it(`exits 2 with one line and touches nothing: ${args.join(' ')}`, async () => {
      const w = world();
      await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
      await w.moto.resetCalls();

      const run = await w.cli(args);

      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.deepEqual(await w.moto.calls(), {});
    });
  }

  it('--version prints the package version', async () => {
    const run = await world().cli(['--version']);

    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `nlb-janitor ${PACKAGE_VERSION}\n`);
  });

  it('exits 2 with one line naming how to supply credentials when there are none, calling nothing', async () => {
    const w = world();
    await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    await w.moto.resetCalls();

    // A HOME without ~/.aws and no key variables: the chain finds nothing (the metadata
    // service is not reachable from here, as on a laptop).
    const run = await w.cli(['sweep', '--dry-run'], {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      HOME: mkdtempSync(path.join(tmpdir(), 'nlb-janitor-home-')),
    });

    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      'nlb-janitor: no AWS credentials: set AWS_PROFILE to a configured profile (aws configure, or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n',
    );
    assert.deepEqual(await w.moto.calls(), {});
  });

  it('exits 2 with one line when AWS says the token has expired, after one read and before the sweep', async () => {
    const w = world();
    await w.addCluster('prod');
    const gone = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    await w.moto.resetCalls();
    // moto accepts any signature; AWS's answer to an expired session token is injected.
    await w.moto.injectFault({
      service: 'tagging',
      action: 'GetResources',
      code: 'ExpiredTokenException',
      status: 400,
      message: 'The security token included in the request is expired',
      count: -1,
    });

    const run = await w.cli(['sweep'], { AWS_SESSION_TOKEN: 'expired' });

    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      'nlb-janitor: the AWS credentials have expired (ExpiredTokenException): refresh them (aws sso login, or a new AWS_SESSION_TOKEN)\n',
    );
    assert.deepEqual(await w.moto.calls(), { 'tagging:GetResources': 1 });
    assert.equal(w.cluster('prod').requests.length, 0);
    assert.equal((await w.tagsOf(gone.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('exits 2 without a region', async () => {
    const w = world();
    const run = await w.cli(['sweep'], { AWS_REGION: '' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^nlb-janitor: no AWS region/);
  });

  it('exits 3 when the inventory cannot be read, changing nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DescribeLoadBalancers',
      code: 'AccessDenied',
      status: 403,
      message: 'no',
      count: -1,
    });

    const run = await w.cli(['sweep']);

    assert.equal(run.status, 3);
    assert.match(run.stderr, /^nlb-janitor: the sweep stopped: AccessDenied: no$/m);
    assert.equal(w.cluster('prod').requests.length, 0);
  });
});
