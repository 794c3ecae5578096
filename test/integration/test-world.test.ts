import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type Filter,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { readCluster } from '../../lambda/kubernetes/cluster-reader';
import { describeWithWorld, REGION, TEST_CREDENTIALS } from '../support/test-world';

// The foundation: the janitor's read path crosses the wire to moto and to a fake
// cluster exactly as in AWS — DescribeCluster, the CA it returns, an EKS token, a list.

const READER = {
  region: REGION,
  credentials: async () => TEST_CREDENTIALS,
  clock: () => new Date(),
  sleep: async () => {},
  requestTimeoutMs: 2_000,
  pageSize: 500,
  maxAttemptsPerPage: 2,
  maxRetryAfterSeconds: 5,
  baseBackoffMs: 1,
};

/** The error an AWS call failed with, as the SDK gives it; fails the test if the call succeeded. */
async function awsError(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name, status: $metadata?.httpStatusCode, message };
  }
  throw new Error('the call succeeded');
}

/** Every page of DescribeSecurityGroupRules, as the SDK's paginator walks them: the ids on each. */
async function ruleIdPages(ec2: EC2Client, pageSize: number, filters?: Filter[]): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of paginateDescribeSecurityGroupRules(
    { client: ec2, pageSize },
    { Filters: filters },
  )) {
    pages.push((page.SecurityGroupRules ?? []).map((rule) => rule.SecurityGroupRuleId ?? ''));
  }
  return pages;
}

async function groupIdPages(ec2: EC2Client, pageSize: number, filters?: Filter[]): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of paginateDescribeSecurityGroups({ client: ec2, pageSize }, { Filters: filters })) {
    pages.push((page.SecurityGroups ?? []).map((group) => group.GroupId ?? ''));
  }
  return pages;
}

async function groupIds(ec2: EC2Client, filters: Filter[]): Promise<string[]> {
  const output = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters }));
  return (output.SecurityGroups ?? []).map((group) => group.GroupId ?? '').sort();
}

