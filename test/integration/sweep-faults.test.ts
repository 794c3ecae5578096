import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DeleteLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { atFirstTimeCheck, daysAgo, suspectTags } from '../support/marks';
import { describeWithWorld } from '../support/test-world';

// Faults on the AWS side and races with other actors: nothing live is deleted or
// marked, and nothing is lost from the report.

describeWithWorld('sweep under AWS faults and races', (world) => {
  it('a load balancer someone else deleted between listing and deleting is not an error', async () => {
    const w = world();
    const cluster = await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    cluster.injectFault({ type: 'delay', ms: 300, target: { request: 1 } });

    const report = await w.sweep(
      {},
      {
        remainingTimeMs: atFirstTimeCheck(
          () => void w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn })),
        ),
      },
    );

    assert.equal(report.loadBalancers[0]?.outcome, 'already-gone');
    assert.equal(report.counts.failed, 0);
    assert.deepEqual(report.errors, []);
    assert.equal((await w.moto.calls())['elasticloadbalancing:DeleteTargetGroup'], undefined);
  });

  it('a failed DeleteLoadBalancer deletes no target group and is reported', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 2,
      tags: suspectTags(daysAgo(8)),
    });
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DeleteLoadBalancer',
      status: 400,
      code: 'OperationNotPermitted',
      message: 'Load balancer is in use',
    });

    const report = await w.sweep();

    assert.equal(report.loadBalancers[0]?.outcome, 'failed');
    assert.match(
      report.loadBalancers[0]?.detail ?? '',
      /OperationNotPermitted(Exception)?: Load balancer is in use/,
    );
    assert.equal(report.counts.failed, 1);
    assert.equal((await w.moto.calls())['elasticloadbalancing:DeleteTargetGroup'], undefined);
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
  });

  it('two sweeps at once delete each load balancer once and do not fail on each other', async () => {
    const w = world();
    await w.addCluster('prod');
    for (const name of ['a', 'b', 'c']) {
      await w.createNlb({
        name: `due-${name}`,
        cluster: 'prod',
        service: `shop/${name}`,
        tags: suspectTags(daysAgo(8)),
      });
    }
    const fresh = await w.createNlb({ name: 'fresh', cluster: 'prod', service: 'shop/fresh' });

    const reports = await Promise.all([w.sweep(), w.sweep()]);

    assert.deepEqual(await w.loadBalancerArns(), [fresh.arn]);
    for (const report of reports) {
      assert.equal(report.counts.failed, 0, JSON.stringify(report.loadBalancers));
      assert.deepEqual(report.errors, []);
      for (const entry of report.loadBalancers.filter((lb) => lb.name.startsWith('due-'))) {
        assert.ok(['deleted', 'already-gone'].includes(entry.outcome), `${entry.name}: ${entry.outcome}`);
      }
    }
    const deletedOrGone = reports.flatMap((report) =>
      report.loadBalancers.filter((lb) => lb.name.startsWith('due-')),
    );
    assert.equal(deletedOrGone.length, 6, 'each sweep reports each due load balancer');
    assert.ok((await w.tagsOf(fresh.arn))['nlb-janitor/suspect-since']);
  });

  it('reads Services with unusual but legal names exactly', async () => {
    const w = world();
    await w.addCluster('prod');
    const longName = `a${'-b9'.repeat(20)}x1`; // 63 characters
    const owners = ['0ns/svc', `kube-system/${longName}`, 'a/b', 'team-1/web-2'];
    const owned = [];
    for (const [index, owner] of owners.entries()) {
      const nlb = await w.createNlb({
        name: `owned-${index}`,
        cluster: 'prod',
        service: owner,
        listeners: 0,
      });
      w.putService('prod', owner, { dnsName: nlb.dnsName });
      owned.push(nlb);
    }
    // One character short of a live Service's name is another Service.
    const near = await w.createNlb({
      name: 'near',
      cluster: 'prod',
      service: `kube-system/${longName.slice(0, -1)}`,
      listeners: 0,
    });

    const report = await w.sweep();

    assert.equal(longName.length, 63);
    assert.equal(report.counts.owned, 4);
    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.reason]),
      [['near', 'SERVICE_NOT_FOUND']],
    );
    for (const nlb of owned) assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
    assert.ok((await w.tagsOf(near.arn))['nlb-janitor/suspect-since']);
  });

  it('never touches load balancers with empty, overlong, unicode or slash-less owner tags', async () => {
    const w = world();
    await w.addCluster('prod');
    const values = ['', 'x'.repeat(256), 'shöp/wéb', 'shop-web', 'shop/web/extra', ' shop/web'];
    const arns = [];
    for (const [index, stack] of values.entries()) {
      const nlb = await w.createNlb({
        name: `odd-${index}`,
        tags: { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': stack },
        listeners: 0,
      });
      arns.push(nlb.arn);
    }

    const report = await w.sweep();

    assert.deepEqual(
      report.skipped.map((s) => s.reason),
      values.map(() => 'MALFORMED_OWNER_TAGS'),
    );
    for (const arn of arns) assert.equal((await w.tagsOf(arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('the CLI rides out ELBv2 throttling with the SDK’s retries', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DescribeLoadBalancers',
      code: 'Throttling',
      count: 1,
    });
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DescribeTags',
      code: 'Throttling',
      count: 1,
    });

    const run = await w.cli(['sweep', '--json']);

    assert.equal(run.status, 0, run.stderr);
    const calls = await w.moto.calls();
    assert.equal(calls['elasticloadbalancing:DescribeLoadBalancers'], 2);
    assert.equal(calls['elasticloadbalancing:DescribeTags'], 2);
    assert.ok((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since']);
  });
});
