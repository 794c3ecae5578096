import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ClusterRead, decideVerdict, type Verdict } from '../../lambda/decisions/verdict';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import type { ServiceOwner } from '../../lambda/ownership/owner';

const OWNER: ServiceOwner = {
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

function complete(...services: ServiceSummary[]): ClusterRead {
  return { kind: 'complete', services: new Map(services.map((s) => [`${s.namespace}/${s.name}`, s])) };
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
    read: complete(service({ namespace: 'other' })),
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
      assert.deepEqual(decideVerdict(OWNER, DNS, read), expected);
    });
  }
});
