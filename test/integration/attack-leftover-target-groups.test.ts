import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DeleteLoadBalancerCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Safety review (attack): the leftover target group sweep. The `deleted-with` tag
// is the janitor's only proof that a target group is its own leftover; these
// tests write it the way a person or another tool could, or leave the checks the
// load balancer path makes (unread clusters, VPC, opt-ins, guards) to see whether
// the target group path makes them too.

const GHOST_NLB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/never-was/0123456789abcdef';

async function targetGroupArns(w: TestWorld): Promise<string[]> {
  const output = await w.elbv2.send(new DescribeTargetGroupsCommand({}));
  return (output.TargetGroups ?? []).map((group) => group.TargetGroupArn ?? '').sort();
}

/** A detached target group with the owner tags of `cluster`/`service`, its load balancer gone. */
async function detachedGroup(
  w: TestWorld,
  name: string,
  cluster: string,
  service: string,
  options: { network?: Awaited<ReturnType<TestWorld['createNetwork']>>; tags?: Record<string, string> } = {},
): Promise<string> {
  const nlb = await w.createNlb({ name, cluster, service, network: options.network, tags: options.tags });
  await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
  const [group] = nlb.targetGroupArns;
  assert.ok(group);
  return group;
}

describeWithWorld('attack: leftover target groups', (world) => {
  it('a deleted-with tag naming a load balancer that never existed, on a target group a TargetGroupBinding is filling, is not a leftover', async () => {
    const w = world();
    await w.addCluster('prod');
    // A platform team reuses an old target group for a TargetGroupBinding and copies
    // its tags (with a deleted-with from a runbook) from another target group.
    const group = await detachedGroup(w, 'old', 'prod', 'shop/old-name');
    await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });
    await w.registerInstances(group, 2);

    const report = await w.sweep();

    assert.deepEqual(
      report.footprint.map((g) => g.outcome),
      ['needs-manual-action'],
      JSON.stringify(report.footprint),
    );
    assert.deepEqual(await targetGroupArns(w), [group]);
  });

  it('a leftover whose cluster EKS does not know (self-managed) is not deleted without --delete-when-cluster-missing', async () => {
    const w = world();
    await w.addCluster('prod');
    // `onprem` is a self-managed cluster running the LBC: EKS has never heard of it.
    const group = await detachedGroup(w, 'onprem-lb', 'onprem', 'shop/web');
    await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });

    const report = await w.sweep({ deleteWhenClusterMissing: false });

    assert.notEqual(report.footprint[0]?.outcome, 'deleted', JSON.stringify(report.footprint));
    assert.deepEqual(await targetGroupArns(w), [group]);
  });

  it('an unreadable cluster in the same VPC holds a leftover, as it holds an orphaned NLB', async () => {
    const w = world();
    await w.addCluster('prod');
    const dev = await w.addCluster('dev');
    const group = await detachedGroup(w, 'was', 'prod', 'shop/gone');
    await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });
    dev.injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.equal(report.footprint[0]?.outcome, 'held', JSON.stringify(report.footprint));
    assert.deepEqual(await targetGroupArns(w), [group]);
  });

  it('a leftover outside its owner cluster’s VPC is not that cluster’s (as NOT_IN_CLUSTER_VPC spares an NLB)', async () => {
    const w = world();
    await w.addCluster('prod');
    const elsewhere = await w.createNetwork('10.9.0.0/16');
    const group = await detachedGroup(w, 'foreign', 'prod', 'shop/gone', { network: elsewhere });
    await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });

    const report = await w.sweep();

    assert.notEqual(report.footprint[0]?.outcome, 'deleted', JSON.stringify(report.footprint));
    assert.deepEqual(await targetGroupArns(w), [group]);
  });

  it('leftover deletions are bounded by --max-deletions and the circuit breaker', async () => {
    const w = world();
    await w.addCluster('prod');
    const groups: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const group = await detachedGroup(w, `lb-${name}`, 'prod', `shop/${name}`);
      await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });
      groups.push(group);
    }

    const report = await w.sweep({ maxDeletions: 1, maxDeletionsPerCluster: 1, maxOrphanRatio: 0.5 });

    const deleted = report.footprint.filter((g) => g.outcome === 'deleted').length;
    assert.ok(deleted <= 1, `deleted ${deleted} of 3: ${JSON.stringify(report.footprint)}`);
  });

  it('a sweep limited to --clusters prod leaves another cluster’s leftovers alone', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('staging');
    const group = await detachedGroup(w, 'stg', 'staging', 'shop/gone');
    await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.deepEqual(report.footprint, [], JSON.stringify(report.footprint));
    assert.deepEqual(await targetGroupArns(w), [group]);
  });

  it('a Gateway-owned leftover is held while the Gateways of its cluster are forbidden (or not read)', async () => {
    const w = world();
    const prod = await w.addCluster('prod');
    const gatewayTags = { 'gateway.k8s.aws.nlb/stack': 'infra/gone' };
    // A Gateway-owned NLB (service tag overwritten away) whose target group carries Gateway owner tags.
    const nlb = await w.createNlb({
      name: 'gw-was',
      tags: { 'elbv2.k8s.aws/cluster': 'prod', ...gatewayTags },
    });
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    await w.addTags(group, {
      'elbv2.k8s.aws/cluster': 'prod',
      ...gatewayTags,
      'gateway.k8s.aws.nlb/resource': 'infra/gone:tcp-route:80',
      'nlb-janitor/deleted-with': nlb.arn,
    });
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
    // A live Gateway-owned NLB makes the sweep ask for prod's Gateways: forbidden.
    const live = await w.createNlb({
      name: 'gw-live',
      tags: { 'elbv2.k8s.aws/cluster': 'prod', 'gateway.k8s.aws.nlb/stack': 'infra/live' },
    });
    w.putGateway('prod', 'infra/live', { address: live.dnsName });
    prod.injectFault({
      type: 'status',
      code: 403,
      target: { path: '/apis/gateway.networking.k8s.io/v1/gateways' },
      times: Number.POSITIVE_INFINITY,
    });

    const forbidden = await w.sweep();
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: live.arn }));
    const notRead = await w.sweep();

    for (const result of [forbidden, notRead]) {
      const outcome: string | undefined = result.footprint.find((g) => g.id === group)?.outcome;
      assert.equal(outcome, 'held', JSON.stringify(result.footprint));
    }
    assert.ok((await targetGroupArns(w)).includes(group));
  });

  it('a leftover whose Service is back in a cluster of another name is deleted only by its tags’ cluster (documented: tags decide)', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const group = await detachedGroup(w, 'moved', 'prod', 'shop/web');
    await w.addTags(group, { 'nlb-janitor/deleted-with': GHOST_NLB });
    // The Service exists, but in dev; prod was read completely and has no shop/web.
    w.putService('dev', 'shop/web');

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    // Recorded as observed: the target group is deleted on prod's read alone.
    assert.deepEqual(
      report.footprint.map((g) => g.outcome),
      ['deleted'],
    );
  });
});
