import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  judgeLeftoverTargetGroup,
  type LeftoverDecision,
  type LeftoverTargetGroupFacts,
} from '../../lambda/decisions/leftover-target-group';
import { ServiceClaims } from '../../lambda/decisions/service-claims';
import type { ClusterRead } from '../../lambda/decisions/verdict';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';

const DELETED = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/gone/0123456789abcdef';
const GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-web/0123456789abcdef';
const OWNER_TAGS = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/web' };
const LEFTOVER = { ...OWNER_TAGS, 'nlb-janitor/deleted-with': DELETED };

function read(...services: string[]): ClusterRead {
  const summaries = services.map((key): [string, ServiceSummary] => {
    const [namespace = '', name = ''] = key.split('/');
    return [key, { namespace, name, uid: key, type: 'LoadBalancer', ingressHostnames: [], ingressIps: [] }];
  });
  return {
    kind: 'complete',
    services: new Map(summaries),
    identity: { vpcId: 'vpc-1', createdAt: new Date('2026-01-01T00:00:00Z') },
    readAt: new Date('2026-11-24T18:00:00Z'),
  };
}

const cases: {
  name: string;
  tags: Record<string, string>;
  loadBalancers?: string[];
  reads?: [string, ClusterRead][];
  facts?: Partial<
    Pick<
      LeftoverTargetGroupFacts,
      'vpcId' | 'registeredTargets' | 'selectedClusters' | 'deleteWhenClusterMissing'
    >
  >;
  expected: LeftoverDecision['kind'];
  detail?: RegExp;
}[] = [
  {
    name: "a deleted-with naming a load balancer of another account: not the janitor's",
    tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('123456789012', '999999999999') },
    expected: 'keep',
    detail: /names no network load balancer of its account and region/,
  },
  {
    name: "a deleted-with naming an application load balancer: not the janitor's",
    tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('/net/', '/app/') },
    expected: 'keep',
  },
  {
    name: 'a deleted-with that is no ARN at all',
    tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': 'yes' },
    expected: 'keep',
  },
  {
    name: 'targets registered in it (a TargetGroupBinding being filled): keep',
    tags: LEFTOVER,
    facts: { registeredTargets: 2 },
    expected: 'keep',
    detail: /2 targets are registered/,
  },
  {
    name: 'its cluster is not among those swept: keep',
    tags: LEFTOVER,
    facts: { selectedClusters: ['staging'] },
    expected: 'keep',
    detail: /not among the clusters swept/,
  },
  {
    name: 'EKS does not know its cluster, without the opt-in: keep',
    tags: LEFTOVER,
    reads: [['prod', { kind: 'cluster-not-found' }]],
    expected: 'keep',
    detail: /--delete-when-cluster-missing/,
  },
  {
    name: 'in another VPC than its cluster: keep',
    tags: LEFTOVER,
    facts: { vpcId: 'vpc-2' },
    expected: 'keep',
    detail: /wrong cluster/,
  },
  {
    name: 'another cluster of its VPC could not be read: hold',
    tags: LEFTOVER,
    reads: [
      ['prod', read('default/kubernetes')],
      ['blue', { kind: 'unverified', error: '403', vpcId: 'vpc-1' }],
    ],
    expected: 'hold',
    detail: /cluster blue of the same VPC could not be read/,
  },
  {
    name: "a leftover of the janitor's deletion, its Service gone: delete",
    tags: LEFTOVER,
    expected: 'delete',
  },
  {
    name: 'a leftover whose cluster EKS no longer knows, with the opt-in: delete',
    tags: LEFTOVER,
    reads: [['prod', { kind: 'cluster-not-found' }]],
    facts: { deleteWhenClusterMissing: true },
    expected: 'delete',
  },
  {
    name: 'no deleted-with tag (a TargetGroupBinding in progress, anything else): not ours',
    tags: OWNER_TAGS,
    expected: 'not-ours',
  },
  {
    name: 'the load balancer it names still exists: keep',
    tags: LEFTOVER,
    loadBalancers: [DELETED],
    expected: 'keep',
    detail: /still exists/,
  },
  {
    name: 'its Service is back (the controller may reuse it): keep',
    tags: LEFTOVER,
    reads: [['prod', read('shop/web')]],
    expected: 'keep',
    detail: /exists again/,
  },
  {
    name: 'its cluster could not be read: hold',
    tags: LEFTOVER,
    reads: [['prod', { kind: 'unverified', error: '403' }]],
    expected: 'hold',
    detail: /403/,
  },
  { name: 'its cluster was not read: hold', tags: LEFTOVER, reads: [], expected: 'hold' },
  {
    name: 'an ignore tag: keep',
    tags: { ...LEFTOVER, 'nlb-janitor/ignore': 'yes' },
    expected: 'keep',
    detail: /IGNORE_TAG/,
  },
  {
    name: 'owner tags gone: keep',
    tags: { 'nlb-janitor/deleted-with': DELETED },
    expected: 'keep',
    detail: /NO_OWNER_TAGS/,
  },
];

describe('judgeLeftoverTargetGroup', () => {
  for (const { name, tags, loadBalancers, reads, facts, expected, detail } of cases) {
    it(name, () => {
      const byCluster = new Map(reads ?? [['prod', read('default/kubernetes')]]);
      const decision = judgeLeftoverTargetGroup({
        arn: GROUP,
        vpcId: 'vpc-1',
        tags,
        registeredTargets: 0,
        loadBalancerArns: new Set(loadBalancers ?? []),
        reads: byCluster,
        claims: ServiceClaims.fromReads(byCluster),
        selectedClusters: undefined,
        deleteWhenClusterMissing: false,
        ...facts,
      });
      assert.equal(decision.kind, expected, JSON.stringify(decision));
      if (detail) assert.match(JSON.stringify(decision), detail);
    });
  }
});
