import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BreakerMember, judgeBreaker, nothingDependsOn } from '../../lambda/decisions/circuit-breaker';
import type { FootprintUse } from '../../lambda/decisions/footprint-plan';

const RULE = { ruleId: 'sgr-1', groupId: 'sg-nodes', isEgress: false, description: 'ssh' };

describe('nothingDependsOn: what no one can depend on does not count in the breaker', () => {
  const cases: {
    name: string;
    kind: BreakerMember['kind'];
    use: FootprintUse | undefined;
    expected: boolean;
  }[] = [
    {
      name: 'a security group attached to nothing, referenced by no rule',
      kind: 'security-group',
      use: { loadBalancers: [], networkInterfaces: [], referencingRules: [] },
      expected: true,
    },
    {
      name: 'a security group on a network interface',
      kind: 'security-group',
      use: { loadBalancers: [], networkInterfaces: ['eni-1'], referencingRules: [] },
      expected: false,
    },
    {
      name: "a security group another group's rule references",
      kind: 'security-group',
      use: { loadBalancers: [], networkInterfaces: [], referencingRules: [RULE] },
      expected: false,
    },
    {
      name: 'a security group of a load balancer',
      kind: 'security-group',
      use: { loadBalancers: ['arn:lb'], networkInterfaces: [], referencingRules: [] },
      expected: false,
    },
    {
      name: 'a security group whose interfaces could not be read',
      kind: 'security-group',
      use: { loadBalancers: [], networkInterfaces: new Error('throttled'), referencingRules: [] },
      expected: false,
    },
    {
      name: 'a security group whose rules could not be read',
      kind: 'security-group',
      use: { loadBalancers: [], networkInterfaces: [], referencingRules: new Error('denied') },
      expected: false,
    },
    {
      name: 'a security group whose uses were not read',
      kind: 'security-group',
      use: undefined,
      expected: false,
    },
    {
      name: 'a target group with no targets (a TargetGroupBinding or an ASG may still use it)',
      kind: 'target-group',
      use: { registeredTargets: 0, loadBalancers: [] },
      expected: false,
    },
    { name: 'a node rule (it opens a port)', kind: 'node-rule', use: {}, expected: false },
    { name: 'a load balancer', kind: 'load-balancer', use: {}, expected: false },
  ];
  for (const { name, kind, use, expected } of cases) {
    it(`${name}: ${expected ? 'nothing depends on it' : 'counted'}`, () => {
      assert.equal(nothingDependsOn(kind, use), expected);
    });
  }
});

let next = 0;
function member(overrides: Partial<BreakerMember>): BreakerMember {
  next += 1;
  const kind = overrides.kind ?? 'load-balancer';
  return {
    unit: overrides.unit ?? `prod: ${kind} ${next}`,
    cluster: 'prod',
    kind,
    id: `id-${next}`,
    name: `name-${next}`,
    owner: `Service shop/s-${next}`,
    action: 'keep',
    tags: { 'elbv2.k8s.aws/cluster': 'prod' },
    alone: kind !== 'load-balancer',
    dependsOnNothing: false,
    ...overrides,
  };
}
const live = (count: number) => Array.from({ length: count }, () => member({ action: 'keep' }));
const orphans = (count: number) => Array.from({ length: count }, () => member({ action: 'mark' }));
const decoys = (count: number, dependsOnNothing = true) =>
  Array.from({ length: count }, () => member({ kind: 'security-group', action: 'mark', dependsOnNothing }));

describe('judgeBreaker', () => {
  const cases: { name: string; members: BreakerMember[]; trips: boolean; says?: RegExp[] }[] = [
    { name: 'one orphan of four load balancers', members: [...live(3), ...orphans(1)], trips: false },
    {
      name: 'four decoy security groups nothing uses, beside one orphan of four',
      members: [...live(3), ...orphans(1), ...decoys(4)],
      trips: false,
    },
    {
      name: 'four decoy security groups someone attached or referenced',
      members: [...live(3), ...orphans(1), ...decoys(4, false)],
      trips: true,
      says: [
        /would mark or delete 5 of the 8 load balancers \(with their footprint\) and footprint owners of cluster prod/,
        /1 are load balancers: check the cluster name, endpoint and RBAC/,
        /4 are footprint known only from its tags .* anyone who may create or tag such resources can make: check who made the ones listed/,
      ],
    },
    {
      name: 'a misread cluster: every load balancer orphaned, with decoys beside',
      members: [...orphans(4), ...decoys(2)],
      trips: true,
      says: [
        /would mark or delete 4 of the 4 load balancers of cluster prod/,
        /Of those, 4 are load balancers: check the cluster name, endpoint and RBAC of the janitor's read\./,
        /2 security groups attached to nothing and referenced by no rule were not counted/,
      ],
    },
    { name: 'only decoys that nothing uses', members: decoys(6), trips: false },
  ];
  for (const { name, members, trips, says } of cases) {
    it(`${name}: ${trips ? 'trips' : 'holds nothing'}`, () => {
      const tripped = judgeBreaker(members, 0.5, 2);
      assert.equal(tripped.has('prod'), trips);
      for (const pattern of says ?? []) assert.match(tripped.get('prod')?.reason ?? '', pattern);
    });
  }

  it('lists every member of every unit it counted as a change, footprint included, and nothing kept', () => {
    const lb = member({ action: 'delete', unit: 'prod: load balancer A' });
    const itsGroup = member({
      kind: 'security-group',
      action: 'delete',
      unit: 'prod: load balancer A',
      alone: false,
    });
    const alone = member({ kind: 'target-group', action: 'mark' });
    const kept = member({ action: 'keep' });
    const tripped = judgeBreaker([lb, itsGroup, alone, kept], 0.5, 2);
    assert.deepEqual(
      tripped.get('prod')?.counted.map((counted) => counted.id),
      [lb.id, itsGroup.id, alone.id],
    );
  });

  it('counts each cluster on its own', () => {
    const other = Array.from({ length: 3 }, () => ({ ...member({ action: 'mark' }), cluster: 'staging' }));
    const tripped = judgeBreaker([...live(3), ...orphans(1), ...other], 0.5, 2);
    assert.deepEqual([...tripped.keys()], ['staging']);
  });
});
