import type { ClusterRead } from '../kubernetes/cluster-read';
import { ingressGroups } from '../kubernetes/ingress-groups';
import type { OwnerKind } from '../ownership/owner';
import { serviceKey } from '../ownership/owner';

/** A Kubernetes object whose status names a load balancer's DNS name. */
export interface ServiceClaim {
  readonly cluster: string;
  /** The kind of the object naming it. */
  readonly kind: 'Service' | 'Gateway' | 'Ingress';
  /** `<namespace>/<name>`. */
  readonly service: string;
  /** An Ingress's IngressGroups (its class's IngressClassParams', its annotation's); see ingress-groups.ts. */
  readonly groups?: readonly string[];
}

/** A cluster, or one kind of its objects, that could not be read: any of them could use a load balancer of its VPC. */
export interface UnreadCluster {
  readonly cluster: string;
  readonly vpcId: string | undefined;
  readonly error: string;
  /** What went unread: all of it (`Service`: its Services, so everything), or only its Gateways or Ingresses. */
  readonly kind: 'Service' | 'Gateway' | 'Ingress';
}

/**
 * Every load balancer hostname named by any Service, Gateway or Ingress status
 * in any cluster the sweep read, so that a load balancer whose tags name the
 * wrong cluster is still found in use; and what could not be read, for the same
 * question.
 */
export class ServiceClaims {
  private constructor(
    private readonly byHostname: ReadonlyMap<string, readonly ServiceClaim[]>,
    private readonly unread: readonly UnreadCluster[],
  ) {}

  static fromReads(reads: ReadonlyMap<string, ClusterRead>): ServiceClaims {
    const byHostname = new Map<string, ServiceClaim[]>();
    const unread: UnreadCluster[] = [];
    const claim = (hostname: string, entry: ServiceClaim) => {
      const key = normalizeHostname(hostname);
      byHostname.set(key, [...(byHostname.get(key) ?? []), entry]);
    };
    for (const [cluster, read] of reads) {
      if (read.kind === 'unverified')
        unread.push({ cluster, vpcId: read.vpcId, error: read.error, kind: 'Service' });
      if (read.kind !== 'complete') continue;
      const vpcId = read.identity.vpcId;
      for (const service of read.services.values()) {
        for (const hostname of service.ingressHostnames) {
          claim(hostname, { cluster, kind: 'Service', service: serviceKey(service.namespace, service.name) });
        }
      }
      if (read.gateways?.kind === 'unverified') {
        unread.push({ cluster, vpcId, error: read.gateways.error, kind: 'Gateway' });
      } else {
        for (const gateway of read.gateways?.items.values() ?? []) {
          for (const address of gateway.addresses) {
            claim(address, {
              cluster,
              kind: 'Gateway',
              service: serviceKey(gateway.namespace, gateway.name),
            });
          }
        }
      }
      if (read.ingresses?.kind === 'unverified') {
        unread.push({ cluster, vpcId, error: read.ingresses.error, kind: 'Ingress' });
      } else {
        for (const ingress of read.ingresses?.items.values() ?? []) {
          for (const hostname of ingress.ingressHostnames) {
            claim(hostname, {
              cluster,
              kind: 'Ingress',
              service: serviceKey(ingress.namespace, ingress.name),
              groups: ingressGroups(ingress),
            });
          }
        }
      }
    }
    return new ServiceClaims(byHostname, unread);
  }

  claimsOf(dnsName: string): readonly ServiceClaim[] {
    return this.byHostname.get(normalizeHostname(dnsName)) ?? [];
  }

  /**
   * An unread cluster, other than `except`, in this VPC or whose VPC is unknown,
   * where an object that could own a load balancer of `ownerKind` went unread: a
   * cluster whose Services are unread holds everything; one whose Gateways (or
   * Ingresses) are unread holds Gateway-owned (or Ingress-owned) load balancers.
   */
  unreadClusterThatMayUse(vpcId: string, except: string, ownerKind: OwnerKind): UnreadCluster | undefined {
    const kind = ownerKind === 'IngressGroup' ? 'Ingress' : ownerKind;
    return this.unread.find(
      (cluster) =>
        cluster.cluster !== except &&
        (cluster.kind === 'Service' || cluster.kind === kind) &&
        (cluster.vpcId === undefined || cluster.vpcId === vpcId),
    );
  }
}

/** Two hostnames name the same load balancer. */
export function sameHostname(a: string, b: string): boolean {
  return normalizeHostname(a) === normalizeHostname(b);
}

// DNS names compare case-insensitively; a trailing dot names the same host; the
// `dualstack.` prefix AWS offers for IPv6 resolves to the same load balancer.
export function normalizeHostname(hostname: string): string {
  return hostname
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^dualstack\./, '');
}
