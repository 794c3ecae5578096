import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
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
