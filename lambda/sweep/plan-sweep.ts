import { type LifecycleAction, planLifecycle } from '../decisions/lifecycle';
import { type ClusterRead, decideVerdict, type Verdict } from '../decisions/verdict';
import type { LoadBalancer } from '../inventory/load-balancer';
import type { Inventory } from '../inventory/load-balancer-inventory';
import { readOwnership, type ServiceOwner } from '../ownership/owner';
import type { SkippedEntry } from '../report/sweep-report';
import type { SweepSettings } from './sweep-settings';

/** A network load balancer whose tags name a Service owner in a selected cluster. */
export interface JudgedLoadBalancer {
  readonly loadBalancer: LoadBalancer;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: ServiceOwner;
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

/**
 * Decides what to do with every judged load balancer, then applies the circuit
 * breaker: a cluster where too many load balancers turn orphaned at once is far
 * more likely misread (wrong endpoint, wrong name, missing RBAC) than emptied,
 * so none of its marks or deletions go ahead.
 */
export function planSweep(
  judged: readonly JudgedLoadBalancer[],
  reads: ReadonlyMap<string, ClusterRead>,
  now: Date,
  settings: Pick<SweepSettings, 'gracePeriodMs' | 'deleteWhenClusterMissing' | 'maxOrphanRatio'>,
  breakerMinimum: number,
): { plans: Plan[]; heldBack: Map<string, string> } {
  const plans = judged.map((item): Plan => {
    const read = reads.get(item.owner.cluster) ?? { kind: 'unverified', error: 'the cluster was not read' };
    const verdict = decideVerdict(item.owner, item.loadBalancer.dnsName, read);
    return { ...item, verdict, action: planLifecycle(verdict, item.tags, now, settings) };
  });

  const heldBack = new Map<string, string>();
  for (const cluster of new Set(plans.map((plan) => plan.owner.cluster))) {
    const ofCluster = plans.filter((plan) => plan.owner.cluster === cluster);
    const newlyOrphaned = ofCluster.filter((plan) => plan.action.kind === 'mark').length;
    if (newlyOrphaned >= breakerMinimum && newlyOrphaned > settings.maxOrphanRatio * ofCluster.length) {
      heldBack.set(
        cluster,
        `circuit breaker: ${newlyOrphaned} of the ${ofCluster.length} load balancers of cluster ${cluster} would be newly marked ` +
          `(more than ${Math.round(settings.maxOrphanRatio * 100)}%); nothing of this cluster is marked or deleted. ` +
          'Check the cluster name, endpoint and RBAC, or raise --max-orphan-ratio.',
      );
    }
  }
  if (heldBack.size === 0) return { plans, heldBack };
  return {
    plans: plans.map((plan) => {
      const reason = heldBack.get(plan.owner.cluster);
      // Removing marks only delays deletions, so recoveries still go ahead.
      if (reason === undefined || plan.action.kind === 'unmark' || plan.action.kind === 'keep') return plan;
      return { ...plan, action: { kind: 'hold', error: reason } };
    }),
    heldBack,
  };
}