describeWithWorld('test world', (world) => {
  it('creates an NLB in moto and lists Services of a fake cluster over verified TLS with an accepted token', async () => {
    const nlb = await world().createNlb({ name: 'k8s-shop-web', cluster: 'prod', service: 'shop/web' });
    const cluster = await world().addCluster('prod');
    world().putService('prod', 'shop/web', { dnsName: nlb.dnsName });

    const result = await readCluster(world().eks, 'prod', READER);

    assert.equal(result.read.kind, 'complete');
    if (result.read.kind !== 'complete') return;
    assert.deepEqual(result.read.services.get('shop/web')?.ingressHostnames, [nlb.dnsName]);
    assert.deepEqual(
      cluster.requests.map((request) => [request.path, request.status, request.authorized]),
      [['/api/v1/services', 200, true]],
    );
    assert.equal(
      cluster.requests[0]?.principal,
      `arn:aws:iam::111122223333:user/${TEST_CREDENTIALS.accessKeyId}`,
    );
    assert.equal((await world().moto.calls())['eks:DescribeCluster'], 1);
    assert.deepEqual(await world().loadBalancerArns(), [nlb.arn]);
  });

  it('a cluster whose API server trusts other keys answers 401, and the read is unverified', async () => {
    await world().addCluster('prod', { credentials: { AKIAOTHERKEY00000000: { secretAccessKey: 'x' } } });
    const result = await readCluster(world().eks, 'prod', READER);
    assert.equal(result.read.kind, 'unverified');
    assert.match(result.read.kind === 'unverified' ? result.read.error : '', /HTTP 401 Unauthorized/);
  });

  it('EKS saying the cluster does not exist is cluster-not-found', async () => {
    const result = await readCluster(world().eks, 'gone', READER);
    assert.deepEqual(result.read, { kind: 'cluster-not-found' });
  });

  it('a fresh cluster lists the Service default/kubernetes, ClusterIP with no load balancer, until a test removes it', async () => {
    const cluster = await world().addCluster('prod');

    const first = await readCluster(world().eks, 'prod', READER);
    assert.equal(first.read.kind, 'complete');
    if (first.read.kind !== 'complete') return;
    assert.deepEqual([...first.read.services.keys()], ['default/kubernetes']);
    assert.deepEqual(first.read.services.get('default/kubernetes')?.ingressHostnames, []);

    // Without it, the list is not a real cluster's: the janitor trusts nothing of it.
    cluster.deleteService('default', 'kubernetes');
    const second = await readCluster(world().eks, 'prod', READER);
    assert.equal(second.read.kind, 'unverified');
    assert.match(second.read.kind === 'unverified' ? second.read.error : '', /no default\/kubernetes/);
  });

  it("DescribeCluster answers the VPC of the cluster's subnets and a real createdAt", async () => {
    const before = new Date();
    const defaultNetwork = await world().moto.defaultNetwork(REGION);
    await world().addCluster('prod');
    const info = await world().clusterInfo('prod');
    assert.equal(info.vpcId, defaultNetwork.vpcId);
    assert.ok(info.createdAt instanceof Date);
    // moto stamps creation at the request, to the microsecond; the SDK keeps milliseconds.
    assert.ok(Math.abs(info.createdAt.getTime() - before.getTime()) < 60_000, info.createdAt.toISOString());

    const network = await world().createNetwork('10.1.0.0/16');
    assert.notEqual(network.vpcId, defaultNetwork.vpcId);
    assert.equal(network.subnetIds.length, 2);
    const createdAt = new Date('2024-03-01T12:34:56.789Z');
    await world().addCluster('staging', { network, createdAt });
    const { cluster } = await world().eks.send(new DescribeClusterCommand({ name: 'staging' }));
    assert.equal(cluster?.resourcesVpcConfig?.vpcId, network.vpcId);
    assert.deepEqual(cluster?.resourcesVpcConfig?.subnetIds, network.subnetIds);
    assert.equal(cluster?.createdAt?.toISOString(), createdAt.toISOString());
    assert.deepEqual(await world().clusterInfo('staging'), { vpcId: network.vpcId, createdAt });
  });

  it('an NLB created in a second network reports its VpcId, subnets and an overridden CreatedTime', async () => {
    const defaultNetwork = await world().moto.defaultNetwork(REGION);
    const network = await world().createNetwork();
    const createdAt = new Date('2023-11-05T08:00:00.250Z');
    const inDefault = await world().createNlb({ name: 'k8s-default', cluster: 'prod', service: 'shop/web' });
    const inSecond = await world().createNlb({
      name: 'k8s-second',
      cluster: 'prod',
      service: 'shop/api',
      network,
      createdAt,
    });

    const output = await world().elbv2.send(new DescribeLoadBalancersCommand({}));
    const byArn = new Map((output.LoadBalancers ?? []).map((lb) => [lb.LoadBalancerArn, lb]));
    const second = byArn.get(inSecond.arn);
    assert.equal(second?.VpcId, network.vpcId);
    assert.deepEqual(
      (second?.AvailabilityZones ?? []).map((zone) => zone.SubnetId).sort(),
      [...network.subnetIds].sort(),
    );
    assert.equal(new Set((second?.AvailabilityZones ?? []).map((zone) => zone.ZoneName)).size, 2);
    assert.equal(second?.CreatedTime?.toISOString(), createdAt.toISOString());
    const first = byArn.get(inDefault.arn);
    assert.equal(first?.VpcId, defaultNetwork.vpcId);
    assert.ok(first?.CreatedTime instanceof Date);
    assert.ok(Math.abs((first?.CreatedTime?.getTime() ?? 0) - Date.now()) < 60_000);

    const later = new Date('2025-01-02T03:04:05.000Z');
    await world().setCreatedTime(inDefault.arn, later);
    const again = await world().elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [inDefault.arn] }),
    );
    assert.equal(again.LoadBalancers?.[0]?.CreatedTime?.toISOString(), later.toISOString());
  });

  it('a cluster can be created after its NLBs, each in its own VPC', async () => {
    const network = await world().createNetwork('10.2.0.0/16');
    const nlb = await world().createNlb({
      name: 'k8s-old',
      cluster: 'prod',
      service: 'shop/web',
      network,
      createdAt: new Date('2024-01-01T00:00:00Z'),
    });
    await world().addCluster('prod', { network, createdAt: new Date('2024-06-01T00:00:00Z') });
    const info = await world().clusterInfo('prod');
    const output = await world().elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [nlb.arn] }),
    );
    const lb = output.LoadBalancers?.[0];
    assert.equal(lb?.VpcId, info.vpcId);
    assert.ok((lb?.CreatedTime?.getTime() ?? Infinity) < info.createdAt.getTime());
  });
});

