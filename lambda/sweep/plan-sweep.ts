import {
  type BreakerMember,
  DESTRUCTIVE_ACTIONS,
  judgeBreaker,
  nothingDependsOn,
} from '../decisions/circuit-breaker';
import type { FootprintAction, FootprintUse } from '../decisions/footprint-plan';
import { describeFootprintOwner, footprintCluster } from '../decisions/footprint-verdict';
import { type LifecycleAction, planLifecycle } from '../decisions/lifecycle';
import { ServiceClaims } from '../decisions/service-claims';
import { decideVerdict, type SweepReads, type Verdict } from '../decisions/verdict';
import type { LoadBalancer } from '../inventory/load-balancer';
import type { Inventory } from '../inventory/load-balancer-inventory';
import type { ClusterRead } from '../kubernetes/cluster-read';
import type { ClusterReadResult } from '../kubernetes/cluster-reader';
import { describeOwner, type Owner, readOwnership } from '../ownership/owner';
import type { SkippedEntry } from '../report/sweep-report';
import type { FootprintPlan } from './plan-footprint';
import type { SweepSettings } from './sweep-settings';

/** A network load balancer whose tags name a Service owner in a selected cluster. */
export interface JudgedLoadBalancer {
  readonly loadBalancer: LoadBalancer;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: Owner;
}

export interface Plan extends JudgedLoadBalancer {
  readonly verdict: Verdict;
  readonly action: LifecycleAction;
}

/** Splits the inventory into load balancers to judge and those left alone. */
export function classifyInventory(
  inventory: Inventory,
  selectedClusters: readonly string[] | undefined,
): { judged: JudgedLoadBalancer[]; skipped: SkippedEntry[] } {
  const judged: JudgedLoadBalancer[] = [];
  const skipped: SkippedEntry[] = [];
  for (const { loadBalancer, tags } of inventory.networkLoadBalancers) {
    const { arn, name } = loadBalancer;
    if (tags === undefined) {
      skipped.push({ arn, name, reason: 'TAGS_NOT_RETURNED' });
      continue;
    }
    const ownership = readOwnership(loadBalancer.type, tags);
    if (ownership.kind === 'skipped') {
      skipped.push({ arn, name, reason: ownership.reason });
    } else if (selectedClusters !== undefined && !selectedClusters.includes(ownership.owner.cluster)) {
      skipped.push({ arn, name, reason: 'CLUSTER_NOT_SELECTED' });
    } else {
      judged.push({ loadBalancer, tags, owner: ownership.owner });
    }
  }
  return { judged, skipped };
}

/** What the decisions need of the sweep's cluster reads: each read, and every Service status of all of them. */
export function toSweepReads(reads: ReadonlyMap<string, ClusterReadResult>): SweepReads {
  const byCluster = new Map<string, ClusterRead>([...reads].map(([name, result]) => [name, result.read]));
  return { byCluster, claims: ServiceClaims.fromReads(byCluster) };
}

/** Judges one load balancer and decides what to do with it. */
export function planOne(
  item: JudgedLoadBalancer,
  reads: SweepReads,
  now: Date,
  settings: Pick<SweepSettings, 'gracePeriodMs' | 'deleteWhenClusterMissing'>,
): Plan {
  const { loadBalancer, owner } = item;
  const verdict = decideVerdict(
    { owner, dnsName: loadBalancer.dnsName, vpcId: loadBalancer.vpcId, createdAt: loadBalancer.createdAt },
    reads,
  );
  return { ...item, verdict, action: planLifecycle(verdict, item.tags, now, settings) };
}

/**
 * Decides what to do with every judged load balancer, then applies the circuit
 * breaker over them and the footprint planned beside them (target groups,
 * security groups, node rules): in a cluster where the sweep would mark,
 * re-announce or delete more than the allowed share of its resources — at least
 * two, whatever the cluster's size — a misread (wrong endpoint, wrong name,
 * missing RBAC, a re-created cluster) is far more likely than that many real
 * leftovers at once, so none of those changes go ahead, of any kind.
 */
export function planSweep(
  judged: readonly JudgedLoadBalancer[],
  reads: SweepReads,
  now: Date,
  settings: Pick<SweepSettings, 'gracePeriodMs' | 'deleteWhenClusterMissing' | 'maxOrphanRatio'>,
  breakerMinimum: number,
  footprint: readonly FootprintPlan[] = [],
): ReturnType<typeof applyBreaker> {
  const plans = judged.map((item) => planOne(item, reads, now, settings));
  return applyBreaker(plans, footprint, settings, breakerMinimum);
}

