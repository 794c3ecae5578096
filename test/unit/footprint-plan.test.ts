import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FootprintAction,
  type FootprintGate,
  type FootprintPlanInput,
  type FootprintUse,
  gateFootprint,
  planFootprint,
  rulesToRevoke,
} from '../../lambda/decisions/footprint-plan';
import { decideFootprintVerdict } from '../../lambda/decisions/footprint-verdict';
import type { LifecyclePolicy } from '../../lambda/decisions/lifecycle';
import { ServiceClaims } from '../../lambda/decisions/service-claims';
import type { Verdict } from '../../lambda/decisions/verdict';
import type { FootprintInventory, FootprintItem } from '../../lambda/inventory/footprint-inventory';
import type { ReferencingRule } from '../../lambda/inventory/footprint-uses';
import type { ClusterRead } from '../../lambda/kubernetes/cluster-read';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import { readFootprintOwner } from '../../lambda/ownership/footprint-owner';
import { classifyFootprint } from '../../lambda/sweep/plan-footprint';

const NOW = new Date('2026-11-24T18:00:00.456Z');
const DAY = 86_400_000;
const POLICY: LifecyclePolicy = { gracePeriodMs: 7 * DAY, deleteWhenClusterMissing: false };
const OPT_IN: LifecyclePolicy = { ...POLICY, deleteWhenClusterMissing: true };
const SCOPE = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const DELETED = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/gone/0123456789abcdef';
const GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-shop-web/0123456789abcdef';
const OWNER_TAGS = {
  'elbv2.k8s.aws/cluster': 'prod',
  'service.k8s.aws/stack': 'shop/web',
  'service.k8s.aws/resource': 'shop/web:80',
};
const LEFTOVER = { ...OWNER_TAGS, 'nlb-janitor/deleted-with': DELETED };

