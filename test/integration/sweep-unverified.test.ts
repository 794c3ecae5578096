import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Fault } from '../support/fake-eks/faults';
import { daysAgo, suspectTags } from '../support/marks';
import { describeWithWorld, REGION, type TestWorld } from '../support/test-world';

// Every way a cluster read can fall short of complete. In each, the cluster is
// UNVERIFIED, its load balancers — one new orphan, one due for deletion — are not
// touched at all, and the other cluster is still swept.

// The broken cluster has its own VPC: an unread cluster holds only the load
// balancers a Service of it could use (see the last test for a shared VPC).
async function twoClusters(w: TestWorld) {
  const network = await w.createNetwork();
  await w.addCluster('broken', { network });
  await w.addCluster('healthy');
  const fresh = await w.createNlb({ name: 'broken-fresh', cluster: 'broken', service: 'shop/gone', network });
  const due = await w.createNlb({
    name: 'broken-due',
    cluster: 'broken',
    service: 'shop/old',
    tags: suspectTags(daysAgo(8)),
    network,
  });
  const owned = await w.createNlb({ name: 'broken-owned', cluster: 'broken', service: 'shop/a', network });
  const healthy = await w.createNlb({ name: 'healthy-fresh', cluster: 'healthy', service: 'shop/gone' });
  // Enough Services for three pages of two, so faults can hit a later page.
  for (const name of ['a', 'b', 'c', 'd', 'e']) {
    w.putService('broken', `shop/${name}`, name === 'a' ? { dnsName: owned.dnsName } : {});
  }
  return {
    fresh,
    due,
    healthy,
    owned,
    tagsBefore: {
      fresh: await w.tagsOf(fresh.arn),
      due: await w.tagsOf(due.arn),
      owned: await w.tagsOf(owned.arn),
    },
  };
}

const kubernetesFaults: { name: string; faults: Fault[]; error: RegExp }[] = [
  { name: '401 (token refused)', faults: [{ type: 'status', code: 401 }], error: /HTTP 401 Unauthorized/ },
  { name: '403 (RBAC)', faults: [{ type: 'status', code: 403 }], error: /HTTP 403 Forbidden/ },
  {
    name: '429 beyond the retry budget',
    faults: [{ type: 'status', code: 429, retryAfterSeconds: 1, times: Number.POSITIVE_INFINITY }],
    error: /after 4 attempts: HTTP 429/,
  },
  {
    name: '500 on page 2',
    faults: [{ type: 'status', code: 500, target: { listPage: 2 }, times: Number.POSITIVE_INFINITY }],
    error: /page 2 after 4 attempts: HTTP 500/,
  },
  {
    name: 'continue token expired twice',
    faults: [{ type: 'expireContinue', target: { listPage: 2 }, times: 2 }],
    error: /expired twice/,
  },
  {
    name: 'connection reset on every attempt',
    faults: [{ type: 'resetConnection', times: Number.POSITIVE_INFINITY }],
    error: /after 4 attempts/,
  },
  {
    name: 'body cut off mid-page on every attempt',
    faults: [{ type: 'truncateBody', target: { listPage: 2 }, times: Number.POSITIVE_INFINITY }],
    error: /page 2 after 4 attempts/,
  },
  {
    name: 'slower than the request timeout',
    faults: [{ type: 'delay', ms: 3_000, times: Number.POSITIVE_INFINITY }],
    error: /no complete answer within/,
  },
  {
    name: 'malformed JSON',
    faults: [{ type: 'malformedJson', times: Number.POSITIVE_INFINITY }],
    error: /not JSON/,
  },
  {
    name: 'items without metadata.name',
    faults: [{ type: 'omitItemField', field: 'metadata.name', target: { listPage: 2 } }],
    error: /page 2, item 0: a Service without namespace, name or spec.type/,
  },
  {
    name: 'items without spec',
    faults: [{ type: 'omitItemField', field: 'spec' }],
    error: /a Service without namespace, name or spec.type/,
  },
];

