import { deleteTargetGroup } from '../actions/load-balancer-deletion';
import { judgeLeftoverTargetGroup } from '../decisions/leftover-target-group';
import { ServiceClaims } from '../decisions/service-claims';
import type { ClusterRead } from '../decisions/verdict';
import { readDetachedTargetGroups, registeredTargets } from '../inventory/detached-target-groups';
import type { ClusterReadResult } from '../kubernetes/cluster-reader';
import { ownerKey, readTaggedOwner } from '../ownership/owner';
import { DELETED_WITH_TAG } from '../ownership/tag-keys';
import type { TargetGroupEntry } from '../report/sweep-report';
import { errorText } from '../util/error-text';
import type { SweepDependencies } from './run-sweep';
import type { SweepSettings, SweepTuning } from './sweep-settings';

export interface LeftoverPhaseInput {
  readonly deps: SweepDependencies;
  readonly settings: SweepSettings;
  readonly tuning: SweepTuning;
  /** Every network load balancer ARN in this sweep's inventory. */
  readonly loadBalancerArns: ReadonlySet<string>;
  /** The sweep's cluster reads; a leftover's cluster not read yet is read here. */
  readonly reads: Map<string, ClusterReadResult>;
  readonly readCluster: (name: string) => Promise<ClusterReadResult>;
  /** Clusters the circuit breaker holds in this sweep: none of their leftovers is deleted either. */
  readonly heldBack: ReadonlyMap<string, string>;
  /** Load balancers this sweep deleted, counted against the same limits. */
  readonly deletedLoadBalancers: number;
  readonly outOfTime: () => boolean;
  readonly errors: string[];
}

/**
 * Finishes deletions the janitor began: target groups it tagged `deleted-with`
 * right before deleting their load balancer, which could not be deleted then
 * (still in use for a moment, the function ran out of time). A failed listing
 * changes nothing and is reported.
 */
export async function applyLeftoverTargetGroupPhase(input: LeftoverPhaseInput): Promise<TargetGroupEntry[]> {
  const { deps, settings } = input;
  let detached: Awaited<ReturnType<typeof readDetachedTargetGroups>>;
  try {
    detached = await readDetachedTargetGroups(deps.elbv2, input.tuning.describeConcurrency);
  } catch (error) {
    input.errors.push(`target groups could not be listed, so no leftover was deleted: ${errorText(error)}`);
    return [];
  }

  // Their clusters are read if this sweep has not yet.
  // Only the janitor's own leftovers, of the clusters this sweep covers (as for load balancers, others are not its business).
  const ours = detached.filter((group) => {
    if (group.tags[DELETED_WITH_TAG] === undefined) return false;
    const ownership = readTaggedOwner(group.tags);
    return (
      settings.clusters === undefined ||
      (ownership.kind === 'owned-by' && settings.clusters.includes(ownership.owner.cluster))
    );
  });
  for (const group of ours) {
    const ownership = readTaggedOwner(group.tags);
    if (ownership.kind === 'owned-by' && !input.reads.has(ownership.owner.cluster)) {
      input.reads.set(ownership.owner.cluster, await input.readCluster(ownership.owner.cluster));
    }
  }
  const reads = new Map<string, ClusterRead>([...input.reads].map(([name, result]) => [name, result.read]));
  const claims = ServiceClaims.fromReads(reads);
  let registered: ReadonlyMap<string, number | Error>;
  try {
    registered = await registeredTargets(
      deps.elbv2,
      ours.map((group) => group.arn),
    );
  } catch (error) {
    input.errors.push(`target health could not be read, so no leftover was deleted: ${errorText(error)}`);
    return [];
  }

  // The same limits as load balancers: per sweep, per cluster, and never in a held cluster.
  let deletions = input.deletedLoadBalancers;
  const perCluster = new Map<string, number>();
  const entries: TargetGroupEntry[] = [];
  for (const group of ours) {
    const targets = registered.get(group.arn);
    const decision = judgeLeftoverTargetGroup({
      arn: group.arn,
      vpcId: group.vpcId,
      tags: group.tags,
      registeredTargets: typeof targets === 'number' ? targets : 0,
      loadBalancerArns: input.loadBalancerArns,
      reads,
      claims,
      selectedClusters: settings.clusters,
      deleteWhenClusterMissing: settings.deleteWhenClusterMissing,
    });
    if (decision.kind === 'not-ours') continue;
    const ownership = readTaggedOwner(group.tags);
    const owner = ownership.kind === 'owned-by' ? ownership.owner : undefined;
    const entry = {
      arn: group.arn,
      name: group.name,
      cluster: owner?.cluster,
      owner: owner === undefined ? undefined : ownerKey(owner),
      dryRun: false,
    };
    if (decision.kind !== 'delete') {
      entries.push({
        ...entry,
        outcome: decision.kind === 'hold' ? 'held' : 'kept',
        detail: decision.detail,
      });
      continue;
    }
    const detail = `left behind when the janitor deleted ${decision.deletedWith}`;
    const heldBack = input.heldBack.get(decision.cluster);
    if (targets === undefined || targets instanceof Error) {
      entries.push({
        ...entry,
        outcome: 'held',
        detail: `its targets could not be read: ${errorText(targets)}`,
      });
      continue;
    }
    if (heldBack !== undefined) {
      entries.push({ ...entry, outcome: 'held', detail: heldBack });
      continue;
    }
    const ofCluster = perCluster.get(decision.cluster) ?? 0;
    if (deletions >= settings.maxDeletions || ofCluster >= settings.maxDeletionsPerCluster) {
      entries.push({
        ...entry,
        outcome: 'deferred',
        detail: 'the deletion limits of this sweep are reached',
      });
      continue;
    }
    deletions += 1;
    perCluster.set(decision.cluster, ofCluster + 1);
    if (settings.dryRun) {
      entries.push({ ...entry, outcome: 'deleted', dryRun: true, detail });
      continue;
    }
    if (input.outOfTime()) {
      entries.push({ ...entry, outcome: 'deferred', detail: 'the time budget ran out before deleting' });
      continue;
    }
    const error = await deleteTargetGroup(deps.elbv2, group.arn, {
      sleep: deps.sleep,
      targetGroupRetryDelaysMs: input.tuning.targetGroupRetryDelaysMs,
      outOfTime: input.outOfTime,
    });
    entries.push(
      error === undefined
        ? { ...entry, outcome: 'deleted', detail }
        : { ...entry, outcome: 'failed', detail: `${detail}; ${error}` },
    );
  }
  return entries;
}
