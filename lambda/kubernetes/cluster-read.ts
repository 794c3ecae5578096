import type { GatewaySummary } from './gateway-summary';
import type { IngressSummary } from './ingress-summary';
import type { ServiceSummary } from './service-summary';

// What the cluster reader produces and the decisions judge by: it lives with its producer,
// so kubernetes/ needs nothing of decisions/.

/** What EKS says makes a cluster the one a load balancer's tags mean: its VPC and its age. */
export interface ClusterIdentity {
  readonly vpcId: string;
  readonly createdAt: Date;
}

/**
 * One kind of object of a cluster, read on its own: complete (every object, one
 * consistent list, keyed `<namespace>/<name>`) or not. An API group the cluster
 * does not serve, established by a successful discovery, is complete and empty.
 */
export type KindRead<T> =
  | { readonly kind: 'complete'; readonly items: ReadonlyMap<string, T> }
  | { readonly kind: 'unverified'; readonly error: string };

/** What one read of the owner's cluster established. */
export type ClusterRead =
  /**
   * Every Service of the cluster, from one complete and consistent list, and when
   * it was read; Ingresses and Gateways only when some load balancer needs them,
   * each complete or not on its own.
   */
  | {
      readonly kind: 'complete';
      readonly services: ReadonlyMap<string, ServiceSummary>;
      readonly ingresses?: KindRead<IngressSummary>;
      readonly gateways?: KindRead<GatewaySummary>;
      readonly identity: ClusterIdentity;
      readonly readAt: Date;
    }
  /** EKS answered that the cluster does not exist. */
  | { readonly kind: 'cluster-not-found' }
  /** Anything less than a complete read: nothing may be concluded. The VPC when EKS told it. */
  | { readonly kind: 'unverified'; readonly error: string; readonly vpcId?: string };
