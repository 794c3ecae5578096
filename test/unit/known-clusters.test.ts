import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changesTags, markTagChanges } from '../../lambda/actions/mark-tags';
import { parseKubernetesClusterList } from '../../lambda/config/setting-parsers';
import type { FootprintAction } from '../../lambda/decisions/footprint-plan';
import { addSighting, type ClusterSighting, clusterOfTagKey } from '../../lambda/inventory/vpc-clusters';
import type { ClusterRead } from '../../lambda/kubernetes/cluster-read';
import type { ClusterReadResult } from '../../lambda/kubernetes/cluster-reader';
import {
  clustersToRead,
  readKnownCluster,
  sameNamedSelfManaged,
  selfManagedKey,
  selfManagedRead,
} from '../../lambda/kubernetes/known-clusters';

// Which clusters a sweep knows before any verdict (issue 20), and how one it
// cannot read becomes an unread neighbour. Pure rules, by tables.

const result = (read: ClusterRead): ClusterReadResult => ({
  read,
  kubernetesRequests: 0,
  resourceVersion: undefined,
});
const COMPLETE = (vpcId: string): ClusterRead => ({
  kind: 'complete',
  services: new Map(),
  identity: { vpcId, createdAt: new Date('2026-01-01T00:00:00Z') },
  readAt: new Date('2026-12-01T00:00:00Z'),
});
const NOT_FOUND: ClusterRead = { kind: 'cluster-not-found' };
const sighting = (kind: ClusterSighting['kind'], id: string): ClusterSighting => ({ kind, id });
const sightings = (
  entries: readonly [string, string, readonly ClusterSighting[]][],
): Map<string, Map<string, ClusterSighting[]>> => {
  const map = new Map<string, Map<string, ClusterSighting[]>>();
  for (const [name, vpc, seen] of entries) {
    const byVpc = map.get(name) ?? new Map<string, ClusterSighting[]>();
    byVpc.set(vpc, [...seen]);
    map.set(name, byVpc);
  }
  return map;
};

describe('clusterOfTagKey', () => {
  const cases: [string, string | undefined][] = [
    ['kubernetes.io/cluster/prod', 'prod'],
    ['kubernetes.io/cluster/k8s.example.com', 'k8s.example.com'],
    ['kubernetes.io/cluster/', undefined],
    ['kubernetes.io/cluster/a/b', undefined],
    ['kubernetes.io/cluster/ prod', undefined],
    ['kubernetes.io/cluster/prod (old)', undefined],
    ['kubernetes.io/cluster/-prod', undefined],
    [`kubernetes.io/cluster/${'a'.repeat(100)}`, 'a'.repeat(100)],
    [`kubernetes.io/cluster/${'a'.repeat(101)}`, undefined],
    ['kubernetes.io/role/elb', undefined],
    ['KubernetesCluster', undefined],
    ['elbv2.k8s.aws/cluster', undefined],
  ];
  for (const [key, expected] of cases) {
    it(`${JSON.stringify(key)} -> ${expected ?? 'no cluster'}`, () => {
      assert.equal(clusterOfTagKey(key), expected);
    });
  }
});

describe('addSighting', () => {
  it('records every cluster key of a resource once per VPC, and nothing without a VPC', () => {
    const seen = new Map<string, Map<string, ClusterSighting[]>>();
    const tags = [
      { Key: 'kubernetes.io/cluster/a', Value: 'owned' },
      { Key: 'kubernetes.io/cluster/b', Value: 'shared' },
      { Key: 'Name', Value: 'nodes' },
    ];
    addSighting(seen, { vpcId: 'vpc-1', sighting: sighting('subnet', 'subnet-1') }, tags);
    addSighting(seen, { vpcId: 'vpc-1', sighting: sighting('subnet', 'subnet-1') }, tags);
    addSighting(seen, { vpcId: 'vpc-2', sighting: sighting('instance', 'i-1') }, tags.slice(0, 1));
    addSighting(seen, { vpcId: undefined, sighting: sighting('instance', 'i-2') }, tags);
    assert.deepEqual(
      [...seen].map(([name, byVpc]) => [name, [...byVpc].map(([vpc, s]) => [vpc, s.map((x) => x.id)])]),
      [
        [
          'a',
          [
            ['vpc-1', ['subnet-1']],
            ['vpc-2', ['i-1']],
          ],
        ],
        ['b', [['vpc-1', ['subnet-1']]]],
      ],
    );
  });
});

