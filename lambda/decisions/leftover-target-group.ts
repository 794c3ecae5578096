import { describeOwner, readTaggedOwner } from '../ownership/owner';
import { DELETED_WITH_TAG } from '../ownership/tag-keys';
import type { ServiceClaims } from './service-claims';
import { type ClusterRead, ownerExists } from './verdict';

/** What to do with a target group no load balancer uses. */
export type LeftoverDecision =
  /** Not a leftover of the janitor's own deletion: none of its business. */
  | { readonly kind: 'not-ours' }
  /** A leftover of a load balancer the janitor deleted: finish that deletion. */
  | { readonly kind: 'delete'; readonly deletedWith: string; readonly cluster: string }
  /** Nothing certain (its cluster, or a cluster of its VPC, unread): no change. */
  | { readonly kind: 'hold'; readonly detail: string }
  /** Something says it may be wanted, or is not this janitor's to judge: left alone, and said. */
  | { readonly kind: 'keep'; readonly detail: string };

export interface LeftoverTargetGroupFacts {
  readonly arn: string;
  readonly vpcId: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Targets registered in it now (any state). */
  readonly registeredTargets: number;
  /** Every load balancer ARN of the region in this sweep's inventory. */
  readonly loadBalancerArns: ReadonlySet<string>;
  readonly reads: ReadonlyMap<string, ClusterRead>;
  readonly claims: ServiceClaims;
  /** Only these clusters' leftovers; undefined: every cluster. */
  readonly selectedClusters: readonly string[] | undefined;
  readonly deleteWhenClusterMissing: boolean;
}

/**
 * A detached target group is the janitor's to delete only when every fact
 * agrees, as for a load balancer: it carries the janitor's `deleted-with` tag
 * naming a network load balancer of its own account and region that is gone;
 * nothing is registered in it (a TargetGroupBinding being filled is in use);
 * its owner tags name one owner (no ignore tag) of a selected cluster; that
 * cluster was read completely (EKS not knowing it counts only with the opt-in),
 * the target group is in its VPC, no cluster of that VPC went unread, and the
 * owner has not come back — a returning owner's controller may adopt it.
 */
export function judgeLeftoverTargetGroup(facts: LeftoverTargetGroupFacts): LeftoverDecision {
  const deletedWith = facts.tags[DELETED_WITH_TAG];
  if (deletedWith === undefined) return { kind: 'not-ours' };
  if (!namesOwnNetworkLoadBalancer(deletedWith, facts.arn)) {
    return {
      kind: 'keep',
      detail: `its ${DELETED_WITH_TAG} tag ${JSON.stringify(deletedWith)} names no network load balancer of its account and region: not the janitor's`,
    };
  }
  if (facts.loadBalancerArns.has(deletedWith)) {
    return { kind: 'keep', detail: `the load balancer it names, ${deletedWith}, still exists` };
  }
  if (facts.registeredTargets > 0) {
    return {
      kind: 'keep',
      detail: `${facts.registeredTargets} targets are registered in it: something is using it`,
    };
  }
  const ownership = readTaggedOwner(facts.tags);
  if (ownership.kind === 'skipped')
    return { kind: 'keep', detail: `its tags are skipped (${ownership.reason})` };
  const { owner } = ownership;
  if (facts.selectedClusters !== undefined && !facts.selectedClusters.includes(owner.cluster)) {
    return { kind: 'keep', detail: `cluster ${owner.cluster} is not among the clusters swept` };
  }
  const read = facts.reads.get(owner.cluster);
  if (read === undefined || read.kind === 'unverified') {
    return {
      kind: 'hold',
      detail: `cluster ${owner.cluster} was not read completely: ${read?.kind === 'unverified' ? read.error : 'not read in this sweep'}`,
    };
  }
  if (read.kind === 'cluster-not-found' && !facts.deleteWhenClusterMissing) {
    return {
      kind: 'keep',
      detail: `EKS does not know cluster ${owner.cluster}; deleting its leftovers needs --delete-when-cluster-missing`,
    };
  }
  if (read.kind === 'complete' && facts.vpcId !== read.identity.vpcId) {
    return {
      kind: 'keep',
      detail: `it is in ${facts.vpcId || 'no VPC'}, cluster ${owner.cluster} in ${read.identity.vpcId}: its tags name the wrong cluster`,
    };
  }
  const unread = facts.claims.unreadClusterThatMayUse(facts.vpcId, owner.cluster, owner.kind);
  if (unread !== undefined) {
    return {
      kind: 'hold',
      detail: `cluster ${unread.cluster} of the same VPC could not be read, and its ${unread.kind} may use it: ${unread.error}`,
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
  return { kind: 'delete', deletedWith, cluster: owner.cluster };
}

/** `arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>`, of the target group's own account and region. */
function namesOwnNetworkLoadBalancer(loadBalancerArn: string, targetGroupArn: string): boolean {
  const [, partition, service, region, account] = targetGroupArn.split(':');
  const prefix = `arn:${partition}:${service}:${region}:${account}:loadbalancer/net/`;
  return (
    loadBalancerArn.startsWith(prefix) &&
    /^[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/.test(loadBalancerArn.slice(prefix.length))
  );
}
