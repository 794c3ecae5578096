import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeTags, isNotFound } from '../inventory/describe-tags';
import { readOwnership, readTaggedOwner, type ServiceOwner, sameOwner } from '../ownership/owner';
import { SUSPECT_SINCE_TAG } from '../ownership/tag-keys';
import { errorText } from '../util/error-text';

export interface DeletionCandidate {
  readonly arn: string;
  readonly owner: ServiceOwner;
  /** The suspect-since value the decision was made on. */
  readonly suspectSince: string;
}

export type DeletionResult =
  | {
      readonly kind: 'deleted';
      /** The load balancer's tags as read right before deleting. */
      readonly tags: Readonly<Record<string, string>>;
      /** Target groups deleted, or that a dry run would delete. */
      readonly targetGroups: readonly string[];
      readonly targetGroupErrors: readonly string[];
    }
  | { readonly kind: 'already-gone' }
  | { readonly kind: 'kept'; readonly detail: string }
  | { readonly kind: 'needs-manual-action'; readonly detail: string }
  | { readonly kind: 'failed'; readonly error: string };

export interface DeletionOptions {
  /** Run every read and check, delete nothing. */
  readonly dryRun: boolean;
  readonly sleep: (ms: number) => Promise<void>;
  /** Waits between tries of a target group still in use just after its load balancer went. */
  readonly targetGroupRetryDelaysMs: readonly number[];
}

/**
 * Deletes one load balancer the sweep has just proven orphaned, then the target
 * groups its listeners forwarded to that carry the same owner. Reads first: the
 * tags must still name the same owner and the same suspect-since (no one added
 * the ignore tag or recovered it meanwhile), and deletion protection must be off.
 */
export async function deleteOrphanedLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  candidate: DeletionCandidate,
  options: DeletionOptions,
): Promise<DeletionResult> {
  let tags: Record<string, string>;
  let targetGroups: string[];
  try {
    const fresh = await describeTags(elbv2, [candidate.arn], 1);
    const current = fresh.get(candidate.arn);
    if (current === undefined) return { kind: 'already-gone' };
    tags = current;
    const changed = changeSinceDecision(candidate, tags);
    if (changed !== undefined) return { kind: 'kept', detail: changed };
    if (await deletionProtectionEnabled(elbv2, candidate.arn)) {
      return {
        kind: 'needs-manual-action',
        detail: 'deletion protection is enabled; the janitor never turns it off',
      };
    }
    targetGroups = await ownedTargetGroups(elbv2, candidate);
  } catch (error) {
    if (isNotFound(error)) return { kind: 'already-gone' };
    return { kind: 'failed', error: errorText(error) };
  }
  if (options.dryRun) return { kind: 'deleted', tags, targetGroups, targetGroupErrors: [] };

  try {
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: candidate.arn }));
  } catch (error) {
    if (isNotFound(error)) return { kind: 'already-gone' };
    // The load balancer still stands, so its target groups stay too.
    return { kind: 'failed', error: errorText(error) };
  }
  const deleted: string[] = [];
  const targetGroupErrors: string[] = [];
  for (const targetGroupArn of targetGroups) {
    const error = await deleteTargetGroup(elbv2, targetGroupArn, options);
    if (error === undefined) deleted.push(targetGroupArn);
    else targetGroupErrors.push(`target group ${targetGroupArn}: ${error}`);
  }
  return { kind: 'deleted', tags, targetGroups: deleted, targetGroupErrors };
}

function changeSinceDecision(
  candidate: DeletionCandidate,
  tags: Readonly<Record<string, string>>,
): string | undefined {
  const ownership = readOwnership('network', tags);
  if (ownership.kind === 'skipped') return `its tags changed: now skipped (${ownership.reason})`;
  if (!sameOwner(ownership.owner, candidate.owner)) return 'its owner tags changed';
  if (tags[SUSPECT_SINCE_TAG] !== candidate.suspectSince) return 'its suspect-since tag changed';
  return undefined;
}

async function deletionProtectionEnabled(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<boolean> {
  const { Attributes } = await elbv2.send(
    new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
  );
  return Attributes?.some((a) => a.Key === 'deletion_protection.enabled' && a.Value === 'true') ?? false;
}

/** Target groups the listeners forward to, kept only when their tags name the same owner. */
async function ownedTargetGroups(
  elbv2: ElasticLoadBalancingV2Client,
  candidate: DeletionCandidate,
): Promise<string[]> {
  const forwardedTo = new Set<string>();
  let marker: string | undefined;
  do {
    const output = await elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: candidate.arn, Marker: marker }),
    );
    for (const listener of output.Listeners ?? []) {
      for (const action of listener.DefaultActions ?? []) {
        if (action.TargetGroupArn) forwardedTo.add(action.TargetGroupArn);
        for (const group of action.ForwardConfig?.TargetGroups ?? []) {
          if (group.TargetGroupArn) forwardedTo.add(group.TargetGroupArn);
        }
      }
    }
    marker = output.NextMarker || undefined;
  } while (marker !== undefined);
  const tags = await describeTags(elbv2, [...forwardedTo], 1);
  return [...forwardedTo].filter((arn) => {
    const ownership = readTaggedOwner(tags.get(arn) ?? {});
    return ownership.kind === 'service' && sameOwner(ownership.owner, candidate.owner);
  });
}

async function deleteTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  arn: string,
  options: DeletionOptions,
): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
      return undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      const delay = options.targetGroupRetryDelaysMs[attempt];
      // Listeners go with the load balancer, but the target group can report
      // ResourceInUse for a few seconds after.
      if (!(error instanceof Error && error.name === 'ResourceInUseException') || delay === undefined) {
        return errorText(error);
      }
      await options.sleep(delay);
    }
  }
}
