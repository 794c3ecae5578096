import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceClaims } from '../../lambda/decisions/service-claims';
import { decideVerdict, type JudgedSubject, type Verdict } from '../../lambda/decisions/verdict';
import type { ClusterRead } from '../../lambda/kubernetes/cluster-read';
import type { GatewaySummary } from '../../lambda/kubernetes/gateway-summary';
import type { IngressSummary } from '../../lambda/kubernetes/ingress-summary';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import type { Owner } from '../../lambda/ownership/owner';

const OWNER: Owner = {
  kind: 'Service',
  controller: 'aws-load-balancer-controller',
  cluster: 'prod',
  namespace: 'shop',
  name: 'web',
};
const DNS = 'k8s-shop-web-0123456789.elb.eu-west-1.amazonaws.com';

function service(overrides: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    namespace: 'shop',
    name: 'web',
    uid: 'u-1',
    type: 'LoadBalancer',
    ingressHostnames: [DNS],
    ingressIps: [],
    ...overrides,
  };
}

const CLUSTER_CREATED = new Date('2026-01-10T00:00:00Z');
const SUBJECT: JudgedSubject = {
  owner: OWNER,
  dnsName: DNS,
  vpcId: 'vpc-prod',
  createdAt: '2026-03-01T00:00:00.000Z',
};

function complete(...services: ServiceSummary[]): ClusterRead {
  return {
    kind: 'complete',
    services: new Map(services.map((s) => [`${s.namespace}/${s.name}`, s])),
    identity: { vpcId: 'vpc-prod', createdAt: CLUSTER_CREATED },
    readAt: new Date('2026-11-24T18:00:00Z'),
  };
}

function judge(read: ClusterRead, others: [string, ClusterRead][] = [], subject = SUBJECT): Verdict {
  const byCluster = new Map<string, ClusterRead>([['prod', read], ...others]);
  return decideVerdict(subject, { byCluster, claims: ServiceClaims.fromReads(byCluster) });
}