const ORPHAN: Verdict = { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' };
const OWNED: Verdict = { kind: 'OWNED' };
const MISSING: Verdict = { kind: 'CLUSTER_NOT_FOUND' };
const UNVERIFIED: Verdict = { kind: 'UNVERIFIED', error: '403 Forbidden' };
const FOREIGN: Verdict = { kind: 'FOREIGN', reason: 'NOT_IN_CLUSTER_VPC', detail: 'vpc-2' };

function plan(
  verdict: Verdict,
  tags: Record<string, string>,
  options: {
    loadBalancers?: string[];
    policy?: LifecyclePolicy;
    id?: string;
    kind?: FootprintPlanInput['kind'];
  } = {},
): FootprintAction {
  const input: FootprintPlanInput = {
    id: options.id ?? GROUP,
    kind: options.kind ?? 'target-group',
    tags,
    verdict,
    loadBalancerArns: new Set(options.loadBalancers ?? []),
    arnScope: SCOPE,
  };
  return planFootprint(input, NOW, options.policy ?? POLICY);
}

const FULL_GRACE_MARK: FootprintAction = {
  kind: 'mark',
  replaces: undefined,
  reason: 'SERVICE_NOT_FOUND',
  since: iso(NOW.getTime()),
  deletesAt: iso(NOW.getTime() + 7 * DAY),
};

describe('planFootprint: verdict and tags', () => {
  const cases: {
    name: string;
    verdict: Verdict;
    tags: Record<string, string>;
    loadBalancers?: string[];
    policy?: LifecyclePolicy;
    expected: FootprintAction | FootprintAction['kind'];
    detail?: RegExp;
  }[] = [
    // No deleted-with: the load balancer's lifecycle, unchanged.
    {
      name: 'no deleted-with, orphan, unmarked: marked with a full grace period',
      verdict: ORPHAN,
      tags: OWNER_TAGS,
      expected: FULL_GRACE_MARK,
    },
    {
      name: 'no deleted-with, orphan, unmarked, with the opt-in: still a full grace period, never finished',
      verdict: ORPHAN,
      tags: OWNER_TAGS,
      policy: OPT_IN,
      expected: FULL_GRACE_MARK,
    },
    {
      name: 'no deleted-with, cluster not found: marked (CLUSTER_NOT_FOUND), not finished',
      verdict: MISSING,
      tags: OWNER_TAGS,
      policy: OPT_IN,
      expected: { ...FULL_GRACE_MARK, reason: 'CLUSTER_NOT_FOUND' } as FootprintAction,
    },
    { name: 'no deleted-with, owned: keep', verdict: OWNED, tags: OWNER_TAGS, expected: { kind: 'keep' } },
    {
      name: 'no deleted-with, unverified: hold',
      verdict: UNVERIFIED,
      tags: OWNER_TAGS,
      expected: { kind: 'hold', error: '403 Forbidden' },
    },
    {
      name: 'no deleted-with, foreign: spare',
      verdict: FOREIGN,
      tags: OWNER_TAGS,
      expected: { kind: 'spare', reason: 'NOT_IN_CLUSTER_VPC', detail: 'vpc-2' },
    },
    {
      name: 'no deleted-with, a load balancer ARN set that names nothing of it: still the plain lifecycle',
      verdict: ORPHAN,
      tags: OWNER_TAGS,
      loadBalancers: [DELETED],
      expected: FULL_GRACE_MARK,
    },
    // deleted-with: the janitor's own promise, finished without a new grace period.
    {
      name: 'deleted-with naming a load balancer that still exists: leave',
      verdict: ORPHAN,
      tags: LEFTOVER,
      loadBalancers: [DELETED],
      expected: { kind: 'leave', detail: `the load balancer it names, ${DELETED}, still exists` },
    },
    {
      name: 'deleted-with naming a load balancer of another account: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('123456789012', '999999999999') },
      expected: 'leave',
      detail: /names no network load balancer of its account and region: not the janitor's/,
    },
    {
      name: 'deleted-with naming a load balancer of another region: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('eu-west-1', 'us-east-1') },
      expected: 'leave',
      detail: /names no network load balancer/,
    },
    {
      name: 'deleted-with naming a load balancer of another partition: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('arn:aws:', 'arn:aws-cn:') },
      expected: 'leave',
    },
    {
      name: 'deleted-with naming an application load balancer: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('/net/', '/app/') },
      expected: 'leave',
    },
    {
      name: 'deleted-with naming a target group, not a load balancer: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': GROUP },
      expected: 'leave',
    },
    {
      name: 'deleted-with that is no ARN at all: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': 'yes' },
      expected: 'leave',
    },
    {
      name: 'deleted-with empty: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': '' },
      expected: 'leave',
    },
    {
      name: 'deleted-with with a malformed id (upper-case hex): leave',
      verdict: ORPHAN,
      tags: {
        ...LEFTOVER,
        'nlb-janitor/deleted-with': DELETED.replace('0123456789abcdef', '0123456789ABCDEF'),
      },
      expected: 'leave',
    },
    {
      name: 'deleted-with with something after the id: leave',
      verdict: ORPHAN,
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': `${DELETED}/x` },
      expected: 'leave',
    },
    {
      name: 'deleted-with, verdict unverified: hold',
      verdict: UNVERIFIED,
      tags: LEFTOVER,
      expected: { kind: 'hold', error: '403 Forbidden' },
    },
    {
      name: 'deleted-with, verdict foreign: spare',
      verdict: FOREIGN,
      tags: LEFTOVER,
      expected: { kind: 'spare', reason: 'NOT_IN_CLUSTER_VPC', detail: 'vpc-2' },
    },
    {
      name: 'deleted-with, owner back: leave',
      verdict: OWNED,
      tags: LEFTOVER,
      expected: 'leave',
      detail: /its owner exists again/,
    },
    {
      name: 'deleted-with, cluster not found, without the opt-in: leave',
      verdict: MISSING,
      tags: LEFTOVER,
      expected: 'leave',
      detail: /--delete-when-cluster-missing/,
    },
    {
      name: 'deleted-with, cluster not found, with the opt-in: finish',
      verdict: MISSING,
      tags: LEFTOVER,
      policy: OPT_IN,
      expected: { kind: 'finish', deletedWith: DELETED },
    },
    {
      name: 'deleted-with, orphan: finish, no new grace period',
      verdict: ORPHAN,
      tags: LEFTOVER,
      expected: { kind: 'finish', deletedWith: DELETED },
    },
    {
      name: 'deleted-with, orphan of another reason: finish',
      verdict: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
      tags: LEFTOVER,
      expected: { kind: 'finish', deletedWith: DELETED },
    },
  ];
  for (const { name, verdict, tags, loadBalancers, policy, expected, detail } of cases) {
    it(name, () => {
      const action = plan(verdict, tags, { loadBalancers, policy });
      if (typeof expected === 'string') assert.equal(action.kind, expected, JSON.stringify(action));
      else assert.deepEqual(action, expected);
      if (detail) assert.match(JSON.stringify(action), detail);
    });
  }

  for (const kind of ['security-group', 'node-rule'] as const) {
    it(`a deleted-with on a ${kind} (the janitor writes it on target groups only) is no promise: left alone`, () => {
      const action = plan(ORPHAN, { ...OWNER_TAGS, 'nlb-janitor/deleted-with': DELETED }, { kind });
      assert.equal(action.kind, 'leave');
      assert.match(JSON.stringify(action), /writes only on target groups/);
    });
  }

  it('a deleted-with of the sweep partition, region and account other than aws is recognised', () => {
    const arn =
      'arn:aws-cn:elasticloadbalancing:cn-north-1:111122223333:loadbalancer/net/gone/0123456789abcdef';
    const action = planFootprint(
      {
        id: 'tg-0123',
        kind: 'target-group',
        tags: { ...OWNER_TAGS, 'nlb-janitor/deleted-with': arn },
        verdict: ORPHAN,
        loadBalancerArns: new Set(),
        arnScope: { partition: 'aws-cn', region: 'cn-north-1', account: '111122223333' },
      },
      NOW,
      POLICY,
    );
    assert.deepEqual(action, { kind: 'finish', deletedWith: arn });
  });
});

