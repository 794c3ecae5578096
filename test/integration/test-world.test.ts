import assert from 'node:assert/strict';
import { it } from 'node:test';
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
});