describe('clustersToRead', () => {
  it('is the union of owners (selected or not), configured, discovered and sighted clusters, sorted, once each', () => {
    assert.deepEqual(
      clustersToRead({
        owners: ['prod', 'staging', 'prod'],
        configured: ['prod'],
        discovered: ['dev', 'prod'],
        sightings: sightings([['kops-a', 'vpc-1', [sighting('instance', 'i-1')]]]),
      }),
      ['dev', 'kops-a', 'prod', 'staging'],
    );
  });
  it('narrowing (configured) never removes an owner', () => {
    assert.deepEqual(
      clustersToRead({ owners: ['staging'], configured: ['prod'], discovered: [], sightings: new Map() }),
      ['prod', 'staging'],
    );
  });
});

describe('readKnownCluster', () => {
  const seen = sightings([
    ['kops-a', 'vpc-1', [sighting('subnet', 'subnet-1'), sighting('instance', 'i-1')]],
    ['k8s.example.com', 'vpc-1', [sighting('instance', 'i-2')]],
    ['multi', 'vpc-1', [sighting('instance', 'i-3')]],
    ['multi', 'vpc-2', [sighting('instance', 'i-4')]],
  ]);
  const cases: {
    name: string;
    cluster: string;
    eks: ClusterRead;
    ignore?: string[];
    expected: 'self-managed' | 'as read';
    vpcId?: string;
    looksUp: boolean;
  }[] = [
    {
      name: 'tagged, EKS knows it: as read',
      cluster: 'kops-a',
      eks: COMPLETE('vpc-1'),
      expected: 'as read',
      looksUp: true,
    },
    {
      name: 'tagged, EKS does not know it: self-managed, its VPC',
      cluster: 'kops-a',
      eks: NOT_FOUND,
      expected: 'self-managed',
      vpcId: 'vpc-1',
      looksUp: true,
    },
    {
      name: 'tagged in two VPCs, EKS does not know it: self-managed, every VPC',
      cluster: 'multi',
      eks: NOT_FOUND,
      expected: 'self-managed',
      vpcId: undefined,
      looksUp: true,
    },
    {
      name: 'a name EKS could never have: self-managed, not looked up',
      cluster: 'k8s.example.com',
      eks: NOT_FOUND,
      expected: 'self-managed',
      vpcId: 'vpc-1',
      looksUp: false,
    },
    {
      name: 'tagged, EKS does not know it, a person vouched for it: not found, as read',
      cluster: 'kops-a',
      eks: NOT_FOUND,
      ignore: ['kops-a'],
      expected: 'as read',
      looksUp: true,
    },
    {
      name: 'not tagged, EKS does not know it: not found, as read (a deleted cluster)',
      cluster: 'gone',
      eks: NOT_FOUND,
      expected: 'as read',
      looksUp: true,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const looked: string[] = [];
      const read = await readKnownCluster(
        c.cluster,
        seen,
        { ignoreUnreadableClusters: c.ignore },
        async (n) => {
          looked.push(n);
          return result(c.eks);
        },
      );
      assert.equal(looked.length > 0, c.looksUp);
      if (c.expected === 'as read') {
        assert.deepEqual(read.read, c.eks);
        return;
      }
      assert.equal(read.read.kind, 'unverified');
      if (read.read.kind !== 'unverified') return;
      assert.equal(read.read.vpcId, c.vpcId);
      assert.match(
        read.read.error,
        new RegExp(`EKS does not know cluster ${c.cluster.replace(/\./g, '\\.')}`),
      );
      assert.match(read.read.error, /IGNORE_UNREADABLE_CLUSTERS/);
    });
  }
});