const cases: { name: string; read: ClusterRead; expected: Verdict }[] = [
  { name: 'Service exists and names this NLB', read: complete(service()), expected: { kind: 'OWNED' } },
  {
    name: 'Service status names this NLB in other case with a trailing dot',
    read: complete(service({ ingressHostnames: [`${DNS.toUpperCase()}.`] })),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'Service still provisioning (empty status)',
    read: complete(service({ ingressHostnames: [] })),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'Service status has only an IP, which names no load balancer',
    read: complete(service({ ingressHostnames: [], ingressIps: ['10.0.0.1'] })),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'Service status names this NLB among others',
    read: complete(service({ ingressHostnames: ['other.example.com', DNS] })),
    expected: { kind: 'OWNED' },
  },
  { name: 'no such Service', read: complete(), expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' } },
  {
    name: 'same name in another namespace',
    read: complete(service({ namespace: 'other', ingressHostnames: [] })),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
  },
  {
    name: 'type changed to ClusterIP',
    read: complete(service({ type: 'ClusterIP', ingressHostnames: [] })),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' },
  },
  {
    name: 'type NodePort',
    read: complete(service({ type: 'NodePort' })),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' },
  },
  {
    name: 'status names this NLB with the dualstack. prefix and spaces',
    read: complete(service({ ingressHostnames: [` dualstack.${DNS} `] })),
    expected: { kind: 'OWNED' },
  },
  {
    name: 'status names another load balancer',
    read: complete(service({ ingressHostnames: ['k8s-shop-web-ffffffffff.elb.eu-west-1.amazonaws.com'] })),
    expected: { kind: 'ORPHAN', reason: 'SERVICE_USES_OTHER_LOAD_BALANCER' },
  },
  { name: 'cluster not found', read: { kind: 'cluster-not-found' }, expected: { kind: 'CLUSTER_NOT_FOUND' } },
  {
    name: 'unverified read',
    read: { kind: 'unverified', error: '403 Forbidden' },
    expected: { kind: 'UNVERIFIED', error: '403 Forbidden' },
  },
];

describe('decideVerdict', () => {
  for (const { name, read, expected } of cases) {
    it(name, () => {
      assert.deepEqual(judge(read), expected);
    });
  }
});

describe('decideVerdict: corroboration before orphaned', () => {
  const staging = (...services: ServiceSummary[]): ClusterRead => ({
    kind: 'complete',
    services: new Map(services.map((s) => [`${s.namespace}/${s.name}`, s])),
    identity: { vpcId: 'vpc-staging', createdAt: CLUSTER_CREATED },
    readAt: CLUSTER_CREATED,
  });
  const cases: { name: string; verdict: () => Verdict; expected: Verdict['kind']; matches?: RegExp }[] = [
    {
      name: "a Service of another cluster names it (staging's controller installed with clusterName prod)",
      verdict: () => judge(complete(), [['staging', staging(service())]]),
      expected: 'FOREIGN',
      matches: /Service shop\/web of cluster staging names it/,
    },
    {
      name: 'another Service of the same cluster names it',
      verdict: () => judge(complete(service({ name: 'other' }))),
      expected: 'FOREIGN',
      matches: /Service shop\/other of cluster prod/,
    },
    {
      name: 'another cluster names it with dualstack. and upper case',
      verdict: () =>
        judge(complete(), [
          ['staging', staging(service({ ingressHostnames: [`DUALSTACK.${DNS.toUpperCase()}`] }))],
        ]),
      expected: 'FOREIGN',
    },
    {
      name: "not in the cluster's VPC",
      verdict: () => judge(complete(), [], { ...SUBJECT, vpcId: 'vpc-staging' }),
      expected: 'FOREIGN',
      matches: /it is in vpc-staging, cluster prod in vpc-prod/,
    },
    {
      name: 'created before the cluster (a re-created cluster, or a cluster appearing under a known name)',
      verdict: () => judge(complete(), [], { ...SUBJECT, createdAt: '2026-01-09T23:59:59.000Z' }),
      expected: 'FOREIGN',
      matches: /before cluster prod/,
    },
    {
      name: 'creation time unknown',
      verdict: () => judge(complete(), [], { ...SUBJECT, createdAt: undefined }),
      expected: 'FOREIGN',
    },
    {
      name: 'created the same millisecond as the cluster is still its own',
      verdict: () => judge(complete(), [], { ...SUBJECT, createdAt: CLUSTER_CREATED.toISOString() }),
      expected: 'ORPHAN',
    },
    {
      name: 'another cluster in the same VPC could not be read: unverified',
      verdict: () => judge(complete(), [['blue', { kind: 'unverified', error: '403', vpcId: 'vpc-prod' }]]),
      expected: 'UNVERIFIED',
      matches: /cluster blue \(same VPC vpc-prod\) could not be read/,
    },
    {
      name: 'another cluster whose VPC is unknown could not be read: unverified',
      verdict: () => judge(complete(), [['blue', { kind: 'unverified', error: 'DescribeCluster: denied' }]]),
      expected: 'UNVERIFIED',
      matches: /VPC unknown/,
    },
    {
      name: 'an unread cluster in another VPC does not hold it',
      verdict: () => judge(complete(), [['blue', { kind: 'unverified', error: '403', vpcId: 'vpc-other' }]]),
      expected: 'ORPHAN',
    },
    {
      name: 'an unread cluster in the same VPC does not hold an owned one',
      verdict: () =>
        judge(complete(service()), [['blue', { kind: 'unverified', error: '403', vpcId: 'vpc-prod' }]]),
      expected: 'OWNED',
    },
    {
      name: 'cluster not found, another cluster names it: foreign',
      verdict: () => judge({ kind: 'cluster-not-found' }, [['staging', staging(service())]]),
      expected: 'FOREIGN',
    },
  ];
  for (const { name, verdict, expected, matches } of cases) {
    it(name, () => {
      const result = verdict();
      assert.equal(result.kind, expected, JSON.stringify(result));
      if (matches) assert.match(JSON.stringify(result), matches);
    });
  }
});

describe('decideVerdict: every kind of owner', () => {
  const gateway = (overrides: Partial<GatewaySummary> = {}): GatewaySummary => ({
    namespace: 'infra',
    name: 'public-gw',
    gatewayClassName: 'aws-nlb',
    addresses: [DNS],
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
  const withKinds = (
    kinds: Partial<Pick<Extract<ClusterRead, { kind: 'complete' }>, 'gateways' | 'ingresses'>>,
  ) => ({ ...complete(), ...kinds }) as ClusterRead;
  const items = <T extends { namespace: string; name: string }>(...list: T[]) => ({
    kind: 'complete' as const,
    items: new Map(list.map((item) => [`${item.namespace}/${item.name}`, item])),
  });
  const GATEWAY_OWNER: Owner = { ...OWNER, kind: 'Gateway', namespace: 'infra', name: 'public-gw' };
  const INGRESS_OWNER: Owner = { ...OWNER, kind: 'Ingress' };
  const GROUP_OWNER: Owner = { ...OWNER, kind: 'IngressGroup', namespace: undefined, name: 'shop-public' };
  const cases: { name: string; owner: Owner; read: ClusterRead; expected: Verdict }[] = [
    {
      name: 'Gateway exists and names this NLB',
      owner: GATEWAY_OWNER,
      read: withKinds({ gateways: items(gateway()) }),
      expected: { kind: 'OWNED' },
    },
    {
      name: 'Gateway without an address yet (provisioning)',
      owner: GATEWAY_OWNER,
      read: withKinds({ gateways: items(gateway({ addresses: [] })) }),
      expected: { kind: 'OWNED' },
    },
    {
      name: 'Gateway gone',
      owner: GATEWAY_OWNER,
      read: withKinds({ gateways: items() }),
      expected: { kind: 'ORPHAN', reason: 'GATEWAY_NOT_FOUND' },
    },
    {
      name: 'Gateway names another load balancer',
      owner: GATEWAY_OWNER,
      read: withKinds({
        gateways: items(gateway({ addresses: ['k8s-infra-other-123.elb.eu-west-1.amazonaws.com'] })),
      }),
      expected: { kind: 'ORPHAN', reason: 'GATEWAY_USES_OTHER_LOAD_BALANCER' },
    },
    {
      name: 'Gateways not read: unverified, whatever the Services say',
      owner: GATEWAY_OWNER,
      read: complete(),
      expected: { kind: 'UNVERIFIED', error: 'the Gateways of cluster prod were not read' },
    },
    {
      name: 'Gateway list forbidden: unverified',
      owner: GATEWAY_OWNER,
      read: withKinds({ gateways: { kind: 'unverified', error: 'HTTP 403 Forbidden' } }),
      expected: {
        kind: 'UNVERIFIED',
        error: 'the Gateways of cluster prod could not be read: HTTP 403 Forbidden',
      },
    },
    {
      name: 'Ingress exists',
      owner: INGRESS_OWNER,
      read: withKinds({ ingresses: items(ingress()) }),
      expected: { kind: 'OWNED' },
    },
    {
      name: 'Ingress gone',
      owner: INGRESS_OWNER,
      read: withKinds({ ingresses: items() }),
      expected: { kind: 'ORPHAN', reason: 'INGRESS_NOT_FOUND' },
    },
    {
      name: 'IngressGroup with a member in any namespace',
      owner: GROUP_OWNER,
      read: withKinds({ ingresses: items(ingress({ namespace: 'other', groupName: 'shop-public' })) }),
      expected: { kind: 'OWNED' },
    },
    {
      name: 'IngressGroup empty (Ingresses of other groups only)',
      owner: GROUP_OWNER,
      read: withKinds({ ingresses: items(ingress({ groupName: 'internal' }), ingress({ name: 'api' })) }),
      expected: { kind: 'ORPHAN', reason: 'INGRESS_GROUP_EMPTY' },
    },
    {
      name: 'Ingresses could not be read: the group is unverified',
      owner: GROUP_OWNER,
      read: withKinds({ ingresses: { kind: 'unverified', error: 'timeout' } }),
      expected: { kind: 'UNVERIFIED', error: 'the Ingresses of cluster prod could not be read: timeout' },
    },
  ];
  for (const { name, owner, read, expected } of cases) {
    it(name, () => {
      assert.deepEqual(judge(read, [], { ...SUBJECT, owner }), expected);
    });
  }
  it("a Service's status naming a Gateway-owned NLB makes it foreign", () => {
    const read = { ...complete(service()), gateways: items<GatewaySummary>() } as ClusterRead;
    assert.equal(judge(read, [], { ...SUBJECT, owner: GATEWAY_OWNER }).kind, 'FOREIGN');
  });
});
