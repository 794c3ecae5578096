import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeWithWorld, REGION } from '../support/test-world';

// Every sweep reads every cluster EKS lists (eks:ListClusters), as well as those the
// tags name: organization mode cannot name every account's clusters, and a cluster
// nobody configured can still claim a load balancer (issue 20).

const ROLE_ARN = `arn:aws:iam::123456789012:role/nlb-janitor-${REGION}`;

describeWithWorld('cluster discovery', (world) => {
  it('reads every cluster ListClusters names, page by page, including one no tag names', async () => {
    const w = world();
    for (const name of ['alpha', 'beta', 'gamma']) await w.addCluster(name);
    // Only alpha is named by a tag; gamma's Service names the load balancer tagged for alpha.
    const moved = await w.createNlb({ name: 'moved', cluster: 'alpha', service: 'shop/old', listeners: 0 });
    w.putService('gamma', 'shop/new', { dnsName: moved.dnsName });
    await w.moto.resetCalls();

    const report = await w.sweep({}, { tuning: { listClustersPageSize: 1 } });

    assert.deepEqual(
      report.clusters.map((cluster) => [cluster.name, cluster.status]),
      [
        ['alpha', 'VERIFIED'],
        ['beta', 'VERIFIED'],
        ['gamma', 'VERIFIED'],
      ],
    );
    // One page a cluster: the paginator followed nextToken to the end.
    assert.equal((await w.moto.calls())['eks:ListClusters'], 3);
    // gamma's Service claims it: spared, not an orphan, although alpha has no such Service.
    const entry = report.loadBalancers.find((candidate) => candidate.name === 'moved');
    assert.equal(entry?.outcome, 'spared');
    assert.match(entry?.detail ?? '', /Service shop\/new of cluster gamma names it/);
    assert.equal((await w.tagsOf(moved.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('holds the load balancers near a discovered cluster that refuses the janitor, and says how to grant access', async () => {
    const w = world();
    const network = await w.createNetwork();
    // No credentials the fake accepts: what a cluster without an access entry answers (401).
    await w.addCluster('locked', { network, credentials: {} });
    await w.addCluster('open');
    const neighbour = await w.createNlb({
      name: 'neighbour',
      cluster: 'old-cluster',
      service: 'shop/gone',
      listeners: 0,
      network,
    });
    const orphan = await w.createNlb({ name: 'orphan', cluster: 'open', service: 'shop/gone', listeners: 0 });

    const report = await w.sweep({ deleteWhenClusterMissing: true }, { roleArn: ROLE_ARN });

    const locked = report.clusters.find((cluster) => cluster.name === 'locked');
    assert.equal(locked?.status, 'UNVERIFIED');
    assert.match(locked?.error ?? '', /HTTP 401/);
    assert.match(
      locked?.error ?? '',
      new RegExp(
        `aws eks create-access-entry --cluster-name locked --principal-arn ${ROLE_ARN}.*AmazonEKSViewPolicy`,
      ),
    );
    // A Service of the locked cluster could use a load balancer in its VPC: held, untouched.
    assert.equal(report.loadBalancers.find((entry) => entry.name === 'neighbour')?.outcome, 'held');
    assert.equal((await w.tagsOf(neighbour.arn))['nlb-janitor/suspect-since'], undefined);
    // Elsewhere the sweep goes on.
    assert.equal(report.loadBalancers.find((entry) => entry.name === 'orphan')?.outcome, 'marked');
    assert.ok((await w.tagsOf(orphan.arn))['nlb-janitor/suspect-since']);
  });

  it('stops before any change when ListClusters fails', async () => {
    const w = world();
    await w.addCluster('prod');
    const orphan = await w.createNlb({ name: 'orphan', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    await w.moto.injectFault({
      service: 'eks',
      action: 'ListClusters',
      status: 403,
      code: 'AccessDeniedException',
      message: 'not authorized to perform: eks:ListClusters',
    });
    await w.moto.resetCalls();

    await assert.rejects(w.sweep({}), {
      name: 'ClusterDiscoveryError',
      message: /eks:ListClusters failed.*nothing was changed: AccessDeniedException/,
    });

    const calls = await w.moto.calls();
    assert.equal(calls['elasticloadbalancing:AddTags'], undefined);
    assert.equal(calls['elasticloadbalancing:DeleteLoadBalancer'], undefined);
    assert.deepEqual(await w.tagsOf(orphan.arn), {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/gone',
    });
    assert.equal(w.delivered.length, 0, 'no report promised anything');
  });
});