// The cases of the old leftover-target-group test (judgeLeftoverTargetGroup), on the
// functions that replaced it: the verdict from the cluster reads, then planFootprint.
// Registered targets moved to gateFootprint, selected clusters and unreadable owner
// tags to the classification (readFootprintOwner, classifyFootprint): see below.
describe('planFootprint: the old leftover target group cases, through the verdict', () => {
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
    vpcId?: string;
    policy?: LifecyclePolicy;
    expected: FootprintAction['kind'];
    detail?: RegExp;
  }[] = [
    {
      name: "a deleted-with naming a load balancer of another account: not the janitor's",
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('123456789012', '999999999999') },
      expected: 'leave',
      detail: /names no network load balancer of its account and region/,
    },
    {
      name: "a deleted-with naming an application load balancer: not the janitor's",
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': DELETED.replace('/net/', '/app/') },
      expected: 'leave',
    },
    {
      name: 'a deleted-with that is no ARN at all',
      tags: { ...LEFTOVER, 'nlb-janitor/deleted-with': 'yes' },
      expected: 'leave',
    },
    {
      name: 'EKS does not know its cluster, without the opt-in: leave',
      tags: LEFTOVER,
      reads: [['prod', { kind: 'cluster-not-found' }]],
      expected: 'leave',
      detail: /--delete-when-cluster-missing/,
    },
    {
      name: 'in another VPC than its cluster: spared',
      tags: LEFTOVER,
      vpcId: 'vpc-2',
      expected: 'spare',
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
      detail: /cluster blue \(same VPC vpc-1\) could not be read/,
    },
    {
      name: "a leftover of the janitor's deletion, its Service gone: finish",
      tags: LEFTOVER,
      expected: 'finish',
    },
    {
      name: 'a leftover whose cluster EKS no longer knows, with the opt-in: finish',
      tags: LEFTOVER,
      reads: [['prod', { kind: 'cluster-not-found' }]],
      policy: OPT_IN,
      expected: 'finish',
    },
    {
      // Was `not-ours`: a target group without deleted-with now goes through the lifecycle.
      name: 'no deleted-with tag, its Service gone: marked, a full grace period (was: not ours)',
      tags: OWNER_TAGS,
      expected: 'mark',
    },
    {
      name: 'no deleted-with tag, its Service there (a TargetGroupBinding in progress): keep',
      tags: OWNER_TAGS,
      reads: [['prod', read('shop/web')]],
      expected: 'keep',
    },
    {
      name: 'the load balancer it names still exists: leave',
      tags: LEFTOVER,
      loadBalancers: [DELETED],
      expected: 'leave',
      detail: /still exists/,
    },
    {
      name: 'its Service is back (the controller may reuse it): leave',
      tags: LEFTOVER,
      reads: [['prod', read('shop/web')]],
      expected: 'leave',
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
  ];

  for (const { name, tags, loadBalancers, reads, vpcId, policy, expected, detail } of cases) {
    it(name, () => {
      const byCluster = new Map(reads ?? [['prod', read('default/kubernetes')]]);
      const item: FootprintItem = {
        kind: 'target-group',
        id: GROUP,
        name: 'k8s-shop-web',
        vpcId: vpcId ?? 'vpc-1',
        tags,
      };
      const ownership = readFootprintOwner(item);
      assert.equal(ownership.kind, 'owned-by', JSON.stringify(ownership));
      if (ownership.kind !== 'owned-by') return;
      const verdict = decideFootprintVerdict(
        { owner: ownership.owner, vpcId: item.vpcId, loadBalancerNames: new Set() },
        { byCluster, claims: ServiceClaims.fromReads(byCluster) },
      );
      const action = planFootprint(
        {
          id: GROUP,
          kind: 'target-group',
          tags,
          verdict,
          loadBalancerArns: new Set(loadBalancers ?? []),
          arnScope: SCOPE,
        },
        NOW,
        policy ?? POLICY,
      );
      assert.equal(action.kind, expected, JSON.stringify(action));
      if (detail) assert.match(JSON.stringify(action), detail);
    });
  }

  // Moved: no longer planFootprint's business.
  it('targets registered in it (a TargetGroupBinding being filled): in use, by gateFootprint', () => {
    const gate = gateFootprint({ registeredTargets: 2, loadBalancers: [] });
    assert.equal(gate.kind, 'in-use');
    assert.match(JSON.stringify(gate), /2 targets are registered/);
  });
  it('an ignore tag: skipped by readFootprintOwner, never judged', () => {
    const item: FootprintItem = {
      kind: 'target-group',
      id: GROUP,
      name: 'k8s-shop-web',
      vpcId: 'vpc-1',
      tags: { ...LEFTOVER, 'nlb-janitor/ignore': 'yes' },
    };
    assert.deepEqual(readFootprintOwner(item), { kind: 'skipped', reason: 'IGNORE_TAG' });
  });
  it('owner tags gone: skipped by readFootprintOwner, never judged', () => {
    const item: FootprintItem = {
      kind: 'target-group',
      id: GROUP,
      name: 'k8s-shop-web',
      vpcId: 'vpc-1',
      tags: { 'nlb-janitor/deleted-with': DELETED },
    };
    assert.deepEqual(readFootprintOwner(item), { kind: 'skipped', reason: 'NO_OWNER_TAGS' });
  });
  it('its cluster is not among those swept: not judged, by classifyFootprint', () => {
    const item: FootprintItem = {
      kind: 'target-group',
      id: GROUP,
      name: 'k8s-shop-web',
      vpcId: 'vpc-1',
      tags: LEFTOVER,
    };
    const inventory: FootprintInventory = {
      'target-group': { kind: 'complete', items: [item], calls: 1 },
      'security-group': { kind: 'complete', items: [], calls: 1 },
      'node-rule': { kind: 'complete', items: [], calls: 1 },
      portsInUse: [],
    };
    assert.deepEqual(classifyFootprint(inventory, ['staging']), { judged: [], errors: [] });
    assert.equal(classifyFootprint(inventory, ['prod']).judged.length, 1);
    assert.equal(classifyFootprint(inventory, undefined).judged.length, 1);
  });
});

