import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DeleteLoadBalancerCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// A target group a deletion left behind is found and finished by a later sweep,
// and only the janitor's own leftovers are ever touched.

async function targetGroupArns(w: TestWorld): Promise<string[]> {
  const output = await w.elbv2.send(new DescribeTargetGroupsCommand({}));
  return (output.TargetGroups ?? []).map((group) => group.TargetGroupArn ?? '').sort();
}

describeWithWorld('target groups left behind by a deletion', (world) => {
  it('a target group still in use after its load balancer went is deleted by the next sweep', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 1,
      tags: suspectTags(daysAgo(8)),
    });
    const [stuck] = nlb.targetGroupArns;
    assert.ok(stuck);
    // ResourceInUse on every try of this sweep (3, right after the deletion).
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DeleteTargetGroup',
      code: 'ResourceInUse',
      message: 'Target group is currently in use by a listener or a rule',
      match: { TargetGroupArn: stuck },
      count: 3,
    });

    const first = await w.sweep();

    assert.equal(entry(first, 'due').outcome, 'deleted');
    assert.deepEqual(await targetGroupArns(w), [stuck]);
    assert.equal((await w.tagsOf(stuck))['nlb-janitor/deleted-with'], nlb.arn);
    assert.match(entry(first, 'due').detail ?? '', /ResourceInUse|in use/);
    // The footprint was read before the deletion, when the target group was still attached: nothing to finish yet.
    assert.deepEqual(first.footprint, []);

    const second = await w.sweep();

    assert.deepEqual(
      second.footprint.map((group) => [group.id, group.outcome, group.owner]),
      [[stuck, 'deleted', 'Service shop/gone']],
    );
    assert.match(second.footprint[0]?.detail ?? '', /left behind when the janitor deleted/);
    assert.deepEqual(await targetGroupArns(w), []);
  });

  it('marks a detached target group whose Service is gone, and finishes no leftover whose Service is back or whose cluster is unread', async () => {
    const w = world();
    await w.addCluster('prod');
    // Staging in a VPC of its own: its unread Services hold only what could be its own.
    const stagingNetwork = await w.createNetwork();
    await w.addCluster('staging', { network: stagingNetwork });
    // Three NLBs whose target groups become detached when their listeners are deleted below.
    const binding = await w.createNlb({ name: 'binding', cluster: 'prod', service: 'shop/binding' });
    const back = await w.createNlb({ name: 'back', cluster: 'prod', service: 'shop/back' });
    const unread = await w.createNlb({
      name: 'unread',
      cluster: 'staging',
      service: 'shop/x',
      network: stagingNetwork,
    });
    for (const nlb of [binding, back, unread]) {
      await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
    }
    for (const nlb of [back, unread]) {
      for (const group of nlb.targetGroupArns)
        await w.addTags(group, { 'nlb-janitor/deleted-with': nlb.arn });
    }
    w.putService('prod', 'shop/back');
    w.cluster('staging').injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });
    const before = await targetGroupArns(w);

    const dry = await w.sweep({ dryRun: true });
    const report = await w.sweep();

    for (const result of [dry, report]) {
      assert.deepEqual(result.footprint.map((group) => [group.owner, group.outcome]).sort(), [
        ['Service shop/back', 'kept'],
        // Not tagged by the janitor: a leftover of no deletion of its own, so a new promise with a full grace period.
        ['Service shop/binding', 'marked'],
        ['Service shop/x', 'held'],
      ]);
    }
    assert.deepEqual(await targetGroupArns(w), before);
    const [bindingGroup] = binding.targetGroupArns;
    assert.ok(bindingGroup);
    assert.equal((await w.tagsOf(bindingGroup))['nlb-janitor/reason'], 'SERVICE_NOT_FOUND');
  });

  it('a dry run says it would finish a leftover and deletes nothing; a failed listing deletes nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'was', cluster: 'prod', service: 'shop/gone' });
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    await w.addTags(group, { 'nlb-janitor/deleted-with': nlb.arn });
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));

    const dry = await w.sweep({ dryRun: true });
    assert.deepEqual(
      dry.footprint.map((g) => [g.outcome, g.dryRun]),
      [['deleted', true]],
    );

    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DescribeTargetGroups',
      code: 'Throttling',
      count: -1,
    });
    const failed = await w.sweep();
    assert.deepEqual(failed.footprint, []);
    assert.ok(
      failed.errors.some((error) => /target groups no load balancer uses could not be read/.test(error)),
    );
    await w.moto.clearFaults();
    assert.deepEqual(await targetGroupArns(w), [group]);
  });
});
