import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeTags, isNotFound } from '../inventory/describe-tags';
import { type Owner, readTaggedOwner, sameOwner } from '../ownership/owner';
import { errorText } from '../util/error-text';

/** What ELBv2 says about a deletion candidate right now. */
export type Inspection =
  | { readonly kind: 'gone' }
  | {
      readonly kind: 'found';
      readonly tags: Readonly<Record<string, string>>;
      readonly deletionProtection: boolean;
      /** Target groups its listeners forward to, each with its tags. */
      readonly targetGroups: readonly {
        readonly arn: string;
        readonly tags: Readonly<Record<string, string>>;
      }[];
    };

/**
 * Reads a deletion candidate afresh: its tags, deletion protection, and the
 * target groups its listeners forward to. Throws on any failure but not-found.
 */
export async function inspectLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Inspection> {
  try {
    const tags = (await describeTags(elbv2, [arn], 1)).get(arn);
    if (tags === undefined) return { kind: 'gone' };
    const { Attributes } = await elbv2.send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }),
    );
    const deletionProtection =
      Attributes?.some((a) => a.Key === 'deletion_protection.enabled' && a.Value === 'true') ?? false;
    const forwardedTo = await listenerTargetGroups(elbv2, arn);
    const targetGroupTags = await describeTags(elbv2, forwardedTo, 1);
    return {
      kind: 'found',
      tags,
      deletionProtection,
      targetGroups: forwardedTo.map((groupArn) => ({
        arn: groupArn,
        tags: targetGroupTags.get(groupArn) ?? {},
      })),
    };
  } catch (error) {
    if (isNotFound(error)) return { kind: 'gone' };
    throw error;
  }
}

/** The target groups that carry the same owner's tags: the only ones the janitor deletes with it. */
export function sameOwnerTargetGroups(inspection: Inspection, owner: Owner): string[] {
  if (inspection.kind === 'gone') return [];
  return inspection.targetGroups
    .filter(({ tags }) => {
      const ownership = readTaggedOwner(tags);
      return ownership.kind === 'owned-by' && sameOwner(ownership.owner, owner);
    })
    .map(({ arn }) => arn);
}

export type DeletionResult =
  | {
      readonly kind: 'deleted';
      readonly targetGroups: readonly string[];
      readonly targetGroupErrors: readonly string[];
    }
  | { readonly kind: 'already-gone' }
  | { readonly kind: 'failed'; readonly error: string };

export interface DeletionOptions {
  readonly sleep: (ms: number) => Promise<void>;
  /** Waits between tries of a target group still in use just after its load balancer went. */
  readonly targetGroupRetryDelaysMs: readonly number[];
  /** True when no more waiting fits in the time budget: retries stop and the error is reported. */
  readonly outOfTime: () => boolean;
}

/** Deletes a load balancer, then its target groups. Every check has been made before. */
export async function deleteLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  arn: string,
  targetGroups: readonly string[],
  options: DeletionOptions,
): Promise<DeletionResult> {
  try {
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
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
  return { kind: 'deleted', targetGroups: deleted, targetGroupErrors };
}

async function listenerTargetGroups(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<string[]> {
  const forwardedTo = new Set<string>();
  let marker: string | undefined;
  do {
    const output = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn, Marker: marker }));
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
  return [...forwardedTo];
}

/** Deletes a target group, retrying the ResourceInUse a just-deleted load balancer leaves; the error text, or undefined. */
export async function deleteTargetGroup(
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
      if (options.outOfTime()) return `${errorText(error)} (no time left to retry)`;
      await options.sleep(delay);
    }
  }
}
