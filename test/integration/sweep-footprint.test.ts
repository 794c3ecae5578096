import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import { composeNotification } from '../../lambda/report/notification';
import { renderTable } from '../../lambda/report/render-table';
import type { FootprintEntry, SweepReport } from '../../lambda/report/sweep-report';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, REGION, type TestWorld } from '../support/test-world';

// The whole footprint: target groups no load balancer uses, the controllers'
// security groups (and the node rules that reference them), in-tree node rules
// and the shared backend security group go through the load balancers' lifecycle:
// marked, announced, deleted after the grace period, proven again right before.

const SHARED_RULE = 'elbv2.k8s.aws/targetGroupBinding=shared';
const JANITOR_KEYS = (tags: Record<string, string>) =>
  Object.keys(tags)
    .filter((key) => key.startsWith('nlb-janitor/'))
    .sort();

function footprintOf(report: SweepReport, id: string): FootprintEntry {
  const found = report.footprint.find((item) => item.id === id);
  assert.ok(found, `no footprint entry for ${id}: ${JSON.stringify(report.footprint, null, 1)}`);
  return found;
}

async function targetGroupArns(w: TestWorld): Promise<string[]> {
  const output = await w.elbv2.send(new DescribeTargetGroupsCommand({}));
  return (output.TargetGroups ?? []).map((group) => group.TargetGroupArn ?? '').sort();
}

async function securityGroup(
  w: TestWorld,
  id: string,
): Promise<{ tags: Record<string, string>; exists: boolean }> {
  const output = await w.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }),
  );
  const group = output.SecurityGroups?.[0];
  const tags: Record<string, string> = {};
  for (const { Key, Value } of group?.Tags ?? []) if (Key !== undefined) tags[Key] = Value ?? '';
  return { tags, exists: group !== undefined };
}

async function rule(w: TestWorld, id: string): Promise<{ tags: Record<string, string> } | undefined> {
  const output = await w.ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'security-group-rule-id', Values: [id] }] }),
  );
  const found = output.SecurityGroupRules?.[0];
  if (found === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const { Key, Value } of found.Tags ?? []) if (Key !== undefined) tags[Key] = Value ?? '';
  return { tags };
}

/** The LBC's front-end security group for a Service's NLB (v2.6+). */
function frontEndTags(cluster: string, service: string): Record<string, string> {
  return {
    'elbv2.k8s.aws/cluster': cluster,
    'service.k8s.aws/stack': service,
    'service.k8s.aws/resource': 'ManagedLBSecurityGroup',
  };
}

/** What the janitor promised a week and a day ago, and announced then: due now. */
const DUE = () => suspectTags(daysAgo(8));

