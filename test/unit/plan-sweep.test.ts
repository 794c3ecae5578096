import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceClaims } from '../../lambda/decisions/service-claims';
import type { ClusterRead, SweepReads } from '../../lambda/decisions/verdict';
import type { Inventory } from '../../lambda/inventory/load-balancer-inventory';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import {
  classifyInventory,
  confirmPlan,
  type JudgedLoadBalancer,
  planOne,
  planSweep,
} from '../../lambda/sweep/plan-sweep';

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

describe('confirmPlan: a tag-phase candidate decided again on its fresh tags', () => {
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
    it(name, () => {
      const confirmation = confirmPlan(planned, fresh, sweepReads, NOW, SETTINGS);
      if (expected === 'confirmed') {
        assert.equal(confirmation.kind, 'confirmed');
        assert.deepEqual(confirmation.kind === 'confirmed' && confirmation.plan.action, planned.action);
        assert.deepEqual(confirmation.kind === 'confirmed' && confirmation.plan.tags, fresh);
      } else {
        assert.equal(confirmation.kind === 'changed' && confirmation.outcome, expected);
        assert.match(confirmation.kind === 'changed' ? confirmation.detail : '', detail ?? /./);
      }
    });
  }

  it('an unmark whose Service is back stays an unmark on the same marks, and is deferred once they are gone', () => {
    const marked = nlb('prod', 'back', {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'default/back',
      ...marks,
    });
    const withService = reads([['prod', live('back')]]);
    const unmark = planOne(marked, withService, NOW, SETTINGS);
    assert.equal(unmark.action.kind, 'unmark');
    assert.equal(confirmPlan(unmark, marked.tags, withService, NOW, SETTINGS).kind, 'confirmed');
    const cleared = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'default/back' };
    const again = confirmPlan(unmark, cleared, withService, NOW, SETTINGS);
    assert.equal(again.kind === 'changed' && again.outcome, 'deferred');
  });
});
