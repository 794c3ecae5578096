import type { FootprintKind } from '../inventory/footprint-inventory';
import type { FootprintAction, FootprintUse } from './footprint-plan';

/** Actions that promise or carry out a deletion: what the circuit breaker counts. */
export const DESTRUCTIVE_ACTIONS: ReadonlySet<FootprintAction['kind']> = new Set([
  'mark',
  'announce',
  'delete',
  'finish',
]);

/** One planned resource as the circuit breaker sees it; several make one unit. */
export interface BreakerMember {
  /** What the breaker counts as one (see breakerUnit): a load balancer with its footprint, or footprint alone. */
  readonly unit: string;
  readonly cluster: string;
  readonly kind: 'load-balancer' | FootprintKind;
  /** ARN, `sg-` or `sgr-` ID. */
  readonly id: string;
  readonly name: string;
  /** Who its tags say it was made for (`Service shop/web`, `load balancer a1b2…`). */
  readonly owner: string;
  readonly action: FootprintAction['kind'];
  readonly tags: Readonly<Record<string, string>>;
  /** Footprint without a load balancer that goes with it: known from its tags alone. */
  readonly alone: boolean;
  /** Nothing can depend on it (see nothingDependsOn): it does not count. */
  readonly dependsOnNothing: boolean;
}

/** A cluster whose breaker tripped: why, and every member of every unit it counted as a change. */
export interface TrippedBreaker {
  readonly reason: string;
  readonly counted: readonly BreakerMember[];
}

/**
 * A security group attached to no network interface, used by no load balancer and
 * referenced by no rule (all read completely): deleting it can break nothing, so
 * however many there are, they say nothing about whether the cluster was misread —
 * and anyone who may create security groups can make them, tagged as any cluster's.
 * Anything else, or a use not read, can be depended on.
 */
export function nothingDependsOn(kind: BreakerMember['kind'], use: FootprintUse | undefined): boolean {
  if (kind !== 'security-group' || use === undefined) return false;
  const none = (fact: readonly unknown[] | Error | undefined) => Array.isArray(fact) && fact.length === 0;
  return (
    none(use.networkInterfaces) &&
    none(use.referencingRules) &&
    (use.loadBalancers === undefined || none(use.loadBalancers))
  );
}

/**
 * The circuit breaker: in a cluster where the sweep would mark, re-announce or
 * delete more than `maxOrphanRatio` of its units — at least `minimum`, whatever
 * the cluster's size — a misread (wrong endpoint, wrong name, missing RBAC, a
 * re-created cluster) or resources made to look like the cluster's are far more
 * likely than that many real leftovers at once. Units nothing can depend on are
 * not counted, neither as changes nor in the cluster's size.
 */
export function judgeBreaker(
  members: readonly BreakerMember[],
  maxOrphanRatio: number,
  minimum: number,
): Map<string, TrippedBreaker> {
  const units = new Map<string, BreakerMember[]>();
  for (const member of members) units.set(member.unit, [...(units.get(member.unit) ?? []), member]);
  const byCluster = new Map<string, BreakerMember[][]>();
  const uncounted = new Map<string, number>();
  for (const unit of units.values()) {
    const cluster = unit[0]?.cluster ?? '';
    if (unit.every((member) => member.dependsOnNothing)) {
      uncounted.set(cluster, (uncounted.get(cluster) ?? 0) + 1);
      continue;
    }
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), unit]);
  }
  const tripped = new Map<string, TrippedBreaker>();
  for (const [cluster, ofCluster] of byCluster) {
    const changes = ofCluster.filter((unit) => unit.some((member) => DESTRUCTIVE_ACTIONS.has(member.action)));
    if (changes.length < minimum || changes.length <= maxOrphanRatio * ofCluster.length) continue;
    const counted = changes.flat().filter((member) => DESTRUCTIVE_ACTIONS.has(member.action));
    tripped.set(cluster, {
      reason: breakerReason(cluster, changes, ofCluster, maxOrphanRatio, uncounted.get(cluster) ?? 0),
      counted,
    });
  }
  return tripped;
}

function breakerReason(
  cluster: string,
  changes: readonly BreakerMember[][],
  ofCluster: readonly BreakerMember[][],
  maxOrphanRatio: number,
  uncounted: number,
): string {
  const noun = ofCluster.some((unit) => unit.some((member) => member.kind !== 'load-balancer'))
    ? 'load balancers (with their footprint) and footprint owners'
    : 'load balancers';
  const alone = changes.filter((unit) => unit.every((member) => member.alone)).length;
  const withLoadBalancer = changes.length - alone;
  const advice: string[] = [];
  if (withLoadBalancer > 0) {
    advice.push(
      `${withLoadBalancer} are load balancers: check the cluster name, endpoint and RBAC of the janitor's read`,
    );
  }
  if (alone > 0) {
    advice.push(
      `${alone} are footprint known only from its tags (target groups, security groups, node rules without a load balancer), ` +
        'which anyone who may create or tag such resources can make: check who made the ones listed',
    );
  }
  const notCounted =
    uncounted > 0
      ? ` ${uncounted} security groups attached to nothing and referenced by no rule were not counted: nothing can depend on them.`
      : '';
  return (
    `circuit breaker: this sweep would mark or delete ${changes.length} of the ${ofCluster.length} ${noun} of cluster ${cluster} ` +
    `(more than ${Math.round(maxOrphanRatio * 100)}%); nothing of this cluster is marked or deleted. ` +
    `Of those, ${advice.join('; ')}. If they are all real leftovers, raise --max-orphan-ratio for one sweep.${notCounted}`
  );
}