describeWithWorld('the whole footprint', (world) => {
  it('a target group whose NLB and Service are gone is marked, announced, then deleted after the grace period', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'was', cluster: 'prod', service: 'shop/gone' });
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    // The controller deleted the NLB but not its target group (CAPA#4175).
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));

    const first = await w.sweep();

    const marked = footprintOf(first, group);
    assert.equal(marked.outcome, 'marked');
    assert.equal(marked.kind, 'target-group');
    assert.equal(marked.owner, 'Service shop/gone');
    assert.equal(marked.reason, 'SERVICE_NOT_FOUND');
    assert.ok(marked.deletesAt);
    const tags = await w.tagsOf(group);
    assert.equal(tags['nlb-janitor/deletes-at'], marked.deletesAt);
    // Delivered, so the promise counts: announced-at is written after delivery, as on load balancers.
    assert.ok(tags['nlb-janitor/announced-at']);
    assert.ok(first.notice.news.some((line) => /target group .* is newly marked/.test(line)));

    const waiting = await w.sweep();
    assert.equal(footprintOf(waiting, group).outcome, 'pending');
    assert.deepEqual(await targetGroupArns(w), [group]);

    // A week passes.
    await w.addTags(group, DUE());
    const due = await w.sweep();

    assert.equal(footprintOf(due, group).outcome, 'deleted');
    assert.deepEqual(await targetGroupArns(w), []);
    assert.ok(due.notice.news.some((line) => /target group .* was deleted/.test(line)));
  });

  it('a target group due within a day gets its one reminder, as a load balancer does', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'was', cluster: 'prod', service: 'shop/gone' });
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
    // Marked and announced six days and a bit ago: deleted in the next 24 hours.
    await w.addTags(group, suspectTags(daysAgo(6.2)));

    const first = await w.sweep();

    const reminded = footprintOf(first, group);
    assert.equal(reminded.outcome, 'pending');
    assert.equal(reminded.reminder, true);
    assert.ok(first.notice.news.some((line) => /target group .* within 24 hours/.test(line)));
    assert.match(composeNotification(first).message, /\(within 24 hours, unless stopped\)/);
    assert.ok((await w.tagsOf(group))['nlb-janitor/reminded-at']);

    const second = await w.sweep();
    assert.equal(footprintOf(second, group).reminder, false);
    assert.equal(second.announcement.status, 'quiet');
  });

  it('a target group of a live Service without a load balancer (a TargetGroupBinding in progress) is kept and never marked', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'binding', cluster: 'prod', service: 'shop/binding' });
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
    // The Service lives on as ClusterIP, and a TargetGroupBinding feeds the target group.
    w.putService('prod', 'shop/binding', { type: 'ClusterIP' });

    const report = await w.sweep();

    assert.deepEqual(report.footprint, []);
    assert.deepEqual(JANITOR_KEYS(await w.tagsOf(group)), []);
    assert.deepEqual(await targetGroupArns(w), [group]);
  });

  it("a front-end security group of a deleted NLB loses the node rules that reference it, then is deleted; a person's rule and the node group stay", async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-0123456789',
      tags: frontEndTags('prod', 'shop/gone'),
    });
    const nodes = await w.createSecurityGroup({
      name: 'eks-nodes',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, frontEnd, SHARED_RULE, 30080);
    const ssh = await w.allowCidr(nodes, '10.0.0.0/8', 22, 'ssh from the office');
    const nlb = await w.createNlb({
      name: 'gone',
      cluster: 'prod',
      service: 'shop/gone',
      securityGroups: [frontEnd],
    });

    // 1. Both orphaned: one promise each, one report.
    const first = await w.sweep();
    assert.equal(entry(first, 'gone').outcome, 'marked');
    const sgEntry = footprintOf(first, frontEnd);
    assert.equal(sgEntry.outcome, 'marked');
    assert.equal(sgEntry.loadBalancer, nlb.arn);
    assert.match(sgEntry.detail ?? '', /goes after load balancer .*, which still stands/);
    // The email and the table group the security group under its NLB.
    assert.match(
      composeNotification(first).message,
      /\* gone [^\n]*\n(?: {2}[^\n]*\n)* {2}with security group k8s-shop-gone-0123456789 \(sg-[0-9a-f]+\): marked/,
    );
    // The table names a security group by its id (the email above has its name too): it fits 160 columns.
    assert.match(
      renderTable(first),
      /\n {2}└ marked +security group sg-[0-9a-f]+ +prod +Service shop\/gone /,
    );

    // 2. A week passes: the NLB goes; its security group waits for it.
    await w.addTags(nlb.arn, DUE());
    await w.addEc2Tags([frontEnd], DUE());
    const second = await w.sweep();
    assert.equal(entry(second, 'gone').outcome, 'deleted');
    assert.equal(footprintOf(second, frontEnd).outcome, 'deferred');
    assert.ok((await securityGroup(w, frontEnd)).exists);

    // 3. The next sweep revokes the rule that references it, then deletes it.
    const third = await w.sweep();
    assert.equal(footprintOf(third, frontEnd).outcome, 'deleted', JSON.stringify(third.footprint));
    assert.equal((await securityGroup(w, frontEnd)).exists, false);
    assert.equal(await rule(w, shared), undefined);
    assert.ok(await rule(w, ssh), "a person's rule on the node group stays");
    assert.ok((await securityGroup(w, nodes)).exists);
  });

  it('a security group goes only with the load balancer that uses it: one the janitor keeps keeps it, and removes its marks', async () => {
    const w = world();
    await w.addCluster('prod');
    // Tags copied from a Service that is gone, onto the group a live Service's NLB uses.
    const copied = await w.createSecurityGroup({
      name: 'k8s-shop-web-copied',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const live = await w.createNlb({
      name: 'web',
      cluster: 'prod',
      service: 'shop/web',
      securityGroups: [copied],
    });
    w.putService('prod', 'shop/web', { dnsName: live.dnsName });

    const report = await w.sweep();

    assert.equal(footprintOf(report, copied).outcome, 'recovered');
    assert.deepEqual(JANITOR_KEYS((await securityGroup(w, copied)).tags), []);
    assert.ok((await securityGroup(w, copied)).exists);
  });

  it("a security group referenced by a person's rule needs a person, and nothing is revoked", async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-1',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const bastion = await w.createSecurityGroup({ name: 'bastion' });
    const theirs = await w.allowFrom(bastion, frontEnd, 'allow the old NLB to reach the bastion', 443);

    const report = await w.sweep();

    const sg = footprintOf(report, frontEnd);
    assert.equal(sg.outcome, 'needs-manual-action');
    assert.match(sg.detail ?? '', /not a controller's/);
    assert.ok(await rule(w, theirs));
    assert.ok((await securityGroup(w, frontEnd)).exists);
  });

  it('a security group still used by a network interface is kept and retried; the next sweep finishes it', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-2',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const { subnetIds } = await w.moto.defaultNetwork(REGION);
    const eni = await w.attachNetworkInterface(subnetIds[0] ?? '', [frontEnd]);

    const first = await w.sweep();
    const held = footprintOf(first, frontEnd);
    assert.equal(held.outcome, 'deferred');
    assert.match(held.detail ?? '', new RegExp(`network interface ${eni} still use it`));
    assert.ok((await securityGroup(w, frontEnd)).exists);
    // The promise stands.
    assert.ok((await securityGroup(w, frontEnd)).tags['nlb-janitor/deletes-at']);

    await w.deleteNetworkInterface(eni);
    const second = await w.sweep();
    assert.equal(footprintOf(second, frontEnd).outcome, 'deleted');
    assert.equal((await securityGroup(w, frontEnd)).exists, false);
  });

  it('a failed step is finished by the next sweep: DependencyViolation, then a retry', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-3',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    // The NLB's interfaces take minutes to go after it is deleted: EC2 says so once.
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DeleteSecurityGroup',
      code: 'DependencyViolation',
      message: `resource ${frontEnd} has a dependent object`,
      count: 1,
    });

    const first = await w.sweep();
    assert.equal(footprintOf(first, frontEnd).outcome, 'deferred');
    assert.match(footprintOf(first, frontEnd).detail ?? '', /next sweep tries again/);

    const second = await w.sweep();
    assert.equal(footprintOf(second, frontEnd).outcome, 'deleted');
    assert.equal((await securityGroup(w, frontEnd)).exists, false);
  });

  it('in-tree node rules whose load balancer and Service are gone are marked, then revoked; those of a live Service or load balancer stay', async () => {
    const w = world();
    await w.addCluster('prod');
    const nodes = await w.createSecurityGroup({
      name: 'nodes',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const goneName = inTreeLoadBalancerName('0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b');
    const liveUid = '11111111-2222-4333-8444-555555555555';
    w.putService('prod', 'shop/live', { uid: liveUid });
    const leaked = await w.allowCidr(nodes, '0.0.0.0/0', 30080, `kubernetes.io/rule/nlb/client=${goneName}`);
    const health = await w.allowCidr(
      nodes,
      '10.0.0.0/16',
      30081,
      `kubernetes.io/rule/nlb/health=${goneName}`,
    );
    const ofLive = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30090,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(liveUid)}`,
    );
    const standing = await w.createNlb({
      name: 'a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4',
      cluster: 'prod',
      service: 'shop/web',
    });
    w.putService('prod', 'shop/web', { dnsName: standing.dnsName });
    const ofStanding = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30100,
      'kubernetes.io/rule/nlb/client=a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4',
    );

    const first = await w.sweep();
    assert.deepEqual(
      first.footprint.map((item) => [item.id, item.kind, item.outcome, item.reason]).sort(),
      [
        [health, 'node-rule', 'marked', 'SERVICE_NOT_FOUND'],
        [leaked, 'node-rule', 'marked', 'SERVICE_NOT_FOUND'],
      ].sort(),
    );
    assert.ok((await rule(w, leaked))?.tags['nlb-janitor/announced-at']);

    await w.addEc2Tags([leaked, health], DUE());
    const due = await w.sweep();
    assert.deepEqual(
      due.footprint.map((item) => [item.id, item.outcome]).sort(),
      [
        [health, 'deleted'],
        [leaked, 'deleted'],
      ].sort(),
    );
    assert.equal(await rule(w, leaked), undefined);
    assert.equal(await rule(w, health), undefined);
    assert.ok(await rule(w, ofLive));
    assert.ok(await rule(w, ofStanding));
  });

  it('the shared backend security group of a cluster EKS does not know goes only with the opt-in, after its grace period', async () => {
    const w = world();
    await w.addCluster('prod');
    const backend = await w.createSecurityGroup({
      name: 'k8s-traffic-old-0123456789',
      tags: { 'elbv2.k8s.aws/cluster': 'old', 'elbv2.k8s.aws/resource': 'backend-sg' },
    });
    const liveBackend = await w.createSecurityGroup({
      name: 'k8s-traffic-prod-0123456789',
      tags: { 'elbv2.k8s.aws/cluster': 'prod', 'elbv2.k8s.aws/resource': 'backend-sg' },
    });

    const first = await w.sweep();
    assert.equal(footprintOf(first, backend).outcome, 'marked');
    assert.equal(footprintOf(first, backend).reason, 'CLUSTER_NOT_FOUND');
    assert.equal(footprintOf(first, backend).owner, 'cluster old');
    assert.equal(
      first.footprint.find((item) => item.id === liveBackend),
      undefined,
    );

    await w.addEc2Tags([backend], suspectTags(daysAgo(8), 'CLUSTER_NOT_FOUND'));
    const withoutOptIn = await w.sweep();
    assert.equal(footprintOf(withoutOptIn, backend).outcome, 'pending');
    assert.ok((await securityGroup(w, backend)).exists);

    const optedIn = await w.sweep({ deleteWhenClusterMissing: true });
    assert.equal(footprintOf(optedIn, backend).outcome, 'deleted');
    assert.equal((await securityGroup(w, backend)).exists, false);
    assert.ok((await securityGroup(w, liveBackend)).exists);
  });

  it('a dry run changes nothing, and says what a real sweep would do', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-4',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, frontEnd, SHARED_RULE, 30080);
    const nlb = await w.createNlb({ name: 'was', cluster: 'prod', service: 'shop/other-gone' });
    await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    const before = {
      groupTags: await w.tagsOf(group),
      sg: await securityGroup(w, frontEnd),
    };

    const dry = await w.sweep({ dryRun: true });

    assert.deepEqual(dry.footprint.map((item) => [item.kind, item.outcome, item.dryRun]).sort(), [
      ['security-group', 'deleted', true],
      ['target-group', 'marked', true],
    ]);
    assert.deepEqual(await w.tagsOf(group), before.groupTags);
    assert.deepEqual(await securityGroup(w, frontEnd), before.sg);
    assert.ok(await rule(w, shared));
  });

  it('the ignore tag keeps a security group, and a cluster that cannot be read holds its footprint', async () => {
    const w = world();
    await w.addCluster('prod');
    const stagingNetwork = await w.createNetwork();
    await w.addCluster('staging', { network: stagingNetwork });
    const ignored = await w.createSecurityGroup({
      name: 'k8s-shop-keep',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE(), 'nlb-janitor/ignore': 'yes' },
    });
    const unread = await w.createSecurityGroup({
      name: 'k8s-shop-unread',
      vpcId: stagingNetwork.vpcId,
      tags: { ...frontEndTags('staging', 'shop/gone'), ...DUE() },
    });
    w.cluster('staging').injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });

    const report = await w.sweep();

    assert.equal(
      report.footprint.find((item) => item.id === ignored),
      undefined,
    );
    assert.equal(footprintOf(report, unread).outcome, 'held');
    assert.ok((await securityGroup(w, ignored)).exists);
    assert.ok((await securityGroup(w, unread)).exists);
  });
});
