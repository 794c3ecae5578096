import type { ClusterRead } from '../kubernetes/cluster-read';
import type { FootprintOwner } from '../ownership/footprint-owner';
import { inTreeLoadBalancerName } from '../ownership/in-tree-name';
import { describeOwner, type Owner, sameOwner } from '../ownership/owner';
import { type OrphanReason, ownerExists, type SweepReads, unreadNeighbour, type Verdict } from './verdict';

export interface FootprintSubject {
  readonly owner: FootprintOwner;
  readonly vpcId: string;
  /** The name of every load balancer of the region, of any type, in this sweep's inventory (a set, or a map by name). */
  readonly loadBalancerNames: { has(name: string): boolean };
  /**
   * The load balancers it goes with — those a security group is attached to,
   * the one an in-tree node rule names — each with where the janitor stands
   * with it. One the janitor keeps (owned, spared, another owner's, not judged
   * at all) keeps the resource; one it holds holds it: it goes only with its
   * load balancer.
   */
  readonly usedBy?: readonly LoadBalancerUser[];
  /**
   * An in-tree node rule: the other load balancers whose target groups in its
   * VPC send to a port it opens, or why that could not be read. The in-tree
   * provider reuses a rule that opens the same port whatever its description
   * names, so a Service re-created on the same node port rides on the old rule.
   */
  readonly portUsers?: readonly string[] | Error;
}

/** A load balancer that uses a footprint resource, and where the janitor stands with it. */
export interface LoadBalancerUser {
  readonly arn: string;
  /**
   * `promised`: marked (or due) for deletion (for the same owner, where the
   * resource names one); `held`: its read was incomplete, nothing is
   * concluded; `kept`: anything else.
   */
  readonly state: 'promised' | 'held' | 'kept';
}

/** The cluster a footprint owner belongs to. */
export function footprintCluster(owner: FootprintOwner): string {
  return owner.kind === 'object' ? owner.owner.cluster : owner.cluster;
}

/** The same owner, whichever tag family or description said so. */
export function sameFootprintOwner(a: FootprintOwner, b: FootprintOwner): boolean {
  if (a.kind === 'object' && b.kind === 'object') return sameOwner(a.owner, b.owner);
  return (
    a.kind === b.kind &&
    describeFootprintOwner(a) === describeFootprintOwner(b) &&
    footprintCluster(a) === footprintCluster(b)
  );
}

/** `Service shop/web`, `cluster prod`, `load balancer a1b2…`: the owner as a report names it. */
export function describeFootprintOwner(owner: FootprintOwner): string {
  switch (owner.kind) {
    case 'object':
      return describeOwner(owner.owner);
    case 'cluster':
      return `cluster ${owner.cluster}`;
    case 'load-balancer-name':
      return `load balancer ${owner.name}`;
  }
}

/**
 * Judges a resource a controller made beside a load balancer with the same
 * agreeing evidence a load balancer needs, less what such a resource does not
 * have (a DNS name for a status to claim, a creation time): its owner's cluster
 * read completely, the resource in that cluster's VPC, its owner gone from that
 * read, and no cluster of the same VPC left unread whose objects could use it.
 * Whether anything still uses it (targets, network interfaces, rules) is
 * evidence read apart and gated after (footprint-plan.ts).
 */
export function decideFootprintVerdict(subject: FootprintSubject, reads: SweepReads): Verdict {
  const { owner } = subject;
  const cluster = footprintCluster(owner);
  const read: ClusterRead = reads.byCluster.get(cluster) ?? {
    kind: 'unverified',
    error: 'the cluster was not read',
  };
  // An in-tree node rule whose load balancer still exists goes with that load balancer (usedBy, below);
  // without word of that load balancer's fate, it stays.
  if (
    owner.kind === 'load-balancer-name' &&
    subject.loadBalancerNames.has(owner.name) &&
    (subject.usedBy ?? []).length === 0
  ) {
    return { kind: 'OWNED' };
  }

  let verdict: Verdict;
  switch (read.kind) {
    case 'unverified':
      return { kind: 'UNVERIFIED', error: read.error };
    case 'cluster-not-found':
      verdict = { kind: 'CLUSTER_NOT_FOUND' };
      break;
    case 'complete': {
      if (subject.vpcId !== read.identity.vpcId) {
        return {
          kind: 'FOREIGN',
          reason: 'NOT_IN_CLUSTER_VPC',
          detail: `it is in ${subject.vpcId || 'no VPC'}, cluster ${cluster} in ${read.identity.vpcId}: its tags name the wrong cluster`,
        };
      }
      if (subject.portUsers instanceof Error) {
        return {
          kind: 'UNVERIFIED',
          error: `the ports it opens could not be checked: ${subject.portUsers.message}`,
        };
      }
      // A port a standing load balancer's target group uses: the rule may serve it, whatever it names.
      if ((subject.portUsers ?? []).length > 0) return { kind: 'OWNED' };
      verdict = judgeFootprintOwner(owner, read);
    }
  }
  if (verdict.kind === 'OWNED' || verdict.kind === 'UNVERIFIED') return verdict;
  // A security group a load balancer uses goes with that load balancer, or not at all.
  const users = subject.usedBy ?? [];
  const held = users.find((user) => user.state === 'held');
  if (held !== undefined) {
    return { kind: 'UNVERIFIED', error: `load balancer ${held.arn}, which uses it, could not be judged` };
  }
  if (users.some((user) => user.state === 'kept')) return { kind: 'OWNED' };
  const ownerKind = owner.kind === 'object' ? owner.owner.kind : 'Service';
  return unreadNeighbour(reads, subject.vpcId, cluster, ownerKind) ?? verdict;
}

/** Why an owner that is gone makes its footprint an orphan, per kind of owner. */
const GONE: Readonly<Record<Owner['kind'], OrphanReason>> = {
  Service: 'SERVICE_NOT_FOUND',
  Gateway: 'GATEWAY_NOT_FOUND',
  Ingress: 'INGRESS_NOT_FOUND',
  IngressGroup: 'INGRESS_GROUP_EMPTY',
};

function judgeFootprintOwner(
  owner: FootprintOwner,
  read: Extract<ClusterRead, { kind: 'complete' }>,
): Verdict {
  switch (owner.kind) {
    case 'cluster':
      // The cluster exists: its shared resources are its own business.
      return { kind: 'OWNED' };
    case 'load-balancer-name': {
      // The in-tree provider names a load balancer after its Service's UID: while that
      // Service is of type LoadBalancer, it may re-create the load balancer and these rules.
      const service = [...read.services.values()].find((s) => inTreeLoadBalancerName(s.uid) === owner.name);
      // No Service of the UID its load balancer's name comes from.
      if (service === undefined) return { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' };
      return service.type === 'LoadBalancer'
        ? { kind: 'OWNED' }
        : { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' };
    }
    case 'object': {
      // Any object of that name keeps its footprint, whatever its type or status:
      // a Service switched to ClusterIP may still feed a TargetGroupBinding.
      const exists = ownerExists(owner.owner, read);
      if (exists === undefined) {
        return {
          kind: 'UNVERIFIED',
          error: `whether ${describeOwner(owner.owner)} of cluster ${owner.owner.cluster} exists could not be read`,
        };
      }
      return exists ? { kind: 'OWNED' } : { kind: 'ORPHAN', reason: GONE[owner.owner.kind] };
    }
  }
}
