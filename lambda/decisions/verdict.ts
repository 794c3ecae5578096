import type { ServiceSummary } from '../kubernetes/service-summary';
import { ownerKey, type ServiceOwner } from '../ownership/owner';

export type OrphanReason =
  | 'SERVICE_NOT_FOUND'
  | 'SERVICE_NOT_LOAD_BALANCER'
  | 'SERVICE_USES_OTHER_LOAD_BALANCER';

export const ORPHAN_REASONS: readonly OrphanReason[] = [
  'SERVICE_NOT_FOUND',
  'SERVICE_NOT_LOAD_BALANCER',
  'SERVICE_USES_OTHER_LOAD_BALANCER',
];

/** What one read of the owner's cluster established. */
export type ClusterRead =
  /** Every Service of the cluster, from one complete and consistent list. */
  | { readonly kind: 'complete'; readonly services: ReadonlyMap<string, ServiceSummary> }
  /** EKS answered that the cluster does not exist. */
  | { readonly kind: 'cluster-not-found' }
  /** Anything less than a complete read: nothing may be concluded. */
  | { readonly kind: 'unverified'; readonly error: string };

export type Verdict =
  | { readonly kind: 'OWNED' }
  | { readonly kind: 'ORPHAN'; readonly reason: OrphanReason }
  | { readonly kind: 'CLUSTER_NOT_FOUND' }
  | { readonly kind: 'UNVERIFIED'; readonly error: string };

/**
 * Judges one load balancer against a read of its owner's cluster.
 * Only a complete read can make it an orphan.
 */
export function decideVerdict(owner: ServiceOwner, dnsName: string, read: ClusterRead): Verdict {
  switch (read.kind) {
    case 'unverified':
      return { kind: 'UNVERIFIED', error: read.error };
    case 'cluster-not-found':
      return { kind: 'CLUSTER_NOT_FOUND' };
    case 'complete':
      return judgeService(read.services.get(ownerKey(owner)), dnsName);
  }
}

function judgeService(service: ServiceSummary | undefined, dnsName: string): Verdict {
  if (service === undefined) return { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' };
  if (service.type !== 'LoadBalancer') return { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' };
  // An empty status means the controller is still provisioning, possibly this very
  // load balancer; an IP-only status names no load balancer. Neither proves anything.
  if (service.ingressHostnames.length === 0) return { kind: 'OWNED' };
  const wanted = normalizeHostname(dnsName);
  if (service.ingressHostnames.some((hostname) => normalizeHostname(hostname) === wanted))
    return { kind: 'OWNED' };
  return { kind: 'ORPHAN', reason: 'SERVICE_USES_OTHER_LOAD_BALANCER' };
}

// DNS names compare case-insensitively, and a trailing dot names the same host.
function normalizeHostname(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}