describeWithWorld('test world: EC2 security groups as in AWS', (world) => {
  it('DescribeSecurityGroupRules pages by MaxResults and NextToken in a stable order, filters and all', async () => {
    const groups: string[] = [];
    for (const name of ['g0', 'g1', 'g2', 'g3']) {
      const group = await world().createSecurityGroup({ name });
      await world().allowCidr(group, '10.0.0.0/8', 80, 'http');
      await world().allowCidr(group, '10.0.0.0/8', 443, 'https');
      groups.push(group);
    }
    const all = await world().ec2.send(new DescribeSecurityGroupRulesCommand({}));
    // Each group's two ingress rules and its egress rule, and the default group's egress rule.
    assert.equal(all.SecurityGroupRules?.length, 13);
    assert.equal(all.NextToken, undefined);

    const pages = await ruleIdPages(world().ec2, 5);
    assert.deepEqual(
      pages.map((page) => page.length),
      [5, 5, 3],
    );
    const paged = pages.flat();
    assert.equal(new Set(paged).size, 13);
    assert.deepEqual(
      [...paged].sort(),
      (all.SecurityGroupRules ?? []).map((rule) => rule.SecurityGroupRuleId ?? '').sort(),
    );
    assert.deepEqual(await ruleIdPages(world().ec2, 5), pages, 'the same order twice');

    const first = await world().ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 5 }));
    assert.equal(first.SecurityGroupRules?.length, 5);
    assert.equal(typeof first.NextToken, 'string');

    // A filter narrows before the pages are cut.
    const twoGroups = await ruleIdPages(world().ec2, 5, [
      { Name: 'group-id', Values: [groups[0] ?? '', groups[1] ?? ''] },
    ]);
    assert.deepEqual(
      twoGroups.map((page) => page.length),
      [5, 1],
    );

    for (const MaxResults of [4, 1001]) {
      const error = await awsError(world().ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults })));
      assert.deepEqual([error.name, error.status], ['InvalidParameterValue', 400], error.message);
    }
  });

  it('a rule comes back with its tags, description, referenced group, protocol and ports; its tags can go', async () => {
    const target = await world().createSecurityGroup({ name: 'target' });
    const source = await world().createSecurityGroup({ name: 'source' });
    const fromGroup = await world().allowFrom(target, source, 'from the nodes', 8443);
    const fromCidr = await world().allowCidr(target, '10.0.0.0/16', 443, 'from the VPC');
    await world().addEc2Tags([fromGroup], { 'elbv2.k8s.aws/cluster': 'prod', owner: 'janitor' });

    const tagged = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'tag:owner', Values: ['janitor'] }] }),
    );
    assert.equal(tagged.SecurityGroupRules?.length, 1);
    const rule = tagged.SecurityGroupRules?.[0];
    assert.equal(rule?.SecurityGroupRuleId, fromGroup);
    assert.equal(rule?.GroupId, target);
    assert.equal(rule?.IsEgress, false);
    assert.equal(rule?.IpProtocol, 'tcp');
    assert.equal(rule?.FromPort, 8443);
    assert.equal(rule?.ToPort, 8443);
    assert.equal(rule?.ReferencedGroupInfo?.GroupId, source);
    assert.equal(rule?.CidrIpv4, undefined);
    assert.equal(rule?.Description, 'from the nodes');
    assert.deepEqual((rule?.Tags ?? []).map(({ Key, Value }) => [Key, Value]).sort(), [
      ['elbv2.k8s.aws/cluster', 'prod'],
      ['owner', 'janitor'],
    ]);

    const byKey = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: 'tag-key', Values: ['elbv2.k8s.aws/cluster'] }],
      }),
    );
    assert.deepEqual(
      (byKey.SecurityGroupRules ?? []).map((r) => r.SecurityGroupRuleId),
      [fromGroup],
    );

    const byId = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: [{ Name: 'security-group-rule-id', Values: [fromCidr] }],
      }),
    );
    const cidrRule = byId.SecurityGroupRules?.[0];
    assert.equal(byId.SecurityGroupRules?.length, 1);
    assert.equal(cidrRule?.CidrIpv4, '10.0.0.0/16');
    assert.equal(cidrRule?.Description, 'from the VPC');
    assert.equal(cidrRule?.ReferencedGroupInfo, undefined);
    assert.deepEqual([cidrRule?.FromPort, cidrRule?.ToPort], [443, 443]);

    await world().ec2.send(new DeleteTagsCommand({ Resources: [fromGroup], Tags: [{ Key: 'owner' }] }));
    const untagged = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [fromGroup] }),
    );
    assert.deepEqual(
      (untagged.SecurityGroupRules?.[0]?.Tags ?? []).map(({ Key }) => Key),
      ['elbv2.k8s.aws/cluster'],
    );
    const none = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'tag:owner', Values: ['janitor'] }] }),
    );
    assert.deepEqual(none.SecurityGroupRules, []);
  });

  it('DescribeSecurityGroups pages by MaxResults and NextToken and filters by tag, tag key, group and VPC', async () => {
    const defaultVpc = (await world().moto.defaultNetwork(REGION)).vpcId;
    const network = await world().createNetwork('10.3.0.0/16');
    const a1 = await world().createSecurityGroup({ name: 'a1', tags: { team: 'a' } });
    const a2 = await world().createSecurityGroup({ name: 'a2', tags: { team: 'a' } });
    const b1 = await world().createSecurityGroup({ name: 'b1', tags: { team: 'b' } });
    const u1 = await world().createSecurityGroup({ name: 'u1' });
    const c1 = await world().createSecurityGroup({ name: 'c1', vpcId: network.vpcId, tags: { team: 'a' } });
    const c2 = await world().createSecurityGroup({ name: 'c2', vpcId: network.vpcId, tags: { owner: 'x' } });

    const all = await world().ec2.send(new DescribeSecurityGroupsCommand({}));
    // Ours and each VPC's default group.
    assert.equal(all.SecurityGroups?.length, 8);
    assert.equal(all.NextToken, undefined);
    const pages = await groupIdPages(world().ec2, 5);
    assert.deepEqual(
      pages.map((page) => page.length),
      [5, 3],
    );
    assert.deepEqual(
      pages.flat().sort(),
      (all.SecurityGroups ?? []).map((group) => group.GroupId ?? '').sort(),
    );
    assert.deepEqual(await groupIdPages(world().ec2, 5), pages, 'the same order twice');
    const error = await awsError(world().ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 1001 })));
    assert.deepEqual([error.name, error.status], ['InvalidParameterValue', 400], error.message);

    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'tag:team', Values: ['a'] }]), [a1, a2, c1].sort());
    assert.deepEqual(
      await groupIds(world().ec2, [{ Name: 'tag-key', Values: ['team'] }]),
      [a1, a2, b1, c1].sort(),
    );
    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'group-id', Values: [a1, c2] }]), [a1, c2].sort());
    assert.deepEqual(
      await groupIds(world().ec2, [
        { Name: 'vpc-id', Values: [network.vpcId] },
        { Name: 'tag-key', Values: ['team', 'owner'] },
      ]),
      [c1, c2].sort(),
    );
    assert.equal((await groupIds(world().ec2, [{ Name: 'vpc-id', Values: [defaultVpc] }])).length, 5);
    assert.deepEqual(
      (await groupIdPages(world().ec2, 5, [{ Name: 'tag-key', Values: ['team', 'owner'] }])).map(
        (p) => p.length,
      ),
      [5],
    );

    await world().addEc2Tags([u1], { team: 'a' });
    assert.deepEqual(
      await groupIds(world().ec2, [{ Name: 'tag:team', Values: ['a'] }]),
      [a1, a2, c1, u1].sort(),
    );
    const described = await world().ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [u1] }));
    assert.deepEqual(described.SecurityGroups?.[0]?.Tags, [{ Key: 'team', Value: 'a' }]);
    await world().ec2.send(new DeleteTagsCommand({ Resources: [u1], Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'tag:team', Values: ['a'] }]), [a1, a2, c1].sort());

    // A token resumes after the last group it gave: a group deleted meanwhile shifts nothing.
    const first = await world().ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5 }));
    const deleted = first.SecurityGroups?.find((group) => group.GroupName !== 'default')?.GroupId ?? '';
    await world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: deleted }));
    const second = await world().ec2.send(
      new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    assert.deepEqual(
      (second.SecurityGroups ?? []).map((group) => group.GroupId),
      pages[1],
    );
    assert.equal(second.NextToken, undefined);
  });

  it('DeleteSecurityGroup fails with DependencyViolation while a network interface holds the group', async () => {
    const { subnetIds } = await world().moto.defaultNetwork(REGION);
    const group = await world().createSecurityGroup({ name: 'held' });
    const other = await world().createSecurityGroup({ name: 'other' });
    const eni = await world().attachNetworkInterface(subnetIds[0] ?? '', [other, group]);

    const error = await awsError(world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: group })));
    assert.deepEqual([error.name, error.status], ['DependencyViolation', 400]);
    assert.match(error.message, new RegExp(`resource ${group} has a dependent object`));
    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'group-id', Values: [group] }]), [group]);

    await world().deleteNetworkInterface(eni);
    await world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: group }));
    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'group-id', Values: [group] }]), []);
  });

  it("DeleteSecurityGroup fails with DependencyViolation while another group's rule names it; its own rules do not count", async () => {
    const target = await world().createSecurityGroup({ name: 'target' });
    const source = await world().createSecurityGroup({ name: 'source' });
    const rule = await world().allowFrom(target, source, 'from the load balancer', 30080);
    const selfish = await world().createSecurityGroup({ name: 'selfish' });
    await world().allowFrom(selfish, selfish, 'members talk to each other', 7946);

    const error = await awsError(world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: source })));
    assert.deepEqual([error.name, error.status], ['DependencyViolation', 400]);
    assert.match(error.message, new RegExp(`resource ${source} has a dependent object`));

    await world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: selfish }));
    await world().ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: target, SecurityGroupRuleIds: [rule] }),
    );
    await world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: source }));
    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'group-id', Values: [source, selfish] }]), []);
  });

  it('DeleteSecurityGroup fails with DependencyViolation while a load balancer has the group', async () => {
    const group = await world().createSecurityGroup({ name: 'k8s-traffic-prod' });
    const nlb = await world().createNlb({
      name: 'k8s-shop-web',
      cluster: 'prod',
      service: 'shop/web',
      securityGroups: [group],
    });
    const described = await world().elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [nlb.arn] }),
    );
    assert.deepEqual(described.LoadBalancers?.[0]?.SecurityGroups, [group]);

    const error = await awsError(world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: group })));
    assert.deepEqual([error.name, error.status], ['DependencyViolation', 400]);
    assert.match(error.message, new RegExp(`resource ${group} has a dependent object`));

    await world().elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: nlb.arn }));
    await world().ec2.send(new DeleteSecurityGroupCommand({ GroupId: group }));
    assert.deepEqual(await groupIds(world().ec2, [{ Name: 'group-id', Values: [group] }]), []);
  });

  it('RevokeSecurityGroupIngress removes rules by id; an unknown id is InvalidSecurityGroupRuleId.NotFound', async () => {
    const group = await world().createSecurityGroup({ name: 'web' });
    const http = await world().allowCidr(group, '10.0.0.0/8', 80, 'http');
    const https = await world().allowCidr(group, '10.0.0.0/8', 443, 'https');

    await world().ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: group, SecurityGroupRuleIds: [http] }),
    );
    const left = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
    );
    assert.deepEqual(
      (left.SecurityGroupRules ?? [])
        .filter((rule) => !rule.IsEgress)
        .map((rule) => rule.SecurityGroupRuleId),
      [https],
    );

    const error = await awsError(
      world().ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: group, SecurityGroupRuleIds: [http] }),
      ),
    );
    assert.deepEqual([error.name, error.status], ['InvalidSecurityGroupRuleId.NotFound', 400], error.message);
    assert.match(error.message, new RegExp(http));

    // Egress alike: the rule EC2 made with the group goes by its id, an ingress rule's id is unknown there.
    const egress = left.SecurityGroupRules?.find((rule) => rule.IsEgress)?.SecurityGroupRuleId ?? '';
    const wrongWay = await awsError(
      world().ec2.send(
        new RevokeSecurityGroupEgressCommand({ GroupId: group, SecurityGroupRuleIds: [https] }),
      ),
    );
    assert.deepEqual([wrongWay.name, wrongWay.status], ['InvalidSecurityGroupRuleId.NotFound', 400]);
    await world().ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: group, SecurityGroupRuleIds: [egress] }),
    );
    const rest = await world().ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }),
    );
    assert.deepEqual(
      (rest.SecurityGroupRules ?? []).map((rule) => rule.SecurityGroupRuleId),
      [https],
    );
  });

  it('DescribeNetworkInterfaces filters by several group ids and pages by MaxResults and NextToken', async () => {
    const { subnetIds } = await world().moto.defaultNetwork(REGION);
    const subnet = subnetIds[0] ?? '';
    const [g1, g2, g3] = [
      await world().createSecurityGroup({ name: 'g1' }),
      await world().createSecurityGroup({ name: 'g2' }),
      await world().createSecurityGroup({ name: 'g3' }),
    ];
    const expected: string[] = [];
    for (const groups of [[g1], [g1], [g1], [g2], [g2], [g2], [g1, g2]]) {
      expected.push(await world().attachNetworkInterface(subnet, groups));
    }
    await world().attachNetworkInterface(subnet, [g3]);

    const filters = [{ Name: 'group-id', Values: [g1, g2] }];
    const all = await world().ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }));
    assert.deepEqual(
      (all.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId).sort(),
      [...expected].sort(),
    );
    const pages: string[][] = [];
    for await (const page of paginateDescribeNetworkInterfaces(
      { client: world().ec2, pageSize: 5 },
      { Filters: filters },
    )) {
      pages.push((page.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId ?? ''));
    }
    assert.deepEqual(
      pages.map((page) => page.length),
      [5, 2],
    );
    assert.deepEqual(pages.flat().sort(), [...expected].sort());

    const error = await awsError(world().ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 4 })));
    assert.deepEqual([error.name, error.status], ['InvalidParameterValue', 400], error.message);
    // As EC2 documents it: ids and MaxResults do not go together.
    const both = await awsError(
      world().ec2.send(
        new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: expected, MaxResults: 5 }),
      ),
    );
    assert.deepEqual([both.name, both.status], ['InvalidParameterCombination', 400], both.message);
  });
});