describe('gateFootprint', () => {
  const rule = (description: string, ruleId = 'sgr-1'): ReferencingRule => ({
    ruleId,
    groupId: 'sg-node',
    isEgress: false,
    description,
  });
  const SHARED = rule('elbv2.k8s.aws/targetGroupBinding=shared');
  const denied = new Error('UnauthorizedOperation');

  const cases: { name: string; use: FootprintUse; expected: FootprintGate['kind']; detail?: RegExp }[] = [
    { name: 'nothing read: proceed', use: {}, expected: 'proceed' },
    {
      name: 'every fact clear: proceed',
      use: { registeredTargets: 0, loadBalancers: [], networkInterfaces: [], referencingRules: [] },
      expected: 'proceed',
    },
    { name: 'one registered target: in use', use: { registeredTargets: 1 }, expected: 'in-use' },
    {
      name: 'registered targets: in use, even with load balancers and interfaces to wait for',
      use: { registeredTargets: 3, loadBalancers: ['lb'], networkInterfaces: ['eni-1'] },
      expected: 'in-use',
      detail: /3 targets are registered/,
    },
    {
      name: 'registered targets unreadable: unknown',
      use: { registeredTargets: denied },
      expected: 'unknown',
      detail: /registered targets: UnauthorizedOperation/,
    },
    {
      name: 'load balancers unreadable: unknown',
      use: { loadBalancers: denied },
      expected: 'unknown',
      detail: /load balancers: UnauthorizedOperation/,
    },
    {
      name: 'network interfaces unreadable: unknown',
      use: { networkInterfaces: denied },
      expected: 'unknown',
      detail: /network interfaces: UnauthorizedOperation/,
    },
    {
      name: 'referencing rules unreadable: unknown',
      use: { referencingRules: denied },
      expected: 'unknown',
      detail: /rules that reference it: UnauthorizedOperation/,
    },
    {
      name: 'an error beside a load balancer to wait for: unknown, not wait',
      use: { loadBalancers: ['lb'], networkInterfaces: denied },
      expected: 'unknown',
    },
    {
      name: 'an error beside registered targets: in use wins',
      use: { registeredTargets: 2, loadBalancers: denied },
      expected: 'in-use',
    },
    {
      name: "an error beside someone's rule: in use wins",
      use: { registeredTargets: denied, referencingRules: [rule('ssh from bastion')] },
      expected: 'in-use',
    },
    {
      name: 'a rule someone wrote references it: in use, and says which',
      use: { referencingRules: [rule('ssh from bastion', 'sgr-9')] },
      expected: 'in-use',
      detail: /rule sgr-9 of sg-node references it/,
    },
    {
      name: 'a rule without a description references it: in use',
      use: { referencingRules: [rule('')] },
      expected: 'in-use',
    },
    {
      name: "a rule almost the controller's (another value): in use",
      use: { referencingRules: [rule('elbv2.k8s.aws/targetGroupBinding=owned')] },
      expected: 'in-use',
    },
    {
      name: "a rule almost the controller's (trailing space): in use",
      use: { referencingRules: [rule('elbv2.k8s.aws/targetGroupBinding=shared ')] },
      expected: 'in-use',
    },
    {
      name: "the controller's shared rule beside someone's: in use",
      use: { referencingRules: [SHARED, rule('mine', 'sgr-2')] },
      expected: 'in-use',
    },
    {
      name: "only the controller's shared rules: proceed (they are revoked with it)",
      use: { referencingRules: [SHARED, rule('elbv2.k8s.aws/targetGroupBinding=shared', 'sgr-2')] },
      expected: 'proceed',
    },
    {
      name: 'a load balancer still uses it: wait',
      use: { loadBalancers: ['k8s-shop-web'], networkInterfaces: [] },
      expected: 'wait',
      detail: /goes after load balancer k8s-shop-web, which still stands/,
    },
    {
      name: 'network interfaces still use it: wait',
      use: { networkInterfaces: ['eni-1', 'eni-2', 'eni-3', 'eni-4', 'eni-5'] },
      expected: 'wait',
      detail: /eni-1, eni-2, eni-3 and 2 more still use it/,
    },
    {
      name: "a network interface and the controller's shared rule: wait",
      use: { networkInterfaces: ['eni-1'], referencingRules: [SHARED] },
      expected: 'wait',
    },
  ];
  for (const { name, use, expected, detail } of cases) {
    it(name, () => {
      const gate = gateFootprint(use);
      assert.equal(gate.kind, expected, JSON.stringify(gate));
      if (detail) assert.match(JSON.stringify(gate), detail);
    });
  }

  it('proceeds with nothing left unchecked', () => {
    assert.deepEqual(gateFootprint({ registeredTargets: 0 }), { kind: 'proceed', notChecked: [] });
  });
});

