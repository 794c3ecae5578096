import { serviceKey } from '../ownership/owner';
import type { ClusterRead } from './verdict';

/** A Service whose status names a load balancer's DNS name. */
export interface ServiceClaim {
  readonly cluster: string;
  /** `<namespace>/<name>`. */
  readonly service: string;
}

/** A cluster whose Services could not be read: any of them could use any load balancer of its VPC. */
export interface UnreadCluster {
  readonly cluster: string;
  readonly vpcId: string | undefined;
  readonly error: string;
}

/**
 * Every load balancer hostname named by any Service status in any cluster the
 * sweep read, so that a load balancer whose tags name the wrong cluster is still
 * found in use; and the clusters that could not be read, for the same question.
 */
export class ServiceClaims {
  private constructor(
    private readonly byHostname: ReadonlyMap<string, readonly ServiceClaim[]>,
    private readonly unread: readonly UnreadCluster[],
  ) {}

  static fromReads(reads: ReadonlyMap<string, ClusterRead>): ServiceClaims {
    const byHostname = new Map<string, ServiceClaim[]>();
    const unread: UnreadCluster[] = [];
    for (const [cluster, read] of reads) {
      if (read.kind === 'unverified') unread.push({ cluster, vpcId: read.vpcId, error: read.error });
      if (read.kind !== 'complete') continue;
      for (const service of read.services.values()) {
        for (const hostname of service.ingressHostnames) {
          const key = normalizeHostname(hostname);
          const claims = byHostname.get(key) ?? [];
          claims.push({ cluster, service: serviceKey(service.namespace, service.name) });
          byHostname.set(key, claims);
        }
      }
    }
    return new ServiceClaims(byHostname, unread);
  }

  claimsOf(dnsName: string): readonly ServiceClaim[] {
    return this.byHostname.get(normalizeHostname(dnsName)) ?? [];
  }

  /** An unread cluster, other than `except`, in this VPC or whose VPC is unknown. */
  unreadClusterThatMayUse(vpcId: string, except: string): UnreadCluster | undefined {
    return this.unread.find(
      (cluster) => cluster.cluster !== except && (cluster.vpcId === undefined || cluster.vpcId === vpcId),
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