/**
 * The circuit breaker over planned load balancers and footprint (see planSweep;
 * the rule is judgeBreaker's). What it counts is what a person would: a load
 * balancer together with the footprint that goes with it is one thing; footprint
 * without a load balancer counts once per owner. Footprint that stays as it is
 * does not dilute the count, and a security group nothing can depend on (its
 * `uses`, read before) is not counted. `counted` lists, per tripped cluster,
 * every member of every unit it counted as a change, for the report.
 */
export function applyBreaker(
  plans: readonly Plan[],
  footprint: readonly FootprintPlan[],
  settings: Pick<SweepSettings, 'maxOrphanRatio'>,
  breakerMinimum: number,
  uses: ReadonlyMap<string, FootprintUse> = new Map(),
): {
  plans: Plan[];
  footprintPlans: FootprintPlan[];
  heldBack: Map<string, string>;
  counted: Map<string, readonly BreakerMember[]>;
} {
  const members = [
    ...plans.map(loadBalancerMember),
    ...footprint
      .filter((plan) => plan.action.kind !== 'keep')
      .map((plan) => footprintMember(plan, uses.get(plan.item.id))),
  ];
  const tripped = judgeBreaker(members, settings.maxOrphanRatio, breakerMinimum);
  const heldBack = new Map([...tripped].map(([cluster, { reason }]) => [cluster, reason]));
  const counted = new Map([...tripped].map(([cluster, breaker]) => [cluster, breaker.counted]));
  if (heldBack.size === 0) return { plans: [...plans], footprintPlans: [...footprint], heldBack, counted };
  // Removing marks and waiting only delay deletions, so they still go ahead.
  const hold = <T extends { readonly action: FootprintAction }>(plan: T, cluster: string): T => {
    const reason = heldBack.get(cluster);
    if (reason === undefined || !DESTRUCTIVE_ACTIONS.has(plan.action.kind)) return plan;
    return { ...plan, action: { kind: 'hold', error: reason } };
  };
  return {
    plans: plans.map((plan) => hold(plan, plan.owner.cluster)),
    footprintPlans: footprint.map((plan) => hold(plan, footprintCluster(plan.owner))),
    heldBack,
    counted,
  };
}

function loadBalancerMember(plan: Plan): BreakerMember {
  return {
    unit: breakerUnit(plan),
    cluster: plan.owner.cluster,
    kind: 'load-balancer',
    id: plan.loadBalancer.arn,
    name: plan.loadBalancer.name,
    owner: describeOwner(plan.owner),
    action: plan.action.kind,
    tags: plan.tags,
    alone: false,
    dependsOnNothing: false,
  };
}

function footprintMember(plan: FootprintPlan, use: FootprintUse | undefined): BreakerMember {
  return {
    unit: breakerUnit(plan),
    cluster: footprintCluster(plan.owner),
    kind: plan.item.kind,
    id: plan.item.id,
    name: plan.item.name,
    owner: describeFootprintOwner(plan.owner),
    action: plan.action.kind,
    tags: plan.item.tags,
    alone: plan.loadBalancerArn === undefined,
    dependsOnNothing: plan.loadBalancerArn === undefined && nothingDependsOn(plan.item.kind, use),
  };
}

/**
 * What the breaker and the deletion limits count as one: a load balancer with
 * the footprint that goes with it; without one, a security group, or the target
 * groups (or node rules) of one owner.
 */
export function breakerUnit(plan: Plan | FootprintPlan): string {
  // Always within its own cluster: footprint of one cluster never joins, nor moves, another's count.
  if ('loadBalancer' in plan) return `${plan.owner.cluster}: load balancer ${plan.loadBalancer.arn}`;
  const cluster = footprintCluster(plan.owner);
  if (plan.loadBalancerArn !== undefined) return `${cluster}: load balancer ${plan.loadBalancerArn}`;
  // A controller makes one front-end group per load balancer: several of one owner are each counted.
  if (plan.item.kind === 'security-group') return `${cluster}: security group ${plan.item.id}`;
  return `${cluster}: ${describeFootprintOwner(plan.owner)}`;
}
