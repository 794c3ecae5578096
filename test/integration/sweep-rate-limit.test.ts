import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_ELBV2_PACING, paceElbv2DescribeCalls } from '../../lambda/inventory/elbv2-pacing';
import { atFirstTimeCheck } from '../support/marks';
import { entry as entryFor } from '../support/report-entries';
import { describeWithWorld, REGION, TEST_CREDENTIALS } from '../support/test-world';

// Issue 15: the inventory's tags come from the Resource Groups Tagging API, outside
// ELBv2's describe bucket that the account's controllers share; every mark and
// unmark is preceded by a fresh DescribeTags; describe calls are paced, and
// throttled ones ridden out.

describeWithWorld('sweep under the shared ELBv2 rate limit', (world) => {
  it('reads the inventory’s tags through the tagging API and says so in the report', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'owned', cluster: 'prod', service: 'shop/web', listeners: 0 });
    w.putService('prod', 'shop/web', { dnsName: nlb.dnsName });
    await w.createNlb({
      name: 'in-tree',
      cluster: 'prod',
      service: 'shop/gone',
      controller: 'in-tree',
      listeners: 0,
    });
    await w.createNlb({ name: 'untagged', listeners: 0 });
    await w.moto.resetCalls();

    const report = await w.sweep();

    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome]),
      [['in-tree', 'marked']],
    );
    assert.deepEqual(
      report.skipped.map((s) => [s.name, s.reason]),
      [['untagged', 'NO_OWNER_TAGS']],
    );
    assert.deepEqual(
      { ...report.api, elbv2PacingWaitMs: undefined },
      {
        tagSource: 'tagging-api',
        tagSourceDetail: undefined,
        taggingApiCalls: 4, // one page for each of the four discovery keys
        // One DescribeLoadBalancers page, the marked one's tags read afresh, one DescribeTargetGroups page.
        elbv2DescribeCalls: 3,
        elbv2Throttled: 0,
        elbv2PacingWaitMs: undefined,
      },
    );
    const calls = await w.moto.calls();
    assert.equal(calls['elasticloadbalancing:DescribeTags'], 1);
  });

  it('honours an ignore tag added after discovery but before marking: kept, not marked', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    // The tag is added when the tag phase starts; the slow fresh read gives it time to land.
    await w.moto.injectFault({
      kind: 'delay',
      service: 'elasticloadbalancing',
      action: 'DescribeTags',
      ms: 300,
    });

    const report = await w.sweep(
      {},
      { remainingTimeMs: atFirstTimeCheck(() => void w.addTags(nlb.arn, { 'nlb-janitor/ignore': 'true' })) },
    );

    assert.equal(entryFor(report, 'gone').outcome, 'kept');
    assert.match(entryFor(report, 'gone').detail ?? '', /now skipped \(IGNORE_TAG\)/);
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
    assert.equal(w.delivered.length, 1);
    // The person's AddTags only: the janitor wrote nothing.
    assert.equal((await w.moto.calls())['elasticloadbalancing:AddTags'], 1);
  });

  it('honours an owner tag changed after discovery but before marking: kept, not marked', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'moved', cluster: 'prod', service: 'shop/old', listeners: 0 });
    // The new owner exists, its load balancer still provisioning (no status yet).
    w.putService('prod', 'shop/new');
    await w.moto.injectFault({
      kind: 'delay',
      service: 'elasticloadbalancing',
      action: 'DescribeTags',
      ms: 300,
    });

    const report = await w.sweep(
      {},
      {
        remainingTimeMs: atFirstTimeCheck(
          () => void w.addTags(nlb.arn, { 'service.k8s.aws/stack': 'shop/new' }),
        ),
      },
    );

    assert.equal(entryFor(report, 'moved').outcome, 'kept');
    assert.match(entryFor(report, 'moved').detail ?? '', /owner tags changed/);
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('a candidate whose fresh tags are not answered is deferred, never marked on the inventory’s tags alone', async () => {
    const w = world();
    await w.addCluster('prod');
    const first = await w.createNlb({ name: 'first', cluster: 'prod', service: 'shop/a', listeners: 0 });
    const second = await w.createNlb({ name: 'second', cluster: 'prod', service: 'shop/b', listeners: 0 });
    await w.moto.injectFault({
      kind: 'drop_tag_descriptions',
      service: 'elasticloadbalancing',
      action: 'DescribeTags',
      drop: 1,
    });

    const report = await w.sweep();

    assert.equal(entryFor(report, 'first').outcome, 'marked');
    assert.equal(entryFor(report, 'second').outcome, 'deferred');
    assert.match(entryFor(report, 'second').detail ?? '', /could not be read again/);
    assert.ok((await w.tagsOf(first.arn))['nlb-janitor/suspect-since']);
    assert.equal((await w.tagsOf(second.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('where the tagging API is denied, falls back to DescribeTags with the same pacing and says so', async () => {
    const w = world();
    await w.addCluster('prod');
    for (let i = 0; i < 25; i++) {
      await w.createNlb({ name: `gone-${i}`, cluster: 'prod', service: `shop/s${i}`, listeners: 0 });
    }
    await w.moto.injectFault({
      service: 'tagging',
      action: 'GetResources',
      code: 'AccessDeniedException',
      status: 400,
      message: 'explicitly denied by a service control policy',
      count: -1,
    });
    await w.moto.resetCalls();

    const report = await w.sweep();

    assert.equal(report.counts.marked, 25);
    assert.equal(report.api.tagSource, 'describe-tags');
    assert.match(
      report.api.tagSourceDetail ?? '',
      /Tagging API was denied \(AccessDeniedException: explicitly denied/,
    );
    const calls = await w.moto.calls();
    // ⌈25/20⌉ for the inventory, ⌈25/20⌉ again right before marking.
    assert.equal(calls['elasticloadbalancing:DescribeTags'], 4);
    // 1 DescribeLoadBalancers + 4 DescribeTags + 1 DescribeTargetGroups, all through the paced client.
    assert.equal(report.api.elbv2DescribeCalls, 6);
    assert.equal(w.delivered[0]?.api.tagSource, 'describe-tags');
  });

  it('any other tagging API failure stops the sweep: no fallback on a guess', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    await w.moto.injectFault({
      service: 'tagging',
      action: 'GetResources',
      code: 'InternalServiceException',
      status: 500,
      count: -1,
    });

    await assert.rejects(w.sweep(), { name: 'InternalServiceException' });
    await w.moto.clearFaults();
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('rides out throttled describe calls without failing the sweep, and counts them', async () => {
    const w = world();
    await w.addCluster('prod');
    for (let i = 0; i < 45; i++) {
      await w.createNlb({ name: `gone-${i}`, cluster: 'prod', service: `shop/s${i}`, listeners: 0 });
    }
    // A janitor client as production builds it: paced, with adaptive retries.
    const elbv2 = new ElasticLoadBalancingV2Client({
      endpoint: w.moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      retryMode: 'adaptive',
      maxAttempts: 8,
    });
    const elbv2Usage = paceElbv2DescribeCalls(elbv2, {
      ...DEFAULT_ELBV2_PACING,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    // A bucket the controllers have nearly emptied: 2 calls, refilling 2 a second.
    await w.moto.setElbv2DescribeBucket({ capacity: 2, refillPerSecond: 2 });

    try {
      const report = await w.sweep({}, { elbv2, elbv2Usage });

      assert.equal(report.counts.marked, 45);
      assert.equal(report.counts.failed, 0);
      const bucket = await w.moto.elbv2DescribeBucket();
      assert.ok(bucket.throttled > 0, 'the bucket refused some calls');
      assert.equal(report.api.elbv2Throttled, bucket.throttled);
      // 1 DescribeLoadBalancers, ⌈45/20⌉ DescribeTags and 1 DescribeTargetGroups served, plus every throttled attempt.
      assert.equal(bucket.served, 5);
      assert.equal(report.api.elbv2DescribeCalls, 5 + bucket.throttled);
    } finally {
      elbv2.destroy();
    }
  });
});
