import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, ModifySecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import {
  DUE,
  footprintOf,
  frontEndTags,
  ruleExists,
  ruleTags,
  securityGroupExists,
  securityGroupTags,
  show,
  sweepChangingTheWorld,
} from '../support/footprint';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, REGION, type TestWorld } from '../support/test-world';

// Second safety review (attack) of the footprint, on the fixes of the first
// (attack-footprint.test.ts): owners re-read before tagging and deleting,
// deleted-with on target groups only, node rules kept for ports a standing load
// balancer uses, security groups and node rules going with their load balancer,
// breaker and limits counting units. The first three were unsafe paths found on
// footprint dd90b40 (units keyed without their cluster; the ports in use and a
// node rule's ports read only at the start), fixed since; the others held.

const GONE_UID = '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const GONE_NAME = inTreeLoadBalancerName(GONE_UID);
const SUSPECT = 'nlb-janitor/suspect-since';
const ANNOUNCED = 'nlb-janitor/announced-at';

/** Marked and announced a day ago: not due for six more days. */
const MARKED = (reason = 'SERVICE_NOT_FOUND') => suspectTags(daysAgo(1), reason);

async function nodeGroup(w: TestWorld, name: string, cluster = 'prod', vpcId?: string): Promise<string> {
  return w.createSecurityGroup({ name, vpcId, tags: { [`kubernetes.io/cluster/${cluster}`]: 'owned' } });
}

/** An in-tree client rule of `nodes`, named for the load balancer `name`, with any protocol and range. */
async function nodeRule(
  w: TestWorld,
  nodes: string,
  permission: { protocol: string; from?: number; to?: number },
  name = GONE_NAME,
): Promise<string> {
  const output = await w.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: nodes,
      IpPermissions: [
        {
          IpProtocol: permission.protocol,
          FromPort: permission.from,
          ToPort: permission.to,
          IpRanges: [{ CidrIp: '0.0.0.0/0', Description: `kubernetes.io/rule/nlb/client=${name}` }],
        },
      ],
    }),
  );
  const id = output.SecurityGroupRules?.[0]?.SecurityGroupRuleId;
  assert.ok(id);
  return id;
}

