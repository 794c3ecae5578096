import { deleteTargetGroup } from '../actions/load-balancer-deletion';
import { judgeLeftoverTargetGroup } from '../decisions/leftover-target-group';
import type { ClusterRead } from '../decisions/verdict';
import { readDetachedTargetGroups } from '../inventory/detached-target-groups';
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

  // Only the janitor's own leftovers; their clusters are read if this sweep has not yet.
  const ours = detached.filter((group) => group.tags[DELETED_WITH_TAG] !== undefined);
  for (const group of ours) {
    const ownership = readTaggedOwner(group.tags);
    if (ownership.kind === 'owned-by' && !input.reads.has(ownership.owner.cluster)) {
      input.reads.set(ownership.owner.cluster, await input.readCluster(ownership.owner.cluster));
    }
  }
  const reads = new Map<string, ClusterRead>([...input.reads].map(([name, result]) => [name, result.read]));

  const entries: TargetGroupEntry[] = [];
  for (const group of ours) {
    const decision = judgeLeftoverTargetGroup({
      tags: group.tags,
      loadBalancerArns: input.loadBalancerArns,
      reads,
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
