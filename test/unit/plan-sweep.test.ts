import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterRead } from '../../lambda/decisions/verdict';
import type { Inventory } from '../../lambda/inventory/load-balancer-inventory';
import type { ServiceSummary } from '../../lambda/kubernetes/service-summary';
import { classifyInventory, type JudgedLoadBalancer, planSweep } from '../../lambda/sweep/plan-sweep';

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
      createdAt: undefined,
    },
    tags,
    owner: { controller: 'aws-load-balancer-controller', cluster, namespace: 'default', name: service },
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
  return { kind: 'complete', services };
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('planSweep circuit breaker', () => {
  const cases = [
    { name: '5 of 9 newly orphaned trips it', orphaned: 5, owned: 4, trips: true },
    { name: '5 of 10 (exactly half) does not trip it', orphaned: 5, owned: 5, trips: false },
    { name: '4 of 4 (fewer than 5) does not trip it', orphaned: 4, owned: 0, trips: false },
    { name: '10 of 10 trips it', orphaned: 10, owned: 0, trips: true },
  ];
  for (const { name, orphaned, owned, trips } of cases) {
    it(name, () => {
      const gone = names('gone', orphaned);
      const kept = names('kept', owned);
      const judged = [...gone, ...kept].map((service) => nlb('prod', service));
      const { plans, heldBack } = planSweep(judged, new Map([['prod', live(...kept)]]), NOW, SETTINGS, 5);
      assert.equal(heldBack.has('prod'), trips);
      const marks = plans.filter((plan) => plan.action.kind === 'mark').length;
      assert.equal(marks, trips ? 0 : orphaned);
      if (trips) assert.match(heldBack.get('prod') ?? '', /circuit breaker: \d+ of the \d+ load balancers/);
    });
  }

  it('counts only new marks: already-marked orphans do not trip it', () => {
    const marked = {
      'nlb-janitor/suspect-since': '2026-11-23T00:00:00Z',
      'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
    };
    const judged = names('old', 8).map((service) => nlb('prod', service, marked));
    const { heldBack, plans } = planSweep(judged, new Map([['prod', live()]]), NOW, SETTINGS, 5);
    assert.equal(heldBack.size, 0);
    assert.ok(plans.every((plan) => plan.action.kind === 'wait'));
  });

  it('a higher ratio lets the same sweep through', () => {
    const judged = names('gone', 6).map((service) => nlb('prod', service));
    const { heldBack } = planSweep(
      judged,
      new Map([['prod', live()]]),
      NOW,
      { ...SETTINGS, maxOrphanRatio: 1 },
      5,
    );
    assert.equal(heldBack.size, 0);
  });

  it('holds only the tripped cluster; recoveries there still go ahead', () => {
    const marked = {
      'nlb-janitor/suspect-since': '2026-11-23T00:00:00Z',
      'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
    };
    const judged = [
      ...names('gone', 6).map((service) => nlb('prod', service)),
      nlb('prod', 'back', marked),
      nlb('staging', 'lonely'),
    ];
    const reads = new Map([
      ['prod', live('back')],
      ['staging', live()],
    ]);
    const { plans, heldBack } = planSweep(judged, reads, NOW, SETTINGS, 5);
    assert.deepEqual([...heldBack.keys()], ['prod']);
    const byName = new Map(plans.map((plan) => [plan.loadBalancer.name, plan.action.kind]));
    assert.equal(byName.get('gone0'), 'hold');
    assert.equal(byName.get('back'), 'unmark');
    assert.equal(byName.get('lonely'), 'mark');
  });

  it('a cluster with no read is held', () => {
    const { plans } = planSweep([nlb('prod', 'a')], new Map(), NOW, SETTINGS, 5);
    assert.deepEqual(plans[0]?.action, { kind: 'hold', error: 'the cluster was not read' });
  });
});

describe('classifyInventory', () => {
  it('skips untagged answers, unowned ones and unselected clusters', () => {
    const base = nlb('prod', 'x').loadBalancer;
    const inventory: Inventory = {
      loadBalancerCount: 5,
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