describe('rulesToRevoke', () => {
  const rule = (ruleId: string, description: string): ReferencingRule => ({
    ruleId,
    groupId: 'sg-node',
    isEgress: ruleId.endsWith('e'),
    description,
  });
  const shared = rule('sgr-1', 'elbv2.k8s.aws/targetGroupBinding=shared');
  const sharedEgress = rule('sgr-2e', 'elbv2.k8s.aws/targetGroupBinding=shared');
  const cases: { name: string; use: FootprintUse; expected: ReferencingRule[] }[] = [
    { name: 'no rules read', use: {}, expected: [] },
    { name: 'rules unreadable', use: { referencingRules: new Error('denied') }, expected: [] },
    { name: 'no rules', use: { referencingRules: [] }, expected: [] },
    {
      name: "only the controller's shared rules, ingress and egress",
      use: { referencingRules: [shared, sharedEgress] },
      expected: [shared, sharedEgress],
    },
    {
      name: "someone's rules are never revoked",
      use: { referencingRules: [rule('sgr-3', 'ssh'), shared, rule('sgr-4', '')] },
      expected: [shared],
    },
  ];
  for (const { name, use, expected } of cases) {
    it(name, () => {
      assert.deepEqual(rulesToRevoke(use), expected);
    });
  }
});
