import type { ClusterIdentity, ClusterRead, KindRead } from '../kubernetes/cluster-read';
import type { GatewaySummary } from '../kubernetes/gateway-summary';
import { ingressGroups } from '../kubernetes/ingress-groups';
import type { ServiceSummary } from '../kubernetes/service-summary';
import { describeOwner, type Owner, type OwnerKind, ownerKey } from '../ownership/owner';
import { type ServiceClaim, type ServiceClaims, sameHostname } from './service-claims';

/** Why a load balancer is orphaned: what is missing, per kind of owner. */
export const ORPHAN_REASONS = [
  'SERVICE_NOT_FOUND',
  'SERVICE_NOT_LOAD_BALANCER',
  'SERVICE_USES_OTHER_LOAD_BALANCER',
  'GATEWAY_NOT_FOUND',
  'GATEWAY_USES_OTHER_LOAD_BALANCER',
  'INGRESS_NOT_FOUND',
  'INGRESS_GROUP_EMPTY',
] as const;
export type OrphanReason = (typeof ORPHAN_REASONS)[number];

/** Why a load balancer whose tags name a cluster is not that cluster's. */
export type ForeignReason = 'NAMED_BY_ANOTHER_SERVICE' | 'NOT_IN_CLUSTER_VPC' | 'CREATED_BEFORE_CLUSTER';

export type Verdict =
  | { readonly kind: 'OWNED' }
  | { readonly kind: 'ORPHAN'; readonly reason: OrphanReason }
  | { readonly kind: 'CLUSTER_NOT_FOUND' }
  /** Its tags name a cluster, but the facts say it is not that cluster's: never judged as its orphan. */
  | { readonly kind: 'FOREIGN'; readonly reason: ForeignReason; readonly detail: string }
  | { readonly kind: 'UNVERIFIED'; readonly error: string };

/** The load balancer being judged: its owner tags and the facts ELBv2 gave about it. */
export interface JudgedSubject {
  readonly owner: Owner;
  readonly dnsName: string;
  readonly vpcId: string;
  readonly createdAt: string | undefined;
}

/** Everything the sweep read of the clusters: each cluster's read, and every Service status of all of them. */
export interface SweepReads {
  readonly byCluster: ReadonlyMap<string, ClusterRead>;
  readonly claims: ServiceClaims;
}

/**
 * Judges one load balancer. Orphaned takes agreeing evidence: no Service in any
 * cluster read names it; the owner cluster's read is complete; the load balancer
 * is in that cluster's VPC and younger than the cluster; the owner Service is gone
 * (or no longer points at it); and no cluster that could hold a Service using it
 * went unread.
 */
export function decideVerdict(subject: JudgedSubject, reads: SweepReads): Verdict {
  const { owner } = subject;
  // The owner itself naming it, or, for an IngressGroup, any Ingress of the group.
  const isOwnClaim = (claim: ServiceClaim) =>
    claim.cluster === owner.cluster &&
    (owner.kind === 'IngressGroup'
      ? claim.kind === 'Ingress' && (claim.groups ?? []).includes(owner.name)
      : claim.kind === owner.kind && claim.service === ownerKey(owner));
  const otherClaim = reads.claims.claimsOf(subject.dnsName).find((claim) => !isOwnClaim(claim));
  if (otherClaim !== undefined) {
    return {
      kind: 'FOREIGN',
      reason: 'NAMED_BY_ANOTHER_SERVICE',
      detail: `${otherClaim.kind} ${otherClaim.service} of cluster ${otherClaim.cluster} names it in its status, though its tags name ${describeOwner(owner)} of cluster ${owner.cluster}`,
    };
  }

  const read = reads.byCluster.get(owner.cluster) ?? {
    kind: 'unverified',
    error: 'the cluster was not read',
  };
  let verdict: Verdict;
  switch (read.kind) {
    case 'unverified':
      return { kind: 'UNVERIFIED', error: read.error };
    case 'cluster-not-found':
      verdict = { kind: 'CLUSTER_NOT_FOUND' };
      break;
    case 'complete': {
      const foreign = checkIdentity(subject, read.identity);
      if (foreign !== undefined) return foreign;
      verdict = judgeOwner(owner, read, subject.dnsName);
    }
  }
  if (verdict.kind === 'OWNED') return verdict;
  return unreadNeighbour(reads, subject.vpcId, owner.cluster, owner.kind) ?? verdict;
}

/**
 * A cluster other than the owner's, in the same VPC (or of unknown VPC), that
 * could not be read, or whose objects of the owner's kind could not: any of
 * them could use the resource, so nothing is concluded.
 */
export function unreadNeighbour(
  reads: SweepReads,
  vpcId: string,
  cluster: string,
  ownerKind: OwnerKind,
): Verdict | undefined {
  const unread = reads.claims.unreadClusterThatMayUse(vpcId, cluster, ownerKind);
  if (unread === undefined) return undefined;
  return {
    kind: 'UNVERIFIED',
    error: `cluster ${unread.cluster} ${unread.vpcId === undefined ? '(VPC unknown)' : `(same VPC ${unread.vpcId})`} could not be read, and a ${unread.kind} there may use it: ${unread.error}`,
  };
}

