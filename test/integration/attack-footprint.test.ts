import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AuthorizeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import {
  DUE,
  footprintOf,
  frontEndTags,
  ruleExists,
  SHARED_RULE,
  securityGroupExists,
  show,
  sweepChangingTheWorld,
} from '../support/footprint';
import { entry } from '../support/report-entries';
import { describeWithWorld, REGION, type TestWorld } from '../support/test-world';

// Safety review (attack) of the footprint: target groups no load balancer uses,
// the controllers' security groups (and the rules that reference them) and the
// in-tree node rules. Each test is the world a confused platform team, or someone
// with tag-write access, could make; it asserts what a safe janitor does. The
// first group failed on the code reviewed (footprint, 9e22a69): each was a path
// where the footprint code deleted or revoked something it must not, and each
// is fixed. The one still `todo` is a known limitation (docs/reliability.md).

const GHOST_NLB =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/never-was/0123456789abcdef';
const GATEWAYS = '/apis/gateway.networking.k8s.io/v1/gateways';

const GONE_UID = '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';

async function targetGroupArns(w: TestWorld): Promise<string[]> {
  const output = await w.elbv2.send(new DescribeTargetGroupsCommand({}));
  return (output.TargetGroups ?? []).map((group) => group.TargetGroupArn ?? '').sort();
}