describeWithWorld('sweep with a cluster that cannot be read completely', (world) => {
  for (const { name, faults, error } of kubernetesFaults) {
    it(`${name}: no change to that cluster, the others are swept`, async () => {
      const w = world();
      const { fresh, due, healthy, owned, tagsBefore } = await twoClusters(w);
      for (const fault of faults) w.cluster('broken').injectFault(fault);

      const report = await w.sweep(
        {},
        { tuning: { servicePageSize: 2, kubernetesRequestTimeoutMs: 1_000, baseBackoffMs: 1 } },
      );

      const broken = report.clusters.find((c) => c.name === 'broken');
      assert.equal(broken?.status, 'UNVERIFIED');
      assert.match(broken?.error ?? '', error);
      assert.deepEqual(
        report.loadBalancers.filter((lb) => lb.cluster === 'broken').map((lb) => [lb.name, lb.outcome]),
        [
          ['broken-owned', 'held'],
          ['broken-fresh', 'held'],
          ['broken-due', 'held'],
        ],
      );
      assert.deepEqual(await w.tagsOf(fresh.arn), tagsBefore.fresh);
      assert.deepEqual(await w.tagsOf(due.arn), tagsBefore.due);
      assert.deepEqual(await w.tagsOf(owned.arn), tagsBefore.owned);
      assert.ok((await w.loadBalancerArns()).includes(due.arn));
      assert.ok((await w.loadBalancerArns()).includes(owned.arn));
      assert.equal(report.clusters.find((c) => c.name === 'healthy')?.status, 'VERIFIED');
      assert.ok((await w.tagsOf(healthy.arn))['nlb-janitor/suspect-since']);
    });
  }

  it('recovers from one 429 with Retry-After and one 410 on page 2 (restarting the list once)', async () => {
    const w = world();
    const { fresh } = await twoClusters(w);
    const slept: number[] = [];
    w.cluster('broken').injectFault({ type: 'status', code: 429, retryAfterSeconds: 2 });
    w.cluster('broken').injectFault({ type: 'expireContinue', target: { listPage: 2 } });

    const report = await w.sweep(
      {},
      {
        tuning: { servicePageSize: 2 },
        sleep: async (ms) => {
          slept.push(ms);
        },
      },
    );

    assert.equal(report.clusters.find((c) => c.name === 'broken')?.status, 'VERIFIED');
    assert.deepEqual(slept, [2000]);
    assert.ok((await w.tagsOf(fresh.arn))['nlb-janitor/suspect-since']);
    const lists = w.cluster('broken').requests.filter((r) => r.path === '/api/v1/services');
    assert.ok(
      lists.every((r) => r.query.resourceVersion === undefined),
      'never reads from the watch cache',
    );
    assert.deepEqual(
      lists.map((r) => [r.status, r.query.continue === undefined ? 'start' : 'continue']),
      [
        [429, 'start'],
        [200, 'start'],
        [410, 'continue'],
        // The restart, from the beginning. No re-read before deleting broken-due: the read is under 10 s old.
        [200, 'start'],
        [200, 'continue'],
        [200, 'continue'],
      ],
    );
  });

  it('a CA that does not match the server: TLS fails, nothing changes', async () => {
    const w = world();
    const { fresh, tagsBefore } = await twoClusters(w);
    const impostor = await w.addClusterServerOnly('impostor');
    await w.moto.setClusterEndpoint({
      clusterName: 'broken',
      region: REGION,
      endpoint: w.cluster('broken').endpoint,
      certificateAuthorityData: impostor.caBase64,
    });

    const report = await w.sweep();

    const broken = report.clusters.find((c) => c.name === 'broken');
    assert.equal(broken?.status, 'UNVERIFIED');
    assert.match(broken?.error ?? '', /certificate/i);
    assert.deepEqual(await w.tagsOf(fresh.arn), tagsBefore.fresh);
    assert.equal(w.cluster('broken').requests.length, 0);
  });

  it('connection refused: nothing changes', async () => {
    const w = world();
    const { fresh, tagsBefore } = await twoClusters(w);
    await w.cluster('broken').stop();

    const report = await w.sweep();

    assert.match(report.clusters.find((c) => c.name === 'broken')?.error ?? '', /ECONNREFUSED/);
    assert.deepEqual(await w.tagsOf(fresh.arn), tagsBefore.fresh);
  });

  it('DescribeCluster AccessDenied is UNVERIFIED, never CLUSTER_NOT_FOUND', async () => {
    const w = world();
    const { fresh, due, tagsBefore } = await twoClusters(w);
    await w.moto.injectFault({
      service: 'eks',
      action: 'DescribeCluster',
      status: 403,
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform: eks:DescribeCluster',
      count: -1,
    });

    const report = await w.sweep({ deleteWhenClusterMissing: true });

    for (const cluster of report.clusters) {
      assert.equal(cluster.status, 'UNVERIFIED');
      assert.match(cluster.error ?? '', /^DescribeCluster: AccessDeniedException/);
    }
    assert.deepEqual(await w.tagsOf(fresh.arn), tagsBefore.fresh);
    assert.deepEqual(await w.tagsOf(due.arn), tagsBefore.due);
  });

  it("an unread cluster in the same VPC holds the other clusters' orphans there: a Service of it may use them", async () => {
    const w = world();
    await w.addCluster('broken');
    await w.addCluster('healthy');
    const orphan = await w.createNlb({ name: 'healthy-gone', cluster: 'healthy', service: 'shop/gone' });
    const due = await w.createNlb({
      name: 'healthy-due',
      cluster: 'healthy',
      service: 'shop/old',
      tags: suspectTags(daysAgo(8)),
    });
    w.cluster('broken').injectFault({ type: 'status', code: 403, times: Number.POSITIVE_INFINITY });

    const report = await w.sweep({ clusters: ['broken', 'healthy'] });

    assert.equal(report.clusters.find((c) => c.name === 'healthy')?.status, 'VERIFIED');
    for (const name of ['healthy-gone', 'healthy-due']) {
      const entry = report.loadBalancers.find((lb) => lb.name === name);
      assert.equal(entry?.outcome, 'held');
      assert.match(entry?.detail ?? '', /cluster broken \(same VPC vpc-[0-9a-f]+\) could not be read/);
    }
    assert.equal((await w.tagsOf(orphan.arn))['nlb-janitor/suspect-since'], undefined);
    assert.ok((await w.loadBalancerArns()).includes(due.arn));
  });
});
