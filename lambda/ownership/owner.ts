import { isEksClusterName } from '../util/eks-cluster-name';
import {
  IGNORE_TAG,
  IN_TREE_CLUSTER_TAG_PREFIX,
  IN_TREE_OWNED_VALUE,
  IN_TREE_SERVICE_NAME_TAG,
  LBC_CLUSTER_TAG,
  LBC_SERVICE_STACK_TAG,
  NON_SERVICE_OWNER_TAGS,
} from './tag-keys';

export type Controller = 'aws-load-balancer-controller' | 'in-tree';

/** The Kubernetes Service a load balancer's tags say it belongs to. */
export interface ServiceOwner {
  readonly controller: Controller;
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
}

/** Why a load balancer is left alone without asking any cluster. */
export type SkipReason =
  | 'NOT_NETWORK_LOAD_BALANCER'
  | 'NO_OWNER_TAGS'
  | 'MALFORMED_OWNER_TAGS'
  | 'AMBIGUOUS_OWNER_TAGS'
  | 'IGNORE_TAG'
  | 'INGRESS_OR_GATEWAY_OWNER';

export type Ownership =
  | { readonly kind: 'service'; readonly owner: ServiceOwner }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

// Namespaces and Service names are DNS-1123 labels (Service names are the stricter
// DNS-1035, which this accepts too): a value outside it cannot name a Service.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `<namespace>/<name>` of a Service, the form both controllers tag with. */
export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function ownerKey(owner: ServiceOwner): string {
  return serviceKey(owner.namespace, owner.name);
}

/** Same cluster and same Service, whichever controller's tags said so. */
export function sameOwner(a: ServiceOwner, b: ServiceOwner): boolean {
  return a.cluster === b.cluster && ownerKey(a) === ownerKey(b);
}

/**
 * Reads who owns a load balancer from its tags. Anything short of one clear,
 * well-formed Service owner is skipped: the janitor only judges what it understands.
 */
export function readOwnership(loadBalancerType: string, tags: Readonly<Record<string, string>>): Ownership {
  if (loadBalancerType !== 'network') return skipped('NOT_NETWORK_LOAD_BALANCER');
  return readTaggedOwner(tags);
}

/** Reads the owning Service from any ELBv2 resource's tags (load balancer or target group). */
export function readTaggedOwner(tags: Readonly<Record<string, string>>): Ownership {
  if (isIgnored(tags)) return skipped('IGNORE_TAG');
  if (NON_SERVICE_OWNER_TAGS.some((key) => key in tags)) return skipped('INGRESS_OR_GATEWAY_OWNER');

  const claims = [lbcClaim(tags), inTreeClaim(tags)].filter((claim) => claim !== undefined);
  if (claims.length === 0) return skipped('NO_OWNER_TAGS');
  if (claims.some((claim) => claim === 'malformed')) return skipped('MALFORMED_OWNER_TAGS');
  const owners = claims as ServiceOwner[];
  const [first, second] = owners;
  if (first === undefined) return skipped('NO_OWNER_TAGS');
  // Both controllers' tags on one load balancer must agree, or nobody can say who owns it.
  if (second !== undefined && !sameOwner(first, second)) {
    return skipped('AMBIGUOUS_OWNER_TAGS');
  }
  return { kind: 'service', owner: first };
}

/**
 * The ignore tag fails safe: present with any value but `false` (`true`, `yes`,
 * `1`, `keep`, empty) it protects the load balancer. IAM denies the deletion the same way.
 */
export function isIgnored(tags: Readonly<Record<string, string>>): boolean {
  const value = tags[IGNORE_TAG];
  // Exactly as IAM's StringNotEqualsIgnoreCase compares it (no trimming), so the two locks agree.
  return value !== undefined && value.toLowerCase() !== 'false';
}

type Claim = ServiceOwner | 'malformed' | undefined;

function lbcClaim(tags: Readonly<Record<string, string>>): Claim {
  const cluster = tags[LBC_CLUSTER_TAG];
  const stack = tags[LBC_SERVICE_STACK_TAG];
  if (cluster === undefined && stack === undefined) return undefined;
  if (cluster === undefined || stack === undefined) return 'malformed';
  return claim('aws-load-balancer-controller', cluster, stack);
}

function inTreeClaim(tags: Readonly<Record<string, string>>): Claim {
  const ownedClusters = Object.entries(tags)
    .filter(([key, value]) => key.startsWith(IN_TREE_CLUSTER_TAG_PREFIX) && value === IN_TREE_OWNED_VALUE)
    .map(([key]) => key.slice(IN_TREE_CLUSTER_TAG_PREFIX.length));
  const serviceName = tags[IN_TREE_SERVICE_NAME_TAG];
  if (ownedClusters.length === 0 && serviceName === undefined) return undefined;
  const [cluster, ...others] = ownedClusters;
  if (cluster === undefined || others.length > 0 || serviceName === undefined) return 'malformed';
  return claim('in-tree', cluster, serviceName);
}

function claim(controller: Controller, cluster: string, stack: string): Claim {
  const parts = stack.split('/');
  const [namespace, name] = parts;
  if (parts.length !== 2 || namespace === undefined || name === undefined) return 'malformed';
  if (!DNS_LABEL.test(namespace) || !DNS_LABEL.test(name) || !isEksClusterName(cluster)) {
    return 'malformed';
  }
  return { controller, cluster, namespace, name };
}

function skipped(reason: SkipReason): Ownership {
  return { kind: 'skipped', reason };
}