/** A target group made directly (attached to nothing), tagged as given. */
async function createTargetGroup(
  w: TestWorld,
  tags: Readonly<Record<string, string>>,
  options: { protocol?: 'TCP' | 'HTTP'; port?: number } = {},
): Promise<string> {
  const { vpcId } = await w.moto.defaultNetwork(REGION);
  const output = await w.elbv2.send(
    new CreateTargetGroupCommand({
      Name: `tg-${Math.random().toString(16).slice(2, 10)}`,
      Protocol: options.protocol ?? 'TCP',
      Port: options.port ?? 30000,
      VpcId: vpcId,
      TargetType: 'instance',
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const arn = output.TargetGroups?.[0]?.TargetGroupArn;
  assert.ok(arn);
  return arn;
}

/** A detached target group of a Service that is gone, its promise due. */
async function dueTargetGroup(w: TestWorld, cluster: string, service: string): Promise<string> {
  return createTargetGroup(w, {
    'elbv2.k8s.aws/cluster': cluster,
    'service.k8s.aws/stack': service,
    'service.k8s.aws/resource': `${service}:30000`,
    ...DUE(),
  });
}

describeWithWorld('attack: the footprint', (world) => {
  // ---------------------------------------------------------------------------
  // Unsafe paths found (they failed on 9e22a69; fixed since).
  // ---------------------------------------------------------------------------

  it('an ignore tag a person adds to a security group between the reads and its deletion keeps it', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-ign',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });

    const report = await sweepChangingTheWorld(w, () =>
      w.addEc2Tags([frontEnd], { 'nlb-janitor/ignore': 'true' }),
    );

    assert.notEqual(footprintOf(report, frontEnd)?.outcome, 'deleted', show(report));
    assert.ok(await securityGroupExists(w, frontEnd), 'the ignored security group was deleted');
  });

  it('an ignore tag added to a node security group between the reads and the revocation keeps its in-tree rules', async () => {
    const w = world();
    await w.addCluster('prod');
    const nodes = await w.createSecurityGroup({
      name: 'nodes-ign',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const leaked = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([leaked], DUE('SERVICE_NOT_FOUND'));

    const report = await sweepChangingTheWorld(
      w,
      () => w.addEc2Tags([nodes], { 'nlb-janitor/ignore': 'true' }),
      { clusters: ['prod'] },
    );

    assert.notEqual(footprintOf(report, leaked)?.outcome, 'deleted', show(report));
    assert.ok(await ruleExists(w, leaked), 'a rule of an ignored node group was revoked');
  });

  it('a security group whose owner tags are changed to a live Service between the reads and the deletion is kept', async () => {
    const w = world();
    await w.addCluster('prod');
    w.putService('prod', 'shop/web');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-adopted',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });

    // A platform team hands the group to the live Service (its stack tag now names it).
    const report = await sweepChangingTheWorld(w, () =>
      w.addEc2Tags([group], { 'service.k8s.aws/stack': 'shop/web' }),
    );

    assert.notEqual(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.ok(await securityGroupExists(w, group), "a live Service's security group was deleted");
  });

  it('a deleted-with tag on a security group or a node rule (the janitor never writes one there) is no promise: nothing goes on first sight', async () => {
    const w = world();
    await w.addCluster('prod');
    // Any load balancer gives the sweep its account and region.
    const live = await w.createNlb({ name: 'live', cluster: 'prod', service: 'shop/live' });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-forged',
      tags: { ...frontEndTags('prod', 'shop/gone'), 'nlb-janitor/deleted-with': GHOST_NLB },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-forged',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const nodeRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([nodeRule], { 'nlb-janitor/deleted-with': GHOST_NLB });

    const report = await w.sweep();

    assert.notEqual(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.notEqual(footprintOf(report, nodeRule)?.outcome, 'deleted', show(report));
    assert.ok(await securityGroupExists(w, group), 'deleted without any announced promise');
    assert.ok(await ruleExists(w, nodeRule), 'revoked without any announced promise');
  });

  it("an in-tree node rule named for a dead load balancer that a live Service's load balancer relies on (same node port) is not revoked", async () => {
    const w = world();
    await w.addCluster('prod');
    const nodes = await w.createSecurityGroup({
      name: 'nodes-reused-port',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    // shop/web was deleted and re-created with a new UID and the same nodePort 30000
    // (explicit in its manifest). The in-tree provider made a new NLB, whose target
    // group forwards to node port 30000; granting its client rule was "not needed"
    // as an identical permission was there, described for the old load balancer.
    const newUid = '11111111-2222-4333-8444-555555555555';
    const nlb = await w.createNlb({
      name: inTreeLoadBalancerName(newUid),
      cluster: 'prod',
      service: 'shop/web',
      controller: 'in-tree',
    });
    w.putService('prod', 'shop/web', { uid: newUid, dnsName: nlb.dnsName });
    const onlyRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30000,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([onlyRule], DUE('SERVICE_NOT_FOUND'));

    const report = await w.sweep();

    assert.notEqual(footprintOf(report, onlyRule)?.outcome, 'deleted', show(report));
    assert.ok(
      await ruleExists(w, onlyRule),
      "the only rule that lets clients reach shop/web's node port was revoked: an outage",
    );
  });

  it("the circuit breaker still trips when a misread cluster's load balancers all turn orphaned, however many node rules they have", async () => {
    const w = world();
    // The cluster answers, but without the Services (a wrong endpoint, a wrong cluster of the same name).
    await w.addCluster('prod');
    const nodes = await w.createSecurityGroup({
      name: 'nodes-breaker',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const uids = [
      'a1aaaaaa-0000-4000-8000-000000000001',
      'b2bbbbbb-0000-4000-8000-000000000002',
      'c3cccccc-0000-4000-8000-000000000003',
    ];
    const names: string[] = [];
    for (const [index, uid] of uids.entries()) {
      const name = inTreeLoadBalancerName(uid);
      names.push(name);
      await w.createNlb({ name, cluster: 'prod', service: `shop/s${index}`, controller: 'in-tree' });
      await w.allowCidr(nodes, '0.0.0.0/0', 30100 + index, `kubernetes.io/rule/nlb/client=${name}`);
      await w.allowCidr(nodes, '10.0.0.0/16', 30200 + index, `kubernetes.io/rule/nlb/health=${name}`);
    }

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    // Without the node rules, 3 of 3 would trip the breaker (sweep-lifecycle.test.ts).
    assert.equal(report.counts.marked, 0, JSON.stringify(report.loadBalancers.map((lb) => lb.outcome)));
    for (const name of names) assert.equal(entry(report, name).outcome, 'held', name);
    assert.match(report.clusters.find((c) => c.name === 'prod')?.heldBack ?? '', /circuit breaker/);
  });

  it('rules revoked for a security group that then cannot be deleted (DependencyViolation: something still uses it) are not left revoked', {
    todo: 'unsafe (low): deleteSecurityGroup (security-group-deletion.ts) revokes the shared rules first and does not restore them when DeleteSecurityGroup answers DependencyViolation',
  }, async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-dv',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-dv',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, frontEnd, SHARED_RULE, 30080);
    // Something the janitor cannot see (an interface of another account in a shared
    // VPC, one being attached right now) still uses the group.
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DeleteSecurityGroup',
      code: 'DependencyViolation',
      message: `resource ${frontEnd} has a dependent object`,
      count: 1,
    });

    const report = await w.sweep();

    assert.ok(await securityGroupExists(w, frontEnd));
    assert.ok(
      await ruleExists(w, shared),
      `the group stays in use but its members lost their access to the nodes: ${show(report)}`,
    );
  });

  it('three security groups claiming one Service are bounded by --max-deletions 1', async () => {
    const w = world();
    await w.addCluster('prod');
    const groups: string[] = [];
    for (const suffix of ['a', 'b', 'c']) {
      groups.push(
        await w.createSecurityGroup({
          name: `k8s-shop-gone-${suffix}`,
          tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
        }),
      );
    }

    const report = await w.sweep({ maxDeletions: 1, maxDeletionsPerCluster: 1 });

    const deleted = report.footprint.filter((item) => item.outcome === 'deleted').length;
    assert.ok(deleted <= 1, `deleted ${deleted} of 3 with --max-deletions 1: ${show(report)}`);
  });

  // ---------------------------------------------------------------------------
  // Attacks that held (safe behaviour confirmed).
  // ---------------------------------------------------------------------------

  it('a front-end security group that a load balancer the janitor spares also uses is not deleted', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-shared',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    // A second Service's NLB got the group through the security-groups annotation.
    const live = await w.createNlb({
      name: 'live-shared',
      cluster: 'prod',
      service: 'shop/live',
      securityGroups: [frontEnd],
    });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });

    const report = await w.sweep();

    // The load balancer the janitor keeps keeps the group: its marks are removed.
    assert.equal(footprintOf(report, frontEnd)?.outcome, 'recovered', show(report));
    assert.ok(await securityGroupExists(w, frontEnd));
  });

  it('a network interface attached between the reads and the deletion keeps the security group and its rules', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-eni',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-eni',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, frontEnd, SHARED_RULE, 30080);
    const { subnetIds } = await w.moto.defaultNetwork(REGION);

    const report = await sweepChangingTheWorld(w, () =>
      w.attachNetworkInterface(subnetIds[0] ?? '', [frontEnd]),
    );

    assert.equal(footprintOf(report, frontEnd)?.outcome, 'deferred', show(report));
    assert.ok(await securityGroupExists(w, frontEnd));
    assert.ok(await ruleExists(w, shared));
  });

  it("a person's rule referencing the group, added between the reads and the deletion, keeps the group and revokes nothing", async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-newrule',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-newrule',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, frontEnd, SHARED_RULE, 30080);
    const bastion = await w.createSecurityGroup({ name: 'bastion-newrule' });

    const report = await sweepChangingTheWorld(w, () =>
      w.allowFrom(bastion, frontEnd, 'reuse the old NLB group for the bastion', 443),
    );

    assert.equal(footprintOf(report, frontEnd)?.outcome, 'needs-manual-action', show(report));
    assert.ok(await securityGroupExists(w, frontEnd));
    assert.ok(await ruleExists(w, shared), 'the controller rule was revoked though the group stays');
  });

  it('a rule with the shared description that references another group is not revoked with this one', async () => {
    const w = world();
    await w.addCluster('prod');
    const frontEnd = await w.createSecurityGroup({
      name: 'k8s-shop-gone-other',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-other',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const other = await w.createSecurityGroup({ name: 'someone-elses' });
    const ofGone = await w.allowFrom(nodes, frontEnd, SHARED_RULE, 30080);
    // A person copied the LBC's description onto a rule of their own.
    const copied = await w.allowFrom(nodes, other, SHARED_RULE, 30081);

    const report = await w.sweep();

    assert.equal(footprintOf(report, frontEnd)?.outcome, 'deleted', show(report));
    assert.equal(await ruleExists(w, ofGone), false);
    assert.ok(await ruleExists(w, copied), 'a rule referencing another group was revoked');
    assert.ok(await securityGroupExists(w, other));
  });

  it("a security group tagged for a cluster but in another VPC is that cluster's no more (spared)", async () => {
    const w = world();
    await w.addCluster('prod');
    const elsewhere = await w.createNetwork('10.9.0.0/16');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-vpc',
      vpcId: elsewhere.vpcId,
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });

    const report = await w.sweep();

    assert.notEqual(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.ok(await securityGroupExists(w, group));
  });

  it('a cluster that cannot be read in the same VPC holds a due security group and a due node rule', async () => {
    const w = world();
    await w.addCluster('prod');
    const dev = await w.addCluster('dev');
    dev.injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-unread',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-unread',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const nodeRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([nodeRule], DUE('SERVICE_NOT_FOUND'));

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.equal(footprintOf(report, group)?.outcome, 'held', show(report));
    assert.equal(footprintOf(report, nodeRule)?.outcome, 'held', show(report));
    assert.ok(await securityGroupExists(w, group));
    assert.ok(await ruleExists(w, nodeRule));
  });

  it('DescribeNetworkInterfaces denied holds the security groups, and only them', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-denied',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const targetGroup = await dueTargetGroup(w, 'prod', 'shop/other-gone');
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DescribeNetworkInterfaces',
      status: 403,
      code: 'UnauthorizedOperation',
      count: 100,
    });

    const report = await w.sweep();
    await w.moto.clearFaults();

    assert.equal(footprintOf(report, group)?.outcome, 'held', show(report));
    assert.ok(await securityGroupExists(w, group));
    assert.equal(footprintOf(report, targetGroup)?.outcome, 'deleted', show(report));
  });

  it('DescribeSecurityGroupRules throttled changes no node rule and no referenced security group; target groups go on', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-throttled',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-throttled',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, group, SHARED_RULE, 30080);
    const nodeRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30090,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([nodeRule], DUE('SERVICE_NOT_FOUND'));
    const targetGroup = await dueTargetGroup(w, 'prod', 'shop/other-gone');
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DescribeSecurityGroupRules',
      status: 400,
      code: 'RequestLimitExceeded',
      count: 100,
    });

    const report = await w.sweep({ clusters: ['prod'] });
    await w.moto.clearFaults();

    assert.ok(await securityGroupExists(w, group), show(report));
    assert.ok(await ruleExists(w, shared));
    assert.ok(await ruleExists(w, nodeRule));
    assert.ok(
      report.errors.some((line) => /in-tree node rules could not be read/.test(line)),
      report.errors.join('\n'),
    );
    assert.equal(footprintOf(report, targetGroup)?.outcome, 'deleted', show(report));
  });

  it('DescribeSecurityGroups throttled changes no security group and no node rule', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-sg-throttled',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-sg-throttled',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const nodeRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30090,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([nodeRule], DUE('SERVICE_NOT_FOUND'));
    // Every DescribeSecurityGroups fails: both EC2 kinds are unread.
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DescribeSecurityGroups',
      status: 400,
      code: 'RequestLimitExceeded',
      count: 100,
    });

    const report = await w.sweep({ clusters: ['prod'] });
    await w.moto.clearFaults();

    assert.ok(await securityGroupExists(w, group), show(report));
    assert.ok(await ruleExists(w, nodeRule));
    assert.equal(report.footprint.filter((item) => item.outcome === 'deleted').length, 0, show(report));
  });

  it('an in-tree node rule on a security group tagged for two clusters is nobody’s to revoke', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const nodes = await w.createSecurityGroup({
      name: 'nodes-two-clusters',
      tags: { 'kubernetes.io/cluster/prod': 'owned', 'kubernetes.io/cluster/dev': 'shared' },
    });
    const nodeRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([nodeRule], DUE('SERVICE_NOT_FOUND'));
    // The control: the same rule on a group of prod alone is judged.
    const prodNodes = await w.createSecurityGroup({
      name: 'nodes-prod-only',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const control = await w.allowCidr(
      prodNodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.equal(footprintOf(report, control)?.outcome, 'marked', show(report));
    assert.equal(footprintOf(report, nodeRule), undefined, show(report));
    assert.ok(await ruleExists(w, nodeRule));
  });

  it('an egress rule with an in-tree description is not a node rule', async () => {
    const w = world();
    await w.addCluster('prod');
    const nodes = await w.createSecurityGroup({
      name: 'nodes-egress',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const output = await w.ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: nodes,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [
              {
                CidrIp: '10.0.0.0/8',
                Description: `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
              },
            ],
          },
        ],
      }),
    );
    const egress = output.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
    assert.ok(egress);
    await w.addEc2Tags([egress], DUE('SERVICE_NOT_FOUND'));
    // The control: an ingress rule of the same description on the same group is judged.
    const control = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(footprintOf(report, control)?.outcome, 'marked', show(report));
    assert.equal(footprintOf(report, egress), undefined, show(report));
    assert.ok(await ruleExists(w, egress));
  });

  it('a target group attached to an ALB is never judged, whatever its tags say', async () => {
    const w = world();
    await w.addCluster('prod');
    const { subnetIds } = await w.moto.defaultNetwork(REGION);
    const group = await createTargetGroup(
      w,
      {
        'elbv2.k8s.aws/cluster': 'prod',
        'service.k8s.aws/stack': 'shop/gone',
        'service.k8s.aws/resource': 'shop/gone:30000',
        ...DUE(),
      },
      { protocol: 'HTTP' },
    );
    const alb = await w.elbv2.send(
      new CreateLoadBalancerCommand({ Name: 'alb', Type: 'application', Subnets: subnetIds.slice(0, 2) }),
    );
    const albArn = alb.LoadBalancers?.[0]?.LoadBalancerArn;
    assert.ok(albArn);
    await w.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: albArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: group }],
      }),
    );

    const report = await w.sweep();

    assert.equal(footprintOf(report, group), undefined, show(report));
    assert.ok((await targetGroupArns(w)).includes(group));
  });

  it('a target group attached to a load balancer between the reads and the deletion is kept', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await dueTargetGroup(w, 'prod', 'shop/gone');
    // An unowned NLB a person then points at the old target group.
    const other = await w.createNlb({ name: 'someones' });

    const report = await sweepChangingTheWorld(w, () =>
      w.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: other.arn,
          Protocol: 'TCP',
          Port: 8443,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: group }],
        }),
      ),
    );

    assert.notEqual(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.ok((await targetGroupArns(w)).includes(group));
  });

  it('a Gateway-owned target group is held when the Gateway list is forbidden', async () => {
    const w = world();
    const prod = await w.addCluster('prod');
    prod.injectFault({
      type: 'status',
      code: 403,
      target: { path: GATEWAYS },
      times: Number.POSITIVE_INFINITY,
    });
    const group = await createTargetGroup(w, {
      'elbv2.k8s.aws/cluster': 'prod',
      'gateway.k8s.aws.nlb/stack': 'infra/public',
      'gateway.k8s.aws.nlb/resource': 'infra/public:tcp-route:30000',
      ...DUE('GATEWAY_NOT_FOUND'),
    });

    const report = await w.sweep();

    assert.equal(footprintOf(report, group)?.outcome, 'held', show(report));
    assert.ok((await targetGroupArns(w)).includes(group));
  });

  it('forged marks (announced in the past) on the security group of a live Service delete nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    w.putService('prod', 'shop/web');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-web-forged',
      tags: { ...frontEndTags('prod', 'shop/web'), ...DUE() },
    });

    const report = await w.sweep();

    assert.notEqual(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.ok(await securityGroupExists(w, group));
  });

  it('a forged deleted-with on a target group of a live Service deletes nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    const live = await w.createNlb({ name: 'live-tg', cluster: 'prod', service: 'shop/live' });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });
    w.putService('prod', 'shop/web', { type: 'ClusterIP' });
    const group = await createTargetGroup(w, {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/web',
      'service.k8s.aws/resource': 'shop/web:30000',
      'nlb-janitor/deleted-with': GHOST_NLB,
    });

    const report = await w.sweep();

    assert.notEqual(footprintOf(report, group)?.outcome, 'deleted', show(report));
    assert.ok((await targetGroupArns(w)).includes(group));
  });

  it('a dry run with due and forged footprint changes nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    const live = await w.createNlb({ name: 'live-dry', cluster: 'prod', service: 'shop/live' });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-dry',
      tags: { ...frontEndTags('prod', 'shop/gone'), 'nlb-janitor/deleted-with': GHOST_NLB },
    });
    const nodes = await w.createSecurityGroup({
      name: 'nodes-dry',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const shared = await w.allowFrom(nodes, group, SHARED_RULE, 30080);
    const nodeRule = await w.allowCidr(
      nodes,
      '0.0.0.0/0',
      30090,
      `kubernetes.io/rule/nlb/client=${inTreeLoadBalancerName(GONE_UID)}`,
    );
    await w.addEc2Tags([nodeRule], DUE('SERVICE_NOT_FOUND'));
    const targetGroup = await dueTargetGroup(w, 'prod', 'shop/other-gone');

    await w.sweep({ dryRun: true });

    assert.ok(await securityGroupExists(w, group));
    assert.ok(await ruleExists(w, shared));
    assert.ok(await ruleExists(w, nodeRule));
    assert.ok((await targetGroupArns(w)).includes(targetGroup));
  });
});
