import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../lambda/aws-clients';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { describeWithWorld, type TestWorld } from '../support/test-world';

const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
const CONTEXT = { getRemainingTimeInMillis: () => 300_000 };

/** The handler as the Lambda runtime builds it, with clients from the standard chain pointed at the world. */
function handlerFor(w: TestWorld, env: Record<string, string>) {
  Object.assign(process.env, w.env());
  const logged: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, attributes: Record<string, unknown>) =>
    logged.push({ level, message, attributes });
  const metrics: Record<string, number> = {};
  const handler = createSweepHandler({
    env,
    clients: createAwsClients(),
    logger: { debug: log('DEBUG'), info: log('INFO'), error: log('ERROR') },
    metrics: {
      addMetric: (name, _unit, value) => {
        metrics[name] = value;
      },
      publishStoredMetrics: () => {},
    },
  });
  return { handler, logged, metrics };
}

describeWithWorld('Lambda handler', (world) => {
  it('a scheduled event sweeps with the environment configuration and mails the report', async () => {
    const w = world();
    await w.addCluster('prod');
    const gone = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: 'janitor' }));
    const { handler, logged, metrics } = handlerFor(w, { CLUSTERS: 'prod', SNS_TOPIC_ARN: TopicArn ?? '' });

    const report = await handler(SCHEDULED, CONTEXT);

    assert.deepEqual(metrics, {
      UnverifiedClusters: 0,
      LoadBalancersMarked: 1,
      LoadBalancersPending: 0,
      LoadBalancersDeleted: 0,
      LoadBalancersRecovered: 0,
      ActionsFailed: 0,
      EstimatedMonthlySavingsUsd: 0,
      // One DescribeLoadBalancers page, one DescribeTags of the candidate before marking it,
      // one DescribeTargetGroups page looking for leftovers of earlier deletions.
      Elbv2DescribeCalls: 3,
      Elbv2Throttled: 0,
      TaggingApiFallback: 0,
    });
    assert.equal(report.counts.marked, 1);
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/suspect-since']);
    assert.equal((await w.moto.calls())['sns:Publish'], 1);
    const decisions = logged.filter((line) => line.message === 'load balancer decision');
    assert.deepEqual(
      decisions.map((line) => [
        line.attributes.arn,
        line.attributes.cluster,
        line.attributes.verdict,
        line.attributes.outcome,
      ]),
      [[gone.arn, 'prod', 'ORPHAN', 'marked']],
    );
    assert.equal(decisions[0]?.attributes.action, 'mark');
    assert.ok(logged.some((line) => line.message === 'sweep finished: 1 marked' && line.attributes.report));
  });

  it('a manual invoke can ask for a dry run of one cluster', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('staging');
    const prod = await w.createNlb({
      name: 'prod-gone',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 0,
    });
    await w.createNlb({ name: 'staging-gone', cluster: 'staging', service: 'shop/gone', listeners: 0 });
    const { handler, metrics } = handlerFor(w, {});

    const report = await handler({ dryRun: true, clusters: ['prod'] }, CONTEXT);

    assert.deepEqual(metrics, {}, 'a dry run emits no metrics');
    assert.equal(report.dryRun, true);
    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome]),
      [['prod-gone', 'marked']],
    );
    assert.equal((await w.tagsOf(prod.arn))['nlb-janitor/suspect-since'], undefined);
  });

  const rejected: [string, Record<string, string>, unknown, RegExp][] = [
    ['a payload with an unknown key', {}, { dryrun: true }, /unknown keys dryrun/],
    ['a payload with a wrong type', {}, { clusters: 'prod' }, /clusters must be a non-empty array/],
    [
      'a bad environment variable',
      { GRACE_PERIOD: 'soon' },
      SCHEDULED,
      /^GRACE_PERIOD "soon" is not a duration/,
    ],
    [
      'leaving a dry-run deployment’s dry run',
      { DRY_RUN: 'true' },
      { dryRun: false },
      /runs in dry-run mode/,
    ],
  ];
  for (const [name, env, event, message] of rejected) {
    it(`rejects ${name} with a clear error and touches nothing`, async () => {
      const w = world();
      await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
      await w.moto.resetCalls();
      const { handler, logged } = handlerFor(w, env);

      await assert.rejects(handler(event, CONTEXT), { name: 'ConfigurationError', message });

      assert.deepEqual(await w.moto.calls(), {});
      assert.equal(logged.filter((line) => line.level === 'ERROR').length, 1);
    });
  }

  it('fails the invocation when the report cannot be published, after logging the report', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: 'janitor' }));
    await w.moto.injectFault({
      service: 'sns',
      action: 'Publish',
      code: 'KMSDisabled',
      status: 400,
      count: -1,
    });
    const { handler, logged } = handlerFor(w, { SNS_TOPIC_ARN: TopicArn ?? '' });

    await assert.rejects(handler(SCHEDULED, CONTEXT), /the report could not be published/);

    const finished = logged.findIndex((line) => line.message.startsWith('sweep finished'));
    const failed = logged.findIndex((line) => line.level === 'ERROR');
    assert.ok(finished >= 0 && finished < failed, 'the report is logged before the failure');
  });
});
