import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideFootprintVerdict, type FootprintSubject } from '../../lambda/decisions/footprint-verdict';
import { ServiceClaims } from '../../lambda/decisions/service-claims';
import type { Verdict } from '../../lambda/decisions/verdict';
import type { ClusterRead, KindRead } from '../../lambda/kubernetes/cluster-read';
import type { GatewaySummary } from '../../lambda/kubernetes/gateway-summary';
import type { IngressSummary } from '../../lambda/kubernetes/ingress-summary';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import type { FootprintOwner } from '../../lambda/ownership/footprint-owner';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import type { Owner } from '../../lambda/ownership/owner';

// A footprint resource in vpc-prod, judged against cluster prod (also in vpc-prod).
const UID = '3f2a9c1e-7b4d-4e8f-a1c2-9d8e7f6a5b4c';
const IN_TREE_NAME = inTreeLoadBalancerName(UID);

const SERVICE_OWNER: Owner = {
  kind: 'Service',
  controller: 'aws-load-balancer-controller',
  cluster: 'prod',
  namespace: 'shop',
  name: 'web',
};
const GATEWAY_OWNER: Owner = { ...SERVICE_OWNER, kind: 'Gateway', namespace: 'infra', name: 'public-gw' };
const INGRESS_OWNER: Owner = { ...SERVICE_OWNER, kind: 'Ingress' };
const GROUP_OWNER: Owner = {
  ...SERVICE_OWNER,
  kind: 'IngressGroup',
  namespace: undefined,
  name: 'shop-public',
};

const object = (owner: Owner): FootprintOwner => ({ kind: 'object', owner });
const CLUSTER: FootprintOwner = { kind: 'cluster', cluster: 'prod' };
const LB_NAME: FootprintOwner = { kind: 'load-balancer-name', cluster: 'prod', name: IN_TREE_NAME };

function service(overrides: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    namespace: 'shop',
    name: 'web',
    uid: 'u-1',
    type: 'LoadBalancer',
    ingressHostnames: [],
    ingressIps: [],
    ...overrides,
  };
}
const gateway = (overrides: Partial<GatewaySummary> = {}): GatewaySummary => ({
  namespace: 'infra',
  name: 'public-gw',
  gatewayClassName: 'aws-nlb',
  addresses: [],
  ...overrides,
});
const ingress = (overrides: Partial<IngressSummary> = {}): IngressSummary => ({
  namespace: 'shop',
  name: 'web',
  groupName: undefined,
  ingressClassName: 'alb',
  ingressHostnames: [],
  ...overrides,
});
const items = <T extends { namespace: string; name: string }>(...list: T[]): KindRead<T> => ({
  kind: 'complete',
  items: new Map(list.map((item) => [`${item.namespace}/${item.name}`, item])),
});

function complete(
  services: ServiceSummary[] = [],
  kinds: { gateways?: KindRead<GatewaySummary>; ingresses?: KindRead<IngressSummary> } = {},
  vpcId = 'vpc-prod',
): ClusterRead {
  return {
    kind: 'complete',
    services: new Map(services.map((s) => [`${s.namespace}/${s.name}`, s])),
    ...kinds,
    identity: { vpcId, createdAt: new Date('2026-01-10T00:00:00Z') },
    readAt: new Date('2026-11-24T18:00:00Z'),
  };
}

function judge(
  owner: FootprintOwner,
  prod: ClusterRead | undefined,
  options: {
    others?: [string, ClusterRead][];
    vpcId?: string;
    loadBalancerNames?: string[];
    usedBy?: FootprintSubject['usedBy'];
  } = {},
): Verdict {
  const byCluster = new Map<string, ClusterRead>([
    ...(prod === undefined ? [] : ([['prod', prod]] as [string, ClusterRead][])),
    ...(options.others ?? []),
  ]);
  const subject: FootprintSubject = {
    owner,
    vpcId: options.vpcId ?? 'vpc-prod',
    loadBalancerNames: new Set(options.loadBalancerNames ?? []),
    usedBy: options.usedBy,
  };
  return decideFootprintVerdict(subject, { byCluster, claims: ServiceClaims.fromReads(byCluster) });
}

const UNREAD_SAME_VPC: [string, ClusterRead] = [
  'blue',
  { kind: 'unverified', error: '403', vpcId: 'vpc-prod' },
];
const UNREAD_OTHER_VPC: [string, ClusterRead] = [
  'blue',
  { kind: 'unverified', error: '403', vpcId: 'vpc-other' },
];
const UNREAD_NO_VPC: [string, ClusterRead] = [
  'blue',
  { kind: 'unverified', error: 'DescribeCluster: denied' },
];

