import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  judgeLeftoverTargetGroup,
  type LeftoverDecision,
} from '../../lambda/decisions/leftover-target-group';
import type { ClusterRead } from '../../lambda/decisions/verdict';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';

const DELETED = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/gone/1';
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
  expected: LeftoverDecision['kind'];
  detail?: RegExp;
}[] = [
  {
    name: "a leftover of the janitor's deletion, its Service gone: delete",
    tags: LEFTOVER,
    expected: 'delete',
  },
  {
    name: 'a leftover whose cluster EKS no longer knows: delete',
    tags: LEFTOVER,
    reads: [['prod', { kind: 'cluster-not-found' }]],
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
  for (const { name, tags, loadBalancers, reads, expected, detail } of cases) {
    it(name, () => {
      const decision = judgeLeftoverTargetGroup({
        tags,
        loadBalancerArns: new Set(loadBalancers ?? []),
        reads: new Map(reads ?? [['prod', read('default/kubernetes')]]),
      });
      assert.equal(decision.kind, expected, JSON.stringify(decision));
      if (detail) assert.match(JSON.stringify(decision), detail);
    });
  }
});