describeWithWorld('attack: the footprint, second review', (world) => {
  // ---------------------------------------------------------------------------
  // Unsafe paths found on dd90b40.
  // ---------------------------------------------------------------------------

  it("footprint of another cluster that names a misread cluster's load balancers does not carry them out of that cluster's circuit breaker", async () => {
    const w = world();
    // prod answers without its Services (a wrong endpoint, a re-created cluster): every NLB of prod looks orphaned.
    await w.addCluster('prod');
    await w.addCluster('dev');
    for (const index of [0, 1, 2]) {
      const live = await w.createNlb({
        name: `dev-live-${index}`,
        cluster: 'dev',
        service: `shop/d${index}`,
      });
      w.putService('dev', `shop/d${index}`, { dnsName: live.dnsName });
    }
    // A node group of dev (same VPC) holding in-tree rules that name prod's load balancers:
    // copied rules, or a group moved from one cluster to the other.
    const devNodes = await nodeGroup(w, 'nodes-dev-bypass', 'dev');
    const uids = [
      'b0000001-0000-4000-8000-000000000000',
      'b0000002-0000-4000-8000-000000000000',
      'b0000003-0000-4000-8000-000000000000',
    ];
    const names: string[] = [];
    for (const [index, uid] of uids.entries()) {
      const name = inTreeLoadBalancerName(uid);
      names.push(name);
      await w.createNlb({ name, cluster: 'prod', service: `shop/s${index}`, controller: 'in-tree' });
      await nodeRule(w, devNodes, { protocol: 'tcp', from: 30100 + index, to: 30100 + index }, name);
    }

    const report = await w.sweep({ maxOrphanRatio: 0.5, clusters: ['prod', 'dev'] });

    // Without dev's rules, 3 of 3 trip prod's breaker (attack-footprint.test.ts).
    for (const name of names) assert.equal(entry(report, name).outcome, 'held', name);
    assert.match(report.clusters.find((c) => c.name === 'prod')?.heldBack ?? '', /circuit breaker/);
  });

  it('an in-tree node rule whose port a Service re-created during the sweep starts to use is not revoked', async () => {
    const w = world();
    await w.addCluster('prod');
    const nodes = await nodeGroup(w, 'nodes-race');
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30000, `kubernetes.io/rule/nlb/client=${GONE_NAME}`);
    await w.addEc2Tags([rule], DUE());
    const newUid = '22222222-3333-4444-8555-666666666666';

    // shop/web is re-created (new UID, nodePort 30000 in its manifest) while the sweep runs.
    const report = await sweepChangingTheWorld(
      w,
      async () => {
        const nlb = await w.createNlb({
          name: inTreeLoadBalancerName(newUid),
          cluster: 'prod',
          service: 'shop/web',
          controller: 'in-tree',
        });
        w.putService('prod', 'shop/web', { uid: newUid, dnsName: nlb.dnsName });
      },
      { clusters: ['prod'] },
    );

    assert.notEqual(footprintOf(report, rule)?.outcome, 'deleted', show(report));
    assert.ok(await ruleExists(w, rule), "the rule the new load balancer's node port relies on was revoked");
  });

  it('an in-tree node rule modified (same ID and description) to open a port a live load balancer uses, between the reads and the revocation, is not revoked', async () => {
    const w = world();
    await w.addCluster('prod');
    // A live Service's load balancer, its target group on node port 30000.
    const live = await w.createNlb({ name: 'live-mod', cluster: 'prod', service: 'shop/live' });
    w.putService('prod', 'shop/live', { dnsName: live.dnsName });
    const nodes = await nodeGroup(w, 'nodes-modified');
    const description = `kubernetes.io/rule/nlb/client=${GONE_NAME}`;
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30500, description);
    await w.addEc2Tags([rule], DUE());

    // A person repurposes the rule for the live Service's node port, keeping its description.
    const report = await sweepChangingTheWorld(
      w,
      () =>
        w.ec2.send(
          new ModifySecurityGroupRulesCommand({
            GroupId: nodes,
            SecurityGroupRules: [
              {
                SecurityGroupRuleId: rule,
                SecurityGroupRule: {
                  IpProtocol: 'tcp',
                  FromPort: 30000,
                  ToPort: 30000,
                  CidrIpv4: '0.0.0.0/0',
                  Description: description,
                },
              },
            ],
          }),
        ),
      { clusters: ['prod'] },
    );

    assert.notEqual(footprintOf(report, rule)?.outcome, 'deleted', show(report));
    assert.ok(
      await ruleExists(w, rule),
      "the only rule opening the live load balancer's node port was revoked",
    );
  });

  // ---------------------------------------------------------------------------
  // Attacks that held (safe behaviour confirmed).
  // ---------------------------------------------------------------------------

  for (const [label, permission] of [
    ['every protocol (-1)', { protocol: '-1' }],
    ['TCP 0-65535', { protocol: 'tcp', from: 0, to: 65535 }],
    ['UDP over the port (protocol is not compared: kept)', { protocol: 'udp', from: 29000, to: 31000 }],
  ] as const) {
    it(`a due in-tree node rule opening ${label} is kept while a live load balancer's target group uses a port in it`, async () => {
      const w = world();
      await w.addCluster('prod');
      const live = await w.createNlb({ name: 'live-range', cluster: 'prod', service: 'shop/live' });
      w.putService('prod', 'shop/live', { dnsName: live.dnsName });
      const nodes = await nodeGroup(w, 'nodes-range');
      const rule = await nodeRule(w, nodes, permission);
      await w.addEc2Tags([rule], DUE());

      const report = await w.sweep({ clusters: ['prod'] });

      assert.notEqual(footprintOf(report, rule)?.outcome, 'deleted', show(report));
      assert.ok(await ruleExists(w, rule));
    });
  }

  it("a due in-tree health rule on a standing target group's health check port (not its traffic port) is kept", async () => {
    const w = world();
    await w.addCluster('prod');
    const { vpcId } = await w.moto.defaultNetwork(REGION);
    const other = await w.createNlb({ name: 'someones-hc' });
    const group = await w.elbv2.send(
      new CreateTargetGroupCommand({
        Name: 'tg-health-port',
        Protocol: 'TCP',
        Port: 30000,
        VpcId: vpcId,
        TargetType: 'instance',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: '31999',
        HealthCheckPath: '/healthz',
      }),
    );
    await w.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: other.arn,
        Protocol: 'TCP',
        Port: 9000,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );
    const nodes = await nodeGroup(w, 'nodes-health');
    const rule = await w.allowCidr(nodes, '10.0.0.0/8', 31999, `kubernetes.io/rule/nlb/health=${GONE_NAME}`);
    await w.addEc2Tags([rule], DUE());

    const report = await w.sweep({ clusters: ['prod'] });

    assert.notEqual(footprintOf(report, rule)?.outcome, 'deleted', show(report));
    assert.ok(await ruleExists(w, rule));
  });

  it('a target group in another VPC on the same port does not keep a node rule (it cannot reach these nodes); the rule alone goes', async () => {
    const w = world();
    await w.addCluster('prod');
    const elsewhere = await w.createNetwork('10.9.0.0/16');
    const far = await w.createNlb({ name: 'far-away', network: elsewhere });
    const nodes = await nodeGroup(w, 'nodes-far');
    // The far load balancer's target group is on node port 30000 in its own VPC.
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30000, `kubernetes.io/rule/nlb/client=${GONE_NAME}`);
    await w.addEc2Tags([rule], DUE());

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(footprintOf(report, rule)?.outcome, 'deleted', show(report));
    assert.ok((await w.loadBalancerArns()).includes(far.arn));
  });

  it('a due in-tree node rule whose named load balancer exists as an ALB is kept', async () => {
    const w = world();
    await w.addCluster('prod');
    const { subnetIds } = await w.moto.defaultNetwork(REGION);
    await w.elbv2.send(
      new CreateLoadBalancerCommand({ Name: GONE_NAME, Type: 'application', Subnets: subnetIds.slice(0, 2) }),
    );
    const nodes = await nodeGroup(w, 'nodes-alb');
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30300, `kubernetes.io/rule/nlb/client=${GONE_NAME}`);
    await w.addEc2Tags([rule], DUE());

    const report = await w.sweep({ clusters: ['prod'] });

    assert.notEqual(footprintOf(report, rule)?.outcome, 'deleted', show(report));
    assert.ok(await ruleExists(w, rule));
  });

  it("a due in-tree node rule whose named load balancer is another cluster's live NLB is kept", async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const devLb = await w.createNlb({ name: GONE_NAME, cluster: 'dev', service: 'shop/x' });
    w.putService('dev', 'shop/x', { dnsName: devLb.dnsName });
    const nodes = await nodeGroup(w, 'nodes-other-cluster');
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30300, `kubernetes.io/rule/nlb/client=${GONE_NAME}`);
    await w.addEc2Tags([rule], DUE());

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.notEqual(footprintOf(report, rule)?.outcome, 'deleted', show(report));
    assert.ok(await ruleExists(w, rule));
  });

  it('a due security group used by two NLBs, one promised for its owner and one held (its cluster unreadable), is held', async () => {
    const w = world();
    await w.addCluster('prod');
    // dev lives in another VPC, so its failed read holds only what names it.
    const elsewhere = await w.createNetwork('10.9.0.0/16');
    const dev = await w.addCluster('dev', { network: elsewhere });
    dev.injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-two',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    await w.createNlb({
      name: 'prod-gone',
      cluster: 'prod',
      service: 'shop/gone',
      tags: DUE(),
      securityGroups: [group],
    });
    await w.createNlb({ name: 'dev-held', cluster: 'dev', service: 'shop/other', securityGroups: [group] });

    const report = await w.sweep({ clusters: ['prod', 'dev'] });

    assert.equal(footprintOf(report, group)?.outcome, 'held', show(report));
    assert.ok(await securityGroupExists(w, group));
  });

  it('a security group of a gone Service used by a promised NLB of another Service is neither marked nor deleted', async () => {
    const w = world();
    await w.addCluster('prod');
    const fresh = await w.createSecurityGroup({
      name: 'k8s-shop-gone-borrowed',
      tags: frontEndTags('prod', 'shop/gone'),
    });
    const due = await w.createSecurityGroup({
      name: 'k8s-shop-gone-borrowed-due',
      tags: { ...frontEndTags('prod', 'shop/gone2'), ...DUE() },
    });
    await w.createNlb({
      name: 'other-gone',
      cluster: 'prod',
      service: 'shop/other',
      tags: DUE(),
      securityGroups: [fresh, due],
    });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.notEqual(footprintOf(report, fresh)?.outcome, 'marked', show(report));
    assert.equal((await securityGroupTags(w, fresh))[SUSPECT], undefined);
    assert.notEqual(footprintOf(report, due)?.outcome, 'deleted', show(report));
    assert.ok(await securityGroupExists(w, due));
  });

  it('a marked security group and node rule keep their marks, and are held, when their cluster cannot be read', async () => {
    const w = world();
    const prod = await w.addCluster('prod');
    prod.injectFault({ type: 'status', code: 500, times: Number.POSITIVE_INFINITY });
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-partial',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...MARKED() },
    });
    const nodes = await nodeGroup(w, 'nodes-partial');
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30300, `kubernetes.io/rule/nlb/client=${GONE_NAME}`);
    await w.addEc2Tags([rule], MARKED());

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(footprintOf(report, group)?.outcome, 'held', show(report));
    assert.equal(footprintOf(report, rule)?.outcome, 'held', show(report));
    assert.ok((await securityGroupTags(w, group))[SUSPECT]);
    assert.ok((await ruleTags(w, rule))[SUSPECT]);
  });

  it('an ignore tag added to a security group between the reads and the tagging: neither marks nor announced-at are written', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-announce',
      tags: frontEndTags('prod', 'shop/gone'),
    });

    const report = await sweepChangingTheWorld(w, () =>
      w.addEc2Tags([group], { 'nlb-janitor/ignore': 'true' }),
    );

    assert.notEqual(footprintOf(report, group)?.outcome, 'marked', show(report));
    const tags = await securityGroupTags(w, group);
    assert.equal(tags[SUSPECT], undefined, JSON.stringify(tags));
    assert.equal(tags[ANNOUNCED], undefined, JSON.stringify(tags));
  });

  it('a dry run over newly orphaned footprint writes no mark and no announcement, and says it would mark', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-dry2',
      tags: frontEndTags('prod', 'shop/gone'),
    });
    const nodes = await nodeGroup(w, 'nodes-dry2');
    const rule = await w.allowCidr(nodes, '0.0.0.0/0', 30300, `kubernetes.io/rule/nlb/client=${GONE_NAME}`);

    const report = await w.sweep({ dryRun: true, clusters: ['prod'] });

    for (const id of [group, rule]) {
      const item = footprintOf(report, id);
      assert.equal(item?.outcome, 'marked', show(report));
      assert.equal(item?.dryRun, true);
    }
    assert.deepEqual(
      Object.keys(await securityGroupTags(w, group)).filter((key) => key.startsWith('nlb-janitor/')),
      [],
    );
    assert.deepEqual(
      Object.keys(await ruleTags(w, rule)).filter((key) => key.startsWith('nlb-janitor/')),
      [],
    );
  });
});