/** The load balancer must sit in the cluster's VPC and be younger than the cluster. */
function checkIdentity(subject: JudgedSubject, cluster: ClusterIdentity): Verdict | undefined {
  const name = subject.owner.cluster;
  if (subject.vpcId !== cluster.vpcId) {
    return {
      kind: 'FOREIGN',
      reason: 'NOT_IN_CLUSTER_VPC',
      detail: `it is in ${subject.vpcId || 'no VPC'}, cluster ${name} in ${cluster.vpcId}: its tags name the wrong cluster (a controller installed with another cluster's name, or a self-managed cluster of the same name)`,
    };
  }
  const createdAt = subject.createdAt === undefined ? Number.NaN : Date.parse(subject.createdAt);
  if (!(createdAt >= cluster.createdAt.getTime())) {
    return {
      kind: 'FOREIGN',
      reason: 'CREATED_BEFORE_CLUSTER',
      detail: `it was created ${subject.createdAt ?? 'at an unknown time'}, before cluster ${name} (${cluster.createdAt.toISOString()}): it belongs to an earlier cluster of that name`,
    };
  }
  return undefined;
}

/** Judges the owner in a complete read, by its kind; a kind not read completely is unverified, and only that. */
function judgeOwner(
  owner: Owner,
  read: Extract<ClusterRead, { kind: 'complete' }>,
  dnsName: string,
): Verdict {
  const key = ownerKey(owner);
  switch (owner.kind) {
    case 'Service':
      return judgeService(read.services.get(key), dnsName);
    case 'Gateway':
      return withKind(read.gateways, 'Gateways', owner.cluster, (gateways) =>
        judgeGateway(gateways.get(key), dnsName),
      );
    case 'Ingress':
      return withKind(read.ingresses, 'Ingresses', owner.cluster, (ingresses) =>
        ingresses.has(key) ? { kind: 'OWNED' } : { kind: 'ORPHAN', reason: 'INGRESS_NOT_FOUND' },
      );
    case 'IngressGroup':
      return withKind(read.ingresses, 'Ingresses', owner.cluster, (ingresses) =>
        [...ingresses.values()].some((ingress) => ingressGroups(ingress).includes(owner.name))
          ? { kind: 'OWNED' }
          : { kind: 'ORPHAN', reason: 'INGRESS_GROUP_EMPTY' },
      );
  }
}

function withKind<T>(
  read: KindRead<T> | undefined,
  noun: string,
  cluster: string,
  judge: (items: ReadonlyMap<string, T>) => Verdict,
): Verdict {
  if (read === undefined)
    return { kind: 'UNVERIFIED', error: `the ${noun} of cluster ${cluster} were not read` };
  if (read.kind === 'unverified') {
    return {
      kind: 'UNVERIFIED',
      error: `the ${noun} of cluster ${cluster} could not be read: ${read.error}`,
    };
  }
  return judge(read.items);
}

function judgeGateway(gateway: GatewaySummary | undefined, dnsName: string): Verdict {
  if (gateway === undefined) return { kind: 'ORPHAN', reason: 'GATEWAY_NOT_FOUND' };
  // No address yet: still provisioning, possibly this very load balancer. IPs name no load balancer.
  const hostnames = gateway.addresses.filter((address) => /[a-z]/i.test(address) && address.includes('.'));
  if (hostnames.length === 0 || hostnames.some((address) => sameHostname(address, dnsName))) {
    return { kind: 'OWNED' };
  }
  return { kind: 'ORPHAN', reason: 'GATEWAY_USES_OTHER_LOAD_BALANCER' };
}

/**
 * Whether the owner exists in a read: true, false, or undefined when the kind it
 * needs was not read completely. For a target group whose load balancer is gone.
 */
export function ownerExists(owner: Owner, read: ClusterRead | undefined): boolean | undefined {
  if (read?.kind === 'cluster-not-found') return false;
  if (read?.kind !== 'complete') return undefined;
  const key = ownerKey(owner);
  const items = <T>(kindRead: KindRead<T> | undefined) =>
    kindRead?.kind === 'complete' ? kindRead.items : undefined;
  switch (owner.kind) {
    case 'Service':
      return read.services.has(key);
    case 'Gateway':
      return items(read.gateways)?.has(key);
    case 'Ingress':
      return items(read.ingresses)?.has(key);
    case 'IngressGroup': {
      const ingresses = items(read.ingresses);
      return ingresses === undefined
        ? undefined
        : [...ingresses.values()].some((i) => ingressGroups(i).includes(owner.name));
    }
  }
}

function judgeService(service: ServiceSummary | undefined, dnsName: string): Verdict {
  if (service === undefined) return { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' };
  if (service.type !== 'LoadBalancer') return { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' };
  // An empty status means the controller is still provisioning, possibly this very
  // load balancer; an IP-only status names no load balancer. Neither proves anything.
  if (service.ingressHostnames.length === 0) return { kind: 'OWNED' };
  if (service.ingressHostnames.some((hostname) => sameHostname(hostname, dnsName))) return { kind: 'OWNED' };
  return { kind: 'ORPHAN', reason: 'SERVICE_USES_OTHER_LOAD_BALANCER' };
}