const cases: {
  name: string;
  verdict: () => Verdict;
  expected: Verdict | Verdict['kind'];
  matches?: RegExp;
}[] = [
  // The owner's cluster.
  {
    name: 'cluster read unverified: unverified with its error',
    verdict: () => judge(object(SERVICE_OWNER), { kind: 'unverified', error: '403 Forbidden' }),
    expected: { kind: 'UNVERIFIED', error: '403 Forbidden' },
  },
  {
    name: 'cluster not read at all: unverified',
    verdict: () => judge(object(SERVICE_OWNER), undefined),
    expected: { kind: 'UNVERIFIED', error: 'the cluster was not read' },
  },
  {
    name: 'cluster owner (backend security group), cluster unread: unverified',
    verdict: () => judge(CLUSTER, undefined),
    expected: 'UNVERIFIED',
  },
  {
    name: 'load-balancer-name owner, load balancer gone, cluster unverified: unverified',
    verdict: () => judge(LB_NAME, { kind: 'unverified', error: 'timeout' }),
    expected: { kind: 'UNVERIFIED', error: 'timeout' },
  },
  {
    name: 'EKS does not know the cluster: cluster not found',
    verdict: () => judge(object(SERVICE_OWNER), { kind: 'cluster-not-found' }),
    expected: { kind: 'CLUSTER_NOT_FOUND' },
  },
  {
    name: 'cluster owner, EKS does not know the cluster: cluster not found',
    verdict: () => judge(CLUSTER, { kind: 'cluster-not-found' }),
    expected: { kind: 'CLUSTER_NOT_FOUND' },
  },
  // The VPC.
  {
    name: "not in the cluster's VPC: foreign, whatever the owner",
    verdict: () => judge(object(SERVICE_OWNER), complete(), { vpcId: 'vpc-staging' }),
    expected: 'FOREIGN',
    matches: /NOT_IN_CLUSTER_VPC.*it is in vpc-staging, cluster prod in vpc-prod/,
  },
  {
    name: "cluster owner not in the cluster's VPC: foreign, never owned",
    verdict: () => judge(CLUSTER, complete(), { vpcId: 'vpc-staging' }),
    expected: 'FOREIGN',
  },
  {
    name: 'no VPC at all: foreign, said so',
    verdict: () => judge(object(SERVICE_OWNER), complete(), { vpcId: '' }),
    expected: 'FOREIGN',
    matches: /it is in no VPC/,
  },
  // An object owner.
  {
    name: 'its Service exists (LoadBalancer): owned',
    verdict: () => judge(object(SERVICE_OWNER), complete([service()])),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its Service exists as ClusterIP (may feed a TargetGroupBinding): owned',
    verdict: () => judge(object(SERVICE_OWNER), complete([service({ type: 'ClusterIP' })])),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its Service exists as NodePort, naming another load balancer: owned',
    verdict: () =>
      judge(
        object(SERVICE_OWNER),
        complete([service({ type: 'NodePort', ingressHostnames: ['x.elb.aws'] })]),
      ),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its Service is gone: orphan, SERVICE_NOT_FOUND',
    verdict: () => judge(object(SERVICE_OWNER), complete([service({ namespace: 'other' })])),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'its Gateway exists: owned',
    verdict: () => judge(object(GATEWAY_OWNER), complete([], { gateways: items(gateway()) })),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its Gateway is gone: orphan, GATEWAY_NOT_FOUND',
    verdict: () => judge(object(GATEWAY_OWNER), complete([], { gateways: items() })),
    expected: { kind: 'ORPHAN', reason: 'GATEWAY_NOT_FOUND' },
  },
  {
    name: 'Gateways not read: unverified, whatever the Services say',
    verdict: () => judge(object(GATEWAY_OWNER), complete([service()])),
    expected: 'UNVERIFIED',
    matches: /whether Gateway infra\/public-gw of cluster prod exists could not be read/,
  },
  {
    name: 'Gateway list unverified: unverified',
    verdict: () =>
      judge(object(GATEWAY_OWNER), complete([], { gateways: { kind: 'unverified', error: '403' } })),
    expected: 'UNVERIFIED',
  },
  {
    name: 'its Ingress exists: owned',
    verdict: () => judge(object(INGRESS_OWNER), complete([], { ingresses: items(ingress()) })),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its Ingress is gone: orphan, INGRESS_NOT_FOUND',
    verdict: () => judge(object(INGRESS_OWNER), complete([], { ingresses: items(ingress({ name: 'api' })) })),
    expected: { kind: 'ORPHAN', reason: 'INGRESS_NOT_FOUND' },
  },
  {
    name: 'Ingresses not read: unverified',
    verdict: () => judge(object(INGRESS_OWNER), complete()),
    expected: 'UNVERIFIED',
  },
  {
    name: 'Ingress list unverified: unverified',
    verdict: () =>
      judge(object(INGRESS_OWNER), complete([], { ingresses: { kind: 'unverified', error: 'timeout' } })),
    expected: 'UNVERIFIED',
  },
  {
    name: 'its IngressGroup has a member in any namespace: owned',
    verdict: () =>
      judge(
        object(GROUP_OWNER),
        complete([], { ingresses: items(ingress({ namespace: 'other', groupName: 'shop-public' })) }),
      ),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its IngressGroup is empty: orphan, INGRESS_GROUP_EMPTY',
    verdict: () =>
      judge(object(GROUP_OWNER), complete([], { ingresses: items(ingress({ groupName: 'internal' })) })),
    expected: { kind: 'ORPHAN', reason: 'INGRESS_GROUP_EMPTY' },
  },
  {
    name: 'IngressGroup, Ingresses unverified: unverified',
    verdict: () =>
      judge(object(GROUP_OWNER), complete([], { ingresses: { kind: 'unverified', error: 'timeout' } })),
    expected: 'UNVERIFIED',
  },
  // The cluster owner.
  {
    name: 'cluster owner (backend security group), complete read: owned, even with no Service at all',
    verdict: () => judge(CLUSTER, complete()),
    expected: { kind: 'OWNED' },
  },
  // A load-balancer-name owner (an in-tree node rule).
  {
    name: 'its load balancer is still in the inventory: owned',
    verdict: () => judge(LB_NAME, complete(), { loadBalancerNames: [IN_TREE_NAME] }),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its load balancer is still in the inventory, cluster unread: owned all the same',
    verdict: () => judge(LB_NAME, undefined, { loadBalancerNames: [IN_TREE_NAME] }),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'its load balancer is still in the inventory, cluster unverified: owned all the same',
    verdict: () =>
      judge(LB_NAME, { kind: 'unverified', error: '403' }, { loadBalancerNames: ['other', IN_TREE_NAME] }),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'load balancer gone, a live Service of its UID could re-create it: owned',
    verdict: () => judge(LB_NAME, complete([service({ name: 'other', uid: UID })])),
    expected: { kind: 'OWNED' },
  },
  {
    // Switched to ClusterIP: the in-tree provider would have revoked the rules with its load balancer.
    name: 'load balancer gone, a ClusterIP Service of its UID: orphan, SERVICE_NOT_LOAD_BALANCER',
    verdict: () => judge(LB_NAME, complete([service({ uid: UID, type: 'ClusterIP' })])),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' },
  },
  {
    name: 'load balancer standing and promised for deletion: the rule is judged with it',
    verdict: () =>
      judge(LB_NAME, complete([service({ uid: UID, type: 'ClusterIP' })]), {
        loadBalancerNames: [IN_TREE_NAME],
        usedBy: [{ arn: 'lb-in-tree', state: 'promised' }],
      }),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' },
  },
  {
    name: 'load balancer standing and kept: the rule stays',
    verdict: () =>
      judge(LB_NAME, complete([]), {
        loadBalancerNames: [IN_TREE_NAME],
        usedBy: [{ arn: 'lb-in-tree', state: 'kept' }],
      }),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'load balancer gone, no Service of its UID: orphan, SERVICE_NOT_FOUND',
    verdict: () =>
      judge(LB_NAME, complete([service({ uid: '00000000-0000-0000-0000-000000000000' })]), {
        loadBalancerNames: ['a-different-load-balancer'],
      }),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'load balancer gone, cluster not found: cluster not found',
    verdict: () => judge(LB_NAME, { kind: 'cluster-not-found' }),
    expected: { kind: 'CLUSTER_NOT_FOUND' },
  },
  {
    name: 'load balancer gone, in another VPC than its cluster: foreign',
    verdict: () => judge(LB_NAME, complete(), { vpcId: 'vpc-staging' }),
    expected: 'FOREIGN',
  },
  // Neighbours: a cluster of the same VPC left unread could use it.
  {
    name: 'Service gone, an unread cluster in the same VPC: unverified',
    verdict: () => judge(object(SERVICE_OWNER), complete(), { others: [UNREAD_SAME_VPC] }),
    expected: 'UNVERIFIED',
    matches: /cluster blue \(same VPC vpc-prod\) could not be read, and a Service there may use it: 403/,
  },
  {
    name: 'Service gone, an unread cluster whose VPC is unknown: unverified',
    verdict: () => judge(object(SERVICE_OWNER), complete(), { others: [UNREAD_NO_VPC] }),
    expected: 'UNVERIFIED',
    matches: /VPC unknown/,
  },
  {
    name: 'Service gone, an unread cluster in another VPC: still orphan',
    verdict: () => judge(object(SERVICE_OWNER), complete(), { others: [UNREAD_OTHER_VPC] }),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'Service exists, an unread cluster in the same VPC: still owned',
    verdict: () => judge(object(SERVICE_OWNER), complete([service()]), { others: [UNREAD_SAME_VPC] }),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'cluster not found, an unread cluster in the same VPC: unverified',
    verdict: () => judge(object(SERVICE_OWNER), { kind: 'cluster-not-found' }, { others: [UNREAD_SAME_VPC] }),
    expected: 'UNVERIFIED',
  },
  {
    name: 'cluster not found, an unread cluster in another VPC: still cluster not found',
    verdict: () =>
      judge(object(SERVICE_OWNER), { kind: 'cluster-not-found' }, { others: [UNREAD_OTHER_VPC] }),
    expected: { kind: 'CLUSTER_NOT_FOUND' },
  },
  {
    name: 'cluster owner, cluster not found, an unread cluster in the same VPC: unverified',
    verdict: () => judge(CLUSTER, { kind: 'cluster-not-found' }, { others: [UNREAD_SAME_VPC] }),
    expected: 'UNVERIFIED',
  },
  {
    name: 'in-tree load balancer gone, an unread cluster in the same VPC: unverified',
    verdict: () => judge(LB_NAME, complete(), { others: [UNREAD_SAME_VPC] }),
    expected: 'UNVERIFIED',
  },
  {
    name: 'in-tree load balancer gone, an unread cluster in another VPC: still orphan',
    verdict: () => judge(LB_NAME, complete(), { others: [UNREAD_OTHER_VPC] }),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'Gateway gone, a neighbour of the same VPC whose Gateways went unread: unverified',
    verdict: () =>
      judge(object(GATEWAY_OWNER), complete([], { gateways: items() }), {
        others: [['blue', complete([], { gateways: { kind: 'unverified', error: '403' } })]],
      }),
    expected: 'UNVERIFIED',
    matches: /a Gateway there may use it/,
  },
  {
    name: 'Service gone, a neighbour of the same VPC whose Gateways only went unread: still orphan',
    verdict: () =>
      judge(object(SERVICE_OWNER), complete(), {
        others: [['blue', complete([], { gateways: { kind: 'unverified', error: '403' } })]],
      }),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'IngressGroup empty, a neighbour of the same VPC whose Ingresses went unread: unverified',
    verdict: () =>
      judge(object(GROUP_OWNER), complete([], { ingresses: items() }), {
        others: [['blue', complete([], { ingresses: { kind: 'unverified', error: 'timeout' } })]],
      }),
    expected: 'UNVERIFIED',
  },
  // A security group goes with the load balancer that uses it, or not at all.
  {
    name: 'owner gone, used by a load balancer promised for the same owner: orphan',
    verdict: () => judge(object(SERVICE_OWNER), complete(), { usedBy: [{ arn: 'lb-1', state: 'promised' }] }),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'owner gone, used by a load balancer the janitor keeps (owned, spared, another owner): owned',
    verdict: () =>
      judge(object(SERVICE_OWNER), complete(), {
        usedBy: [
          { arn: 'lb-1', state: 'promised' },
          { arn: 'lb-2', state: 'kept' },
        ],
      }),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'owner gone, used by a load balancer the janitor holds: unverified, even beside a kept one',
    verdict: () =>
      judge(object(SERVICE_OWNER), complete(), {
        usedBy: [
          { arn: 'lb-2', state: 'kept' },
          { arn: 'lb-1', state: 'held' },
        ],
      }),
    expected: 'UNVERIFIED',
    matches: /lb-1, which uses it, could not be judged/,
  },
  {
    name: 'cluster unread, used by a kept load balancer: unverified (nothing is concluded, not even an unmark)',
    verdict: () =>
      judge(
        object(SERVICE_OWNER),
        { kind: 'unverified', error: '403' },
        {
          usedBy: [{ arn: 'lb-2', state: 'kept' }],
        },
      ),
    expected: { kind: 'UNVERIFIED', error: '403' },
  },
];

describe('decideFootprintVerdict', () => {
  for (const { name, verdict, expected, matches } of cases) {
    it(name, () => {
      const result = verdict();
      if (typeof expected === 'string') assert.equal(result.kind, expected, JSON.stringify(result));
      else assert.deepEqual(result, expected);
      if (matches) assert.match(JSON.stringify(result), matches);
    });
  }
});
