import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FootprintAction } from '../../lambda/decisions/footprint-plan';
import { ServiceClaims } from '../../lambda/decisions/service-claims';
import type { SweepReads } from '../../lambda/decisions/verdict';
import type { FootprintKind } from '../../lambda/inventory/footprint-inventory';
import type { Inventory } from '../../lambda/inventory/load-balancer-inventory';
import type { ClusterRead } from '../../lambda/kubernetes/cluster-read';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import type { FootprintOwner } from '../../lambda/ownership/footprint-owner';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import { confirmForTagging } from '../../lambda/sweep/lifecycle-checks';
import { LOAD_BALANCER_KIND } from '../../lambda/sweep/load-balancer-kind';
import { type FootprintPlan, planFootprintItem } from '../../lambda/sweep/plan-footprint';
import {
  classifyInventory,
  type JudgedLoadBalancer,
  planOne,
  planSweep,
} from '../../lambda/sweep/plan-sweep';
import { testContext } from '../support/sweep-context';

const NOW = new Date('2026-11-24T18:00:00Z');
const SETTINGS = { gracePeriodMs: 7 * 86_400_000, deleteWhenClusterMissing: false, maxOrphanRatio: 0.5 };

function nlb(cluster: string, service: string, tags: Record<string, string> = {}): JudgedLoadBalancer {
  return {
    loadBalancer: {
      arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/${service}/1`,
      name: service,
      type: 'network',
      dnsName: `${service}.elb.eu-west-1.amazonaws.com`,
      scheme: 'internet-facing',
      vpcId: 'vpc-1',
      createdAt: '2026-06-01T00:00:00.000Z',
    },
    tags,
    owner: {
      kind: 'Service',
      controller: 'aws-load-balancer-controller',
      cluster,
      namespace: 'default',
      name: service,
    },
  };
}

function live(...names: string[]): ClusterRead {
  const services = new Map<string, ServiceSummary>(
    names.map((name) => [
      `default/${name}`,
      {
        namespace: 'default',
        name,
        uid: name,
        type: 'LoadBalancer',
        ingressHostnames: [`${name}.elb.eu-west-1.amazonaws.com`],
        ingressIps: [],
      },
    ]),
  );
  services.set('default/kubernetes', {
    namespace: 'default',
    name: 'kubernetes',
    uid: 'k',
    type: 'ClusterIP',
    ingressHostnames: [],
    ingressIps: [],
  });
  return {
    kind: 'complete',
    services,
    identity: { vpcId: 'vpc-1', createdAt: new Date('2026-01-01T00:00:00Z') },
    readAt: NOW,
  };
}

function reads(entries: [string, ClusterRead][]): SweepReads {
  const byCluster = new Map(entries);
  return { byCluster, claims: ServiceClaims.fromReads(byCluster) };
}

/** A promise the janitor made and announced `days` ago, 7 days long. */
function promised(days: number): Record<string, string> {
  const since = new Date(NOW.getTime() - days * 86_400_000);
  const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'nlb-janitor/suspect-since': iso(since),
    'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
    'nlb-janitor/deletes-at': iso(new Date(since.getTime() + 7 * 86_400_000)),
    'nlb-janitor/announced-at': iso(since),
  };
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('planSweep circuit breaker', () => {
  const cases = [
    { name: '5 of 9 newly orphaned trips it', orphaned: 5, owned: 4, trips: true },
    { name: '5 of 10 (exactly half) does not trip it', orphaned: 5, owned: 5, trips: false },
    { name: '3 of 3 trips it, however small the cluster', orphaned: 3, owned: 0, trips: true },
    { name: '2 of 2 trips it', orphaned: 2, owned: 0, trips: true },
    { name: '1 of 1 does not: one change is never a mass event', orphaned: 1, owned: 0, trips: false },
    { name: '10 of 10 trips it', orphaned: 10, owned: 0, trips: true },
  ];
  for (const { name, orphaned, owned, trips } of cases) {
    it(name, () => {
      const gone = names('gone', orphaned);
      const kept = names('kept', owned);
      const judged = [...gone, ...kept].map((service) => nlb('prod', service));
      const { plans, heldBack } = planSweep(judged, reads([['prod', live(...kept)]]), NOW, SETTINGS, 2);
      assert.equal(heldBack.has('prod'), trips);
      const marks = plans.filter((plan) => plan.action.kind === 'mark').length;
      assert.equal(marks, trips ? 0 : orphaned);
      if (trips)
        assert.match(
          heldBack.get('prod') ?? '',
          /circuit breaker: this sweep would mark or delete \d+ of the \d+ load balancers/,
        );
    });
  }

  it('waiting promises do not trip it', () => {
    const judged = names('old', 8).map((service) => nlb('prod', service, promised(1)));
    const { heldBack, plans } = planSweep(judged, reads([['prod', live()]]), NOW, SETTINGS, 2);
    assert.equal(heldBack.size, 0);
    assert.ok(plans.every((plan) => plan.action.kind === 'wait'));
  });

  it('due deletions count: marks made one at a time, all due at once, trip it', () => {
    const judged = [
      ...names('old', 6).map((service) => nlb('prod', service, promised(7.5))),
      ...names('kept', 2).map((service) => nlb('prod', service)),
    ];
    const { heldBack, plans } = planSweep(
      judged,
      reads([['prod', live(...names('kept', 2))]]),
      NOW,
      SETTINGS,
      2,
    );
    assert.match(heldBack.get('prod') ?? '', /would mark or delete 6 of the 8/);
    assert.ok(plans.every((plan) => plan.action.kind !== 'delete'));
  });

  it('marks and deletions together count', () => {
    const judged = [
      ...names('due', 2).map((service) => nlb('prod', service, promised(7.5))),
      ...names('new', 2).map((service) => nlb('prod', service)),
      ...names('kept', 3).map((service) => nlb('prod', service)),
    ];
    const { heldBack } = planSweep(judged, reads([['prod', live(...names('kept', 3))]]), NOW, SETTINGS, 2);
    assert.match(heldBack.get('prod') ?? '', /would mark or delete 4 of the 7/);
  });

  it('a higher ratio lets the same sweep through', () => {
    const judged = names('gone', 6).map((service) => nlb('prod', service));
    const { heldBack } = planSweep(
      judged,
      reads([['prod', live()]]),
      NOW,
      { ...SETTINGS, maxOrphanRatio: 1 },
      2,
    );
    assert.equal(heldBack.size, 0);
  });

  it('holds only the tripped cluster; recoveries there still go ahead', () => {
    const judged = [
      ...names('gone', 6).map((service) => nlb('prod', service)),
      nlb('prod', 'back', promised(1)),
      nlb('staging', 'lonely'),
    ];
    const { plans, heldBack } = planSweep(
      judged,
      reads([
        ['prod', live('back')],
        ['staging', live()],
      ]),
      NOW,
      SETTINGS,
      2,
    );
    assert.deepEqual([...heldBack.keys()], ['prod']);
    const byName = new Map(plans.map((plan) => [plan.loadBalancer.name, plan.action.kind]));
    assert.equal(byName.get('gone0'), 'hold');
    assert.equal(byName.get('back'), 'unmark');
    assert.equal(byName.get('lonely'), 'mark');
  });

  it('a cluster with no read is held', () => {
    const { plans } = planSweep([nlb('prod', 'a')], reads([]), NOW, SETTINGS, 2);
    assert.deepEqual(plans[0]?.action, { kind: 'hold', error: 'the cluster was not read' });
  });
});

describe('planSweep circuit breaker: the footprint counted with the load balancers', () => {
  const MARK: FootprintAction = {
    kind: 'mark',
    replaces: undefined,
    reason: 'SERVICE_NOT_FOUND',
    since: '2026-11-24T18:00:00Z',
    deletesAt: '2026-12-01T18:00:00Z',
  };
  const FINISH: FootprintAction = {
    kind: 'finish',
    deletedWith: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/gone/0123456789abcdef',
  };
  const KEEP: FootprintAction = { kind: 'keep' };
  const UNMARK: FootprintAction = { kind: 'unmark', since: '2026-11-20T18:00:00Z' };
  const WAIT: FootprintAction = {
    kind: 'wait',
    reason: 'SERVICE_NOT_FOUND',
    since: '2026-11-20T18:00:00Z',
    deletesAt: '2026-11-27T18:00:00Z',
  };
  const LEAVE: FootprintAction = { kind: 'leave', detail: 'its owner exists again' };

  const serviceOwner = (cluster: string, name: string): FootprintOwner => ({
    kind: 'object',
    owner: {
      kind: 'Service',
      controller: 'aws-load-balancer-controller',
      cluster,
      namespace: 'default',
      name,
    },
  });
  function footprint(
    id: string,
    action: FootprintAction,
    owner: FootprintOwner = serviceOwner('prod', id),
    kind: FootprintKind = 'target-group',
  ): FootprintPlan {
    return {
      item: { kind, id, name: id, vpcId: 'vpc-1', tags: {} },
      owner,
      verdict: action.kind === 'keep' ? { kind: 'OWNED' } : { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
      action,
      loadBalancerArn: undefined,
    };
  }
  const sweep = (judged: JudgedLoadBalancer[], prod: ClusterRead, plans: FootprintPlan[]) =>
    planSweep(
      judged,
      reads([
        ['prod', prod],
        ['staging', live()],
      ]),
      NOW,
      SETTINGS,
      2,
      plans,
    );
  const actionsOf = (plans: readonly FootprintPlan[]) =>
    plans.map((plan) => [plan.item.id, plan.action.kind]);

  const cases: {
    name: string;
    judged: () => JudgedLoadBalancer[];
    prod?: ClusterRead;
    footprint: FootprintPlan[];
    trips: boolean;
    matches?: RegExp;
  }[] = [
    {
      name: 'one load balancer mark and one target group mark of two: trips (neither trips alone)',
      judged: () => [nlb('prod', 'gone')],
      footprint: [footprint('tg', MARK)],
      trips: true,
      matches: /would mark or delete 2 of the 2 load balancers \(with their footprint\) and footprint owners/,
    },
    {
      name: 'one load balancer mark of one: does not trip (the same without footprint)',
      judged: () => [nlb('prod', 'gone')],
      footprint: [],
      trips: false,
    },
    {
      name: 'footprint alone: two finishes of two trip it (finish is destructive)',
      judged: () => [],
      footprint: [footprint('tg1', FINISH), footprint('tg2', FINISH)],
      trips: true,
    },
    {
      name: 'a finish and a load balancer mark of two: trips',
      judged: () => [nlb('prod', 'gone')],
      footprint: [footprint('tg', FINISH)],
      trips: true,
    },
    {
      name: 'marks of every footprint kind count: 3 of 4 trips',
      judged: () => [nlb('prod', 'kept')],
      prod: live('kept'),
      footprint: [
        footprint('tg', MARK),
        footprint('sg', MARK, serviceOwner('prod', 'sg'), 'security-group'),
        footprint('sgr', MARK, { kind: 'load-balancer-name', cluster: 'prod', name: 'a123' }, 'node-rule'),
      ],
      trips: true,
    },
    {
      name: 'waits, unmarks and leaves are not destructive: 1 of 5 does not trip',
      judged: () => [nlb('prod', 'gone')],
      footprint: [footprint('w', WAIT), footprint('u', UNMARK), footprint('l', LEAVE), footprint('k', KEEP)],
      trips: false,
    },
    {
      // Kept footprint says nothing about the read (a live NLB's node rules): it does not dilute the count.
      name: 'footprint kept is not counted: 2 marks of 2 trip, whatever is kept beside them',
      judged: () => [nlb('prod', 'gone')],
      footprint: [footprint('tg', MARK), footprint('k1', KEEP), footprint('k2', KEEP)],
      trips: true,
    },
    {
      name: 'counted per cluster: a cluster owner (backend security group) counts under its cluster',
      judged: () => [nlb('prod', 'gone')],
      footprint: [footprint('sg-backend', MARK, { kind: 'cluster', cluster: 'prod' }, 'security-group')],
      trips: true,
    },
    {
      name: "another cluster's footprint does not count toward prod",
      judged: () => [nlb('prod', 'gone')],
      footprint: [footprint('tg', MARK, serviceOwner('staging', 'tg'))],
      trips: false,
    },
  ];
  for (const { name, judged, prod, footprint: plans, trips, matches } of cases) {
    it(name, () => {
      const result = sweep(judged(), prod ?? live(), plans);
      assert.equal(result.heldBack.has('prod'), trips, JSON.stringify([...result.heldBack]));
      if (matches) assert.match(result.heldBack.get('prod') ?? '', matches);
      if (!trips) {
        assert.deepEqual(result.footprintPlans, plans);
      }
    });
  }

  it('a tripped cluster holds its load balancers and its footprint; unmarks and waits go ahead', () => {
    const judged = [
      nlb('prod', 'gone0'),
      nlb('prod', 'gone1'),
      nlb('prod', 'gone2'),
      nlb('prod', 'back', promised(1)),
    ];
    const plans = [
      footprint('tg-mark', MARK),
      footprint('tg-finish', FINISH),
      footprint('sg-mark', MARK, serviceOwner('prod', 'sg'), 'security-group'),
      footprint('tg-unmark', UNMARK),
      footprint('tg-wait', WAIT),
      footprint('tg-leave', LEAVE),
      footprint('tg-keep', KEEP),
      footprint('staging-mark', MARK, serviceOwner('staging', 'x')),
    ];
    const result = sweep(judged, live('back'), plans);
    assert.deepEqual([...result.heldBack.keys()], ['prod']);
    assert.match(
      result.heldBack.get('prod') ?? '',
      /would mark or delete 6 of the 10 load balancers \(with their footprint\)/,
    );
    assert.deepEqual(
      result.plans.map((plan) => [plan.loadBalancer.name, plan.action.kind]),
      [
        ['gone0', 'hold'],
        ['gone1', 'hold'],
        ['gone2', 'hold'],
        ['back', 'unmark'],
      ],
    );
    assert.deepEqual(actionsOf(result.footprintPlans), [
      ['tg-mark', 'hold'],
      ['tg-finish', 'hold'],
      ['sg-mark', 'hold'],
      ['tg-unmark', 'unmark'],
      ['tg-wait', 'wait'],
      ['tg-leave', 'leave'],
      ['tg-keep', 'keep'],
      ['staging-mark', 'mark'],
    ]);
    const held = result.footprintPlans[0]?.action;
    assert.equal(held?.kind === 'hold' && held.error, result.heldBack.get('prod'));
    // Only the action changes: the plan keeps its item, owner and verdict.
    assert.deepEqual({ ...result.footprintPlans[0], action: MARK }, plans[0]);
    // Untouched plans are the very same objects.
    assert.equal(result.footprintPlans[3], plans[3]);
  });

  it('without footprint plans the result has none, and the breaker speaks of load balancers only', () => {
    const result = planSweep(
      [nlb('prod', 'a'), nlb('prod', 'b')],
      reads([['prod', live()]]),
      NOW,
      SETTINGS,
      2,
    );
    assert.deepEqual(result.footprintPlans, []);
    assert.match(result.heldBack.get('prod') ?? '', /2 of the 2 load balancers of cluster prod/);
  });

  // Every in-tree NLB of a cluster misread as orphaned (an empty Service list from the
  // wrong endpoint): without the footprint, 3 marks of 3 trip the breaker. Their node
  // rules are OWNED only because their load balancers still stand (decideFootprintVerdict
  // asks no cluster then): counted, their 'keep's would dilute the denominator to 3 of
  // 12 and the breaker would not trip. Footprint that stays as it is is not counted.
  it('every in-tree NLB misread as orphaned trips the breaker, whatever node rules go with them', () => {
    const uids = [
      '11111111-1111-1111-1111-111111111111',
      '22222222-2222-2222-2222-222222222222',
      '33333333-3333-3333-3333-333333333333',
    ];
    const inTree = uids.map((uid) => {
      const item = nlb('prod', inTreeLoadBalancerName(uid));
      return { ...item, owner: { ...item.owner, controller: 'in-tree' as const } };
    });
    const sweepReads = reads([['prod', live()]]);
    const facts = {
      loadBalancerArns: new Set(inTree.map((item) => item.loadBalancer.arn)),
      arnScope: { partition: 'aws', region: 'eu-west-1', account: '123456789012' },
      securityGroupUsers: new Map(),
      loadBalancersByName: new Map(inTree.map((item) => [item.loadBalancer.name, item.loadBalancer.arn])),
      portsInUse: [],
      promised: new Map(),
    };
    const nodeRules = inTree.flatMap((item) =>
      ['health', 'client', 'mtu'].map((rule) =>
        planFootprintItem(
          {
            item: {
              kind: 'node-rule',
              id: `sgr-${rule}-${item.loadBalancer.name}`,
              name: `kubernetes.io/rule/nlb/${rule}=${item.loadBalancer.name}`,
              vpcId: 'vpc-1',
              tags: {},
              group: { id: 'sg-nodes', tags: { 'kubernetes.io/cluster/prod': 'owned' } },
            },
            owner: { kind: 'load-balancer-name', cluster: 'prod', name: item.loadBalancer.name },
          },
          sweepReads,
          facts,
          NOW,
          SETTINGS,
        ),
      ),
    );
    assert.ok(nodeRules.every((plan) => plan.action.kind === 'keep'));
    // The same misread without the footprint trips the breaker.
    assert.ok(planSweep(inTree, sweepReads, NOW, SETTINGS, 2).heldBack.has('prod'));
    const { heldBack, plans } = planSweep(inTree, sweepReads, NOW, SETTINGS, 2, nodeRules);
    assert.ok(heldBack.has('prod'), 'the breaker did not trip');
    assert.ok(plans.every((plan) => plan.action.kind === 'hold'));
  });
});

describe('classifyInventory', () => {
  it('skips untagged answers, unowned ones and unselected clusters', () => {
    const base = nlb('prod', 'x').loadBalancer;
    const inventory: Inventory = {
      loadBalancerCount: 5,
      allLoadBalancers: new Map(),
      securityGroupUsers: new Map(),
      tagSource: { kind: 'describe-tags', reason: 'a test' },
      networkLoadBalancers: [
        { loadBalancer: { ...base, arn: 'a1', name: 'no-answer' }, tags: undefined },
        { loadBalancer: { ...base, arn: 'a2', name: 'plain' }, tags: { team: 'x' } },
        {
          loadBalancer: { ...base, arn: 'a3', name: 'staging' },
          tags: { 'elbv2.k8s.aws/cluster': 'staging', 'service.k8s.aws/stack': 'a/b' },
        },
        {
          loadBalancer: { ...base, arn: 'a4', name: 'prod' },
          tags: { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'a/b' },
        },
      ],
    };
    const { judged, skipped } = classifyInventory(inventory, ['prod']);
    assert.deepEqual(
      judged.map((item) => item.loadBalancer.name),
      ['prod'],
    );
    assert.deepEqual(
      skipped.map((entry) => [entry.name, entry.reason]),
      [
        ['no-answer', 'TAGS_NOT_RETURNED'],
        ['plain', 'NO_OWNER_TAGS'],
        ['staging', 'CLUSTER_NOT_SELECTED'],
      ],
    );
  });
});

describe('confirmForTagging: a load balancer the tag step decides again on its fresh tags', () => {
  const ctx = testContext({ now: NOW, settings: SETTINGS });
  const confirmPlan = (
    plan: ReturnType<typeof planOne>,
    tags: Record<string, string> | undefined,
    on: SweepReads,
  ) =>
    confirmForTagging(ctx, LOAD_BALANCER_KIND, plan, tags === undefined ? undefined : { ...plan, tags }, on);
  const OWNER_TAGS = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'default/gone' };
  const item = nlb('prod', 'gone', OWNER_TAGS);
  const sweepReads = reads([['prod', live()]]);
  const planned = planOne(item, sweepReads, NOW, SETTINGS);
  const marks = {
    'nlb-janitor/suspect-since': '2026-11-20T18:00:00Z',
    'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
    'nlb-janitor/deletes-at': '2026-11-27T18:00:00Z',
    'nlb-janitor/announced-at': '2026-11-20T18:00:00Z',
  };

  it('the plan is a mark to begin with', () => {
    assert.equal(planned.action.kind, 'mark');
  });

  const table: [string, Record<string, string> | undefined, string, RegExp | undefined][] = [
    ['same tags: confirmed', OWNER_TAGS, 'confirmed', undefined],
    ['a tag of no concern added: confirmed', { ...OWNER_TAGS, team: 'shop' }, 'confirmed', undefined],
    ['not answered: deferred', undefined, 'deferred', /could not be read again/],
    ['ignore tag added: kept', { ...OWNER_TAGS, 'nlb-janitor/ignore': 'true' }, 'kept', /IGNORE_TAG/],
    [
      'owner changed to another Service: kept',
      { ...OWNER_TAGS, 'service.k8s.aws/stack': 'default/other' },
      'kept',
      /owner tags changed/,
    ],
    ['owner tags removed: kept', {}, 'kept', /NO_OWNER_TAGS/],
    ['marked meanwhile (another run): deferred', { ...OWNER_TAGS, ...marks }, 'deferred', /now: wait/],
  ];
  for (const [name, fresh, expected, detail] of table) {
    it(name, async () => {
      const confirmation = await confirmPlan(planned, fresh, sweepReads);
      if (expected === 'confirmed') {
        assert.equal(confirmation.kind, 'confirmed');
        assert.deepEqual(confirmation.kind === 'confirmed' && confirmation.plan.action, planned.action);
        assert.deepEqual(confirmation.kind === 'confirmed' && confirmation.plan.tags, fresh);
      } else {
        assert.equal(confirmation.kind === 'changed' && confirmation.result.outcome, expected);
        assert.match(
          confirmation.kind === 'changed' ? (confirmation.result.detail ?? '') : '',
          detail ?? /./,
        );
      }
    });
  }

  it('an unmark whose Service is back stays an unmark on the same marks, and is deferred once they are gone', async () => {
    const marked = nlb('prod', 'back', {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'default/back',
      ...marks,
    });
    const withService = reads([['prod', live('back')]]);
    const unmark = planOne(marked, withService, NOW, SETTINGS);
    assert.equal(unmark.action.kind, 'unmark');
    assert.equal((await confirmPlan(unmark, marked.tags, withService)).kind, 'confirmed');
    const cleared = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'default/back' };
    const again = await confirmPlan(unmark, cleared, withService);
    assert.equal(again.kind === 'changed' && again.result.outcome, 'deferred');
  });
});
