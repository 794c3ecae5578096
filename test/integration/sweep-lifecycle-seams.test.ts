import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DUE, footprintOf, frontEndTags, securityGroupExists, show } from '../support/footprint';
import { atFirstTimeCheck, daysAgo, steppingClock, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

// Where the load balancers' and the footprint's deletions meet: the cluster read
// each decides on, and the deletion slots they share (issue 19, findings 1 and 2).

describeWithWorld('sweep lifecycle seams: one cluster read for every kind', (world) => {
  // The Service is re-created after the sweep's reads and the clock moves 11 s, so
  // every deletion must read the cluster again; the first deletion (the load
  // balancer) does, and the security group's must decide on that read, not on the
  // sweep's first one it once kept a copy of.
  async function sweepRecreatingTheService(recreate: boolean, withLoadBalancer: boolean) {
    const w = world();
    await w.addCluster('prod');
    if (withLoadBalancer) {
      await w.createNlb({
        name: 'due',
        cluster: 'prod',
        service: 'shop/gone',
        tags: suspectTags(daysAgo(8)),
      });
    }
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-web-sg',
      tags: { ...frontEndTags('prod', 'shop/web'), ...DUE() },
    });
    const { clock, advance } = steppingClock();
    const report = await w.sweep(
      {},
      {
        clock,
        remainingTimeMs: atFirstTimeCheck(() => {
          if (recreate) w.putService('prod', 'shop/web');
          advance(11_000);
        }),
      },
    );
    return { w, group, report };
  }

  it('keeps a security group whose Service is re-created during the sweep, after a load balancer of the same cluster was deleted', async () => {
    const { w, group, report } = await sweepRecreatingTheService(true, true);
    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.equal(footprintOf(report, group)?.outcome, 'kept', show(report));
    assert.ok(await securityGroupExists(w, group), 'the security group of a live Service was deleted');
  });

  it('keeps that security group when no load balancer was deleted first (control)', async () => {
    const { w, group, report } = await sweepRecreatingTheService(true, false);
    assert.equal(footprintOf(report, group)?.outcome, 'kept', show(report));
    assert.ok(await securityGroupExists(w, group));
  });

  it('deletes that security group when its Service stays gone (control: the world can delete it)', async () => {
    const { w, group, report } = await sweepRecreatingTheService(false, true);
    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.equal(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.equal(await securityGroupExists(w, group), false);
  });
});

describeWithWorld('sweep lifecycle seams: deletion slots', (world) => {
  it('gives the one deletion of a cluster to a free due load balancer, not to an older one still in use', async () => {
    const w = world();
    await w.addCluster('prod');
    const busy = await w.createNlb({
      name: 'busy',
      cluster: 'prod',
      service: 'shop/a',
      tags: suspectTags(daysAgo(8.5)),
    });
    await w.createNlb({ name: 'free', cluster: 'prod', service: 'shop/b', tags: suspectTags(daysAgo(8)) });
    await w.createEndpointService([busy.arn]);
    const report = await w.sweep({ maxDeletionsPerCluster: 1 });
    assert.equal(entry(report, 'busy').outcome, 'needs-manual-action', entry(report, 'busy').detail);
    assert.equal(entry(report, 'free').outcome, 'deleted', entry(report, 'free').detail);
    assert.deepEqual(await w.loadBalancerArns(), [busy.arn]);
  });

  it('still deletes one a cluster and defers the other when both are free (control: the limit holds)', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'older', cluster: 'prod', service: 'shop/a', tags: suspectTags(daysAgo(8.5)) });
    await w.createNlb({ name: 'newer', cluster: 'prod', service: 'shop/b', tags: suspectTags(daysAgo(8)) });
    const report = await w.sweep({ maxDeletionsPerCluster: 1 });
    assert.equal(entry(report, 'older').outcome, 'deleted');
    assert.equal(entry(report, 'newer').outcome, 'deferred');
    assert.match(entry(report, 'newer').detail ?? '', /at most 1 deletions per cluster and sweep/);
  });
});
