import assert from 'node:assert/strict';
import { it } from 'node:test';
import { composeNotification } from '../../lambda/report/notification';
import { renderTable } from '../../lambda/report/render-table';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { footprintOf, frontEndTags, securityGroupExists, show } from '../support/footprint';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Finding 6 of the seams issue: anyone who may create security groups could hold a
// cluster's cleanup with a few groups tagged as its front-end groups, and the report
// named none of them while its advice pointed at the cluster's read. Now a group
// nothing can depend on does not count, and a tripped breaker lists what it counted.

/** Three live Services of prod with their NLBs, and one NLB of a Service long gone, due. */
async function prodWithOneDueOrphan(w: TestWorld): Promise<string> {
  await w.addCluster('prod');
  for (const name of ['a', 'b', 'c']) {
    const live = await w.createNlb({ name: `live-${name}`, cluster: 'prod', service: `shop/live-${name}` });
    w.putService('prod', `shop/live-${name}`, { dnsName: live.dnsName });
  }
  const due = await w.createNlb({
    name: 'really-orphaned',
    cluster: 'prod',
    service: 'shop/old',
    tags: suspectTags(daysAgo(8)),
  });
  return due.arn;
}

async function decoys(w: TestWorld, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    ids.push(
      await w.createSecurityGroup({
        name: `decoy-${index}`,
        tags: frontEndTags('prod', `decoy/none-${index}`),
      }),
    );
  }
  return ids;
}

function prodOf(report: SweepReport) {
  const prod = report.clusters.find((cluster) => cluster.name === 'prod');
  assert.ok(prod, 'prod is in the report');
  return prod;
}

describeWithWorld('the circuit breaker explains itself', (world) => {
  it("four decoy security groups tagged as prod's front-end groups do not trip its breaker; the real orphan is deleted", async () => {
    const w = world();
    const due = await prodWithOneDueOrphan(w);
    const groups = await decoys(w, 4);

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    assert.equal(prodOf(report).heldBack, undefined);
    assert.equal(entry(report, 'really-orphaned').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(due));
    // The decoys are what their tags say: security groups of Services that are gone, nothing uses them.
    for (const group of groups) {
      assert.equal(footprintOf(report, group)?.outcome, 'marked', show(report));
      assert.ok(await securityGroupExists(w, group));
    }
  });

  it('decoys someone attached to an interface count, and trip it: the report, the table and the email list each one with its tags', async () => {
    const w = world();
    const due = await prodWithOneDueOrphan(w);
    const groups = await decoys(w, 4);
    const { subnetIds } = await w.moto.defaultNetwork('eu-west-1');
    await w.attachNetworkInterface(subnetIds[0] ?? '', groups);

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    const prod = prodOf(report);
    assert.match(prod.heldBack ?? '', /would mark or delete 5 of the 8/);
    assert.match(prod.heldBack ?? '', /1 are load balancers: check the cluster name, endpoint and RBAC/);
    assert.match(
      prod.heldBack ?? '',
      /4 are footprint known only from its tags .*check who made the ones listed/,
    );
    assert.deepEqual(
      (prod.breakerUnits ?? []).map((unit) => [unit.kind, unit.id, unit.owner, unit.action]).sort(),
      [
        ['load-balancer', due, 'Service shop/old', 'delete'],
        ...groups.map((group, index) => ['security-group', group, `Service decoy/none-${index}`, 'mark']),
      ].sort(),
    );
    for (const unit of prod.breakerUnits ?? []) {
      assert.equal(unit.tags['elbv2.k8s.aws/cluster'], 'prod', unit.id);
    }
    assert.equal(entry(report, 'really-orphaned').outcome, 'held');
    assert.ok((await w.loadBalancerArns()).includes(due));

    const table = renderTable(report);
    const email = composeNotification(report).message;
    for (const text of [table, email]) {
      assert.match(text, /circuit breaker of cluster prod counted these 5 changes:/);
      for (const [index, group] of groups.entries()) {
        assert.match(
          text,
          new RegExp(
            `security group decoy-${index} \\(${group}\\): made for Service decoy/none-${index}; would mark; tags .*service\\.k8s\\.aws/stack=decoy/none-${index}`,
          ),
        );
      }
      assert.match(
        text,
        /load balancer really-orphaned \(arn:.*\): made for Service shop\/old; would delete/,
      );
    }
  });

  it('a real mass orphaning still trips it, and the report lists each load balancer with its footprint', async () => {
    const w = world();
    await w.addCluster('prod');
    const live = await w.createNlb({ name: 'live', cluster: 'prod', service: 'shop/live' });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });
    const gone: { arn: string; group: string }[] = [];
    for (const name of ['a', 'b', 'c']) {
      const group = await w.createSecurityGroup({
        name: `k8s-${name}`,
        tags: frontEndTags('prod', `shop/${name}`),
      });
      const nlb = await w.createNlb({
        name: `gone-${name}`,
        cluster: 'prod',
        service: `shop/${name}`,
        securityGroups: [group],
      });
      gone.push({ arn: nlb.arn, group });
    }

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    const prod = prodOf(report);
    assert.match(prod.heldBack ?? '', /would mark or delete 3 of the 4/);
    assert.match(
      prod.heldBack ?? '',
      /Of those, 3 are load balancers: check the cluster name, endpoint and RBAC/,
    );
    assert.doesNotMatch(prod.heldBack ?? '', /known only from its tags/);
    assert.deepEqual(
      (prod.breakerUnits ?? []).map((unit) => [unit.kind, unit.id]).sort(),
      gone
        .flatMap(({ arn, group }) => [
          ['load-balancer', arn],
          ['security-group', group],
        ])
        .sort(),
    );
    for (const [index, name] of ['a', 'b', 'c'].entries()) {
      assert.equal(entry(report, `gone-${name}`).outcome, 'held');
      assert.equal((await w.tagsOf(gone[index]?.arn ?? ''))['nlb-janitor/suspect-since'], undefined);
    }
    assert.match(
      composeNotification(report).message,
      /circuit breaker of cluster prod counted these 6 changes:/,
    );
  });
});
