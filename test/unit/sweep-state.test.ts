import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterRead } from '../../lambda/kubernetes/cluster-read';
import type { ClusterReadResult } from '../../lambda/kubernetes/cluster-reader';
import { ClusterReads, FRESH_READ_MAX_AGE_MS } from '../../lambda/sweep/cluster-reads';
import { DeletionBudget } from '../../lambda/sweep/deletion-budget';

// The sweep's shared state: one store of cluster reads, one deletion budget.

const T0 = new Date('2026-11-24T18:00:00Z').getTime();

function complete(readAt: number, services: string[] = []): ClusterRead {
  return {
    kind: 'complete',
    services: new Map(
      services.map((name) => [
        `default/${name}`,
        { namespace: 'default', name, uid: name, type: 'LoadBalancer', ingressHostnames: [], ingressIps: [] },
      ]),
    ),
    identity: { vpcId: 'vpc-1', createdAt: new Date(T0 - 86_400_000) },
    readAt: new Date(readAt),
  };
}

/** A store over a fake cluster: each read returns what `answer` says at the clock's time. */
function store(answer: (name: string, now: number) => ClusterRead) {
  let now = T0;
  const asked: string[] = [];
  const reads = new ClusterReads(
    async (name): Promise<ClusterReadResult> => {
      asked.push(name);
      return { read: answer(name, now), kubernetesRequests: 1, resourceVersion: undefined };
    },
    () => new Date(now),
  );
  return {
    reads,
    asked,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ClusterReads: one store of cluster reads', () => {
  it('a deletion reads its cluster again once the read is older than 10 s, and not before', async () => {
    const { reads, asked, advance } = store((_, now) => complete(now));
    await reads.readAll(['prod', 'staging'], 2);
    advance(FRESH_READ_MAX_AGE_MS);
    await reads.forDeletion('prod');
    assert.deepEqual(asked.sort(), ['prod', 'staging']);
    advance(1);
    await reads.forDeletion('prod');
    assert.deepEqual(asked.filter((name) => name === 'prod').length, 2);
  });

  it('every reader sees the latest read, whoever made it', async () => {
    let services: string[] = [];
    const { reads, advance } = store((_, now) => complete(now, services));
    await reads.readAll(['prod'], 1);
    const before = reads.current();
    services = ['web'];
    advance(FRESH_READ_MAX_AGE_MS + 1);
    await reads.forDeletion('prod');
    const latest = reads.current().byCluster.get('prod');
    assert.ok(latest?.kind === 'complete' && latest.services.has('default/web'));
    assert.equal(reads.result('prod')?.read, latest);
    assert.notEqual(before, reads.current(), 'a view taken before the re-read is not the store');
  });

  it('an incomplete read is read again for every deletion', async () => {
    const { reads, asked } = store(() => ({ kind: 'unverified', error: 'timeout' }));
    await reads.readAll(['prod'], 1);
    await reads.forDeletion('prod');
    await reads.forDeletion('prod');
    assert.equal(asked.length, 3);
  });
});

describe('DeletionBudget: one allowance for every kind', () => {
  const table: [
    string,
    { maxDeletions: number; maxDeletionsPerCluster: number },
    [string, string][],
    string,
    string,
    RegExp | undefined,
  ][] = [
    ['room left', { maxDeletions: 2, maxDeletionsPerCluster: 2 }, [['prod', 'a']], 'prod', 'b', undefined],
    [
      'the cluster is full',
      { maxDeletions: 5, maxDeletionsPerCluster: 1 },
      [['prod', 'a']],
      'prod',
      'b',
      /at most 1 deletions per cluster and sweep/,
    ],
    [
      'another cluster still has room',
      { maxDeletions: 5, maxDeletionsPerCluster: 1 },
      [['prod', 'a']],
      'staging',
      'b',
      undefined,
    ],
    [
      'the sweep is full',
      { maxDeletions: 1, maxDeletionsPerCluster: 5 },
      [['prod', 'a']],
      'staging',
      'b',
      /at most 1 deletions per sweep/,
    ],
    [
      'a unit already counted costs nothing more',
      { maxDeletions: 1, maxDeletionsPerCluster: 1 },
      [['prod', 'a']],
      'prod',
      'a',
      undefined,
    ],
  ];
  for (const [name, limits, taken, cluster, unit, refusal] of table) {
    it(name, () => {
      const budget = new DeletionBudget(limits);
      for (const [c, u] of taken) budget.take(c, u);
      const said = budget.refusal(cluster, unit);
      if (refusal === undefined) assert.equal(said, undefined);
      else assert.match(said ?? '', refusal);
    });
  }

  it('asking takes nothing: only take() counts', () => {
    const budget = new DeletionBudget({ maxDeletions: 1, maxDeletionsPerCluster: 1 });
    assert.equal(budget.refusal('prod', 'a'), undefined);
    assert.equal(budget.refusal('prod', 'b'), undefined);
  });
});
