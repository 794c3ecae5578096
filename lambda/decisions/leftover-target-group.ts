import { describeOwner, readTaggedOwner } from '../ownership/owner';
import { DELETED_WITH_TAG } from '../ownership/tag-keys';
import { type ClusterRead, ownerExists } from './verdict';

/** What to do with a target group no load balancer uses. */
export type LeftoverDecision =
  /** Not a leftover of the janitor's own deletion: none of its business. */
  | { readonly kind: 'not-ours' }
  /** A leftover of a load balancer the janitor deleted: finish that deletion. */
  | { readonly kind: 'delete'; readonly deletedWith: string }
  /** Nothing certain (its cluster unread): no change. */
  | { readonly kind: 'hold'; readonly detail: string }
  /** Something says it may be wanted again: left alone, and said. */
  | { readonly kind: 'keep'; readonly detail: string };

export interface LeftoverTargetGroupFacts {
  readonly tags: Readonly<Record<string, string>>;
  /** Every load balancer ARN of the region in this sweep's inventory. */
  readonly loadBalancerArns: ReadonlySet<string>;
  readonly reads: ReadonlyMap<string, ClusterRead>;
}

/**
 * A detached target group is the janitor's to delete only when it carries the
 * janitor's `deleted-with` tag, the load balancer that tag names is gone, its
 * owner tags still name one Service (and no ignore tag), its cluster was read
 * completely in this sweep (or EKS says it is gone), and that Service has not
 * come back — a returning Service's controller may adopt the target group.
 */
export function judgeLeftoverTargetGroup(facts: LeftoverTargetGroupFacts): LeftoverDecision {
  const deletedWith = facts.tags[DELETED_WITH_TAG];
  if (deletedWith === undefined) return { kind: 'not-ours' };
  if (facts.loadBalancerArns.has(deletedWith)) {
    return { kind: 'keep', detail: `the load balancer it names, ${deletedWith}, still exists` };
  }
  const ownership = readTaggedOwner(facts.tags);
  if (ownership.kind === 'skipped')
    return { kind: 'keep', detail: `its tags are skipped (${ownership.reason})` };
  const { owner } = ownership;
  const read = facts.reads.get(owner.cluster);
  if (read === undefined || read.kind === 'unverified') {
    return {
      kind: 'hold',
      detail: `cluster ${owner.cluster} was not read completely: ${read?.kind === 'unverified' ? read.error : 'not read in this sweep'}`,
    };
  }
  const exists = ownerExists(owner, read);
  if (exists === undefined) {
    return {
      kind: 'hold',
      detail: `whether ${describeOwner(owner)} of cluster ${owner.cluster} exists could not be read`,
    };
  }
  if (exists) {
    return {
      kind: 'keep',
      detail: `${describeOwner(owner)} of cluster ${owner.cluster} exists again; its controller may reuse it`,
    };
  }
  return { kind: 'delete', deletedWith };
}