describe('sameNamedSelfManaged', () => {
  const seen = sightings([
    ['prod', 'vpc-1', [sighting('security-group', 'sg-1')]],
    ['prod', 'vpc-2', [sighting('instance', 'i-2')]],
    ['dev', 'vpc-2', [sighting('instance', 'i-3')]],
  ]);
  const cases: {
    name: string;
    reads: [string, ClusterRead][];
    ignore?: string[];
    expected: string[];
  }[] = [
    {
      name: "the EKS prod is in vpc-1: prod's tags in vpc-2 are another cluster's (the ones in vpc-1 cannot be told apart)",
      reads: [
        ['prod', COMPLETE('vpc-1')],
        ['dev', COMPLETE('vpc-2')],
      ],
      expected: [selfManagedKey('prod', 'vpc-2')],
    },
    {
      name: 'the EKS prod unread with its VPC known: the same',
      reads: [['prod', { kind: 'unverified', error: '403', vpcId: 'vpc-1' }]],
      expected: [selfManagedKey('prod', 'vpc-2')],
    },
    {
      name: 'the EKS prod unread, VPC unknown: it holds every VPC already, nothing extra',
      reads: [['prod', { kind: 'unverified', error: 'DescribeCluster: throttled' }]],
      expected: [],
    },
    {
      name: 'no EKS prod (self-managed, read as such): nothing extra',
      reads: [['prod', NOT_FOUND]],
      expected: [],
    },
    {
      name: 'a person vouched for prod: nothing extra',
      reads: [['prod', COMPLETE('vpc-1')]],
      ignore: ['prod'],
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const extra = sameNamedSelfManaged(seen, new Map(c.reads.map(([name, read]) => [name, result(read)])), {
        ignoreUnreadableClusters: c.ignore,
      });
      assert.deepEqual([...extra.keys()], c.expected);
      for (const value of extra.values()) {
        assert.equal(value.read.kind === 'unverified' ? value.read.vpcId : undefined, 'vpc-2');
      }
    });
  }
});

describe('selfManagedRead', () => {
  it('names where its tags are, at most five ids a VPC, and what a person can do', () => {
    const many = Array.from({ length: 7 }, (_, i) => sighting('instance', `i-${i}`));
    const read = selfManagedRead('kops-a', new Map([['vpc-1', many]]));
    assert.equal(read.vpcId, 'vpc-1');
    assert.match(
      read.error,
      /kubernetes\.io\/cluster\/kops-a is on i-0, i-1, i-2, i-3, i-4 and 2 more in vpc-1/,
    );
    assert.match(read.error, /If the cluster is gone, remove that tag/);
    assert.match(read.error, /--ignore-unreadable-clusters/);
  });
});

describe('a spared resource loses the janitor marks', () => {
  const tags = {
    'nlb-janitor/suspect-since': '2026-11-01T00:00:00Z',
    'nlb-janitor/deletes-at': '2026-11-08T00:00:00Z',
    'nlb-janitor/announced-at': '2026-11-01T00:00:00Z',
    'nlb-janitor/ignore': 'false',
    'elbv2.k8s.aws/cluster': 'prod',
  };
  const cases: [string, FootprintAction, boolean, string[]][] = [
    [
      'spare with marks: removes the marks only',
      { kind: 'spare', reason: 'NAMED_BY_ANOTHER_SERVICE', detail: 'x', unmark: true },
      true,
      ['nlb-janitor/suspect-since', 'nlb-janitor/deletes-at', 'nlb-janitor/announced-at'],
    ],
    ['spare without marks: nothing', { kind: 'spare', reason: 'NOT_IN_CLUSTER_VPC', detail: 'x' }, false, []],
    [
      'unmark: removes the marks',
      { kind: 'unmark', since: undefined },
      true,
      ['nlb-janitor/suspect-since', 'nlb-janitor/deletes-at', 'nlb-janitor/announced-at'],
    ],
    ['hold: nothing', { kind: 'hold', error: 'x' }, false, []],
    ['keep: nothing', { kind: 'keep' }, false, []],
  ];
  for (const [name, action, changes, removed] of cases) {
    it(name, () => {
      assert.equal(changesTags(action), changes);
      const change = markTagChanges('arn', action, tags);
      assert.deepEqual(
        change.flatMap((c) => (c.kind === 'remove' ? c.keys : [])),
        removed,
      );
    });
  }
});

describe('parseKubernetesClusterList', () => {
  it('takes self-managed names (dots), trims, drops empties and repeats', () => {
    assert.deepEqual(parseKubernetesClusterList('X', ' kops-a, k8s.example.com,,kops-a '), [
      'kops-a',
      'k8s.example.com',
    ]);
    assert.equal(parseKubernetesClusterList('X', ' , '), undefined);
  });
  for (const bad of ['a/b', 'two words']) {
    it(`refuses ${JSON.stringify(bad)} with one line naming the source`, () => {
      assert.throws(() => parseKubernetesClusterList('IGNORE_UNREADABLE_CLUSTERS', bad), {
        name: 'ConfigurationError',
        message: new RegExp(`^IGNORE_UNREADABLE_CLUSTERS: ${JSON.stringify(bad)} is not a cluster name`),
      });
    });
  }
});
