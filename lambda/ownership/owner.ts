import { isEksClusterName } from '../../contract/patterns';
import { IGNORE_TAG, UNJUDGED_OWNER_TAGS } from '../../contract/tag-keys';
import {
  type Controller,
  type ResourceKind,
  STACK_AND_PORT,
  TAG_FAMILIES,
  type TagFamily,
} from './tag-families';

export type { Controller } from './tag-families';

/** The kind of Kubernetes object that owns a load balancer. */
export type OwnerKind = 'Service' | 'Gateway' | 'Ingress' | 'IngressGroup';

/**
 * The Kubernetes object a load balancer's tags say it belongs to. An explicit
 * IngressGroup has a name and no namespace (the LBC tags it so); every other
 * owner is `<namespace>/<name>`.
 */
export interface Owner {
  readonly kind: OwnerKind;
  readonly controller: Controller;
  readonly cluster: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

/** Why a load balancer is left alone without asking any cluster. */
export type SkipReason =
  | 'NOT_NETWORK_LOAD_BALANCER'
  | 'NO_OWNER_TAGS'
  | 'MALFORMED_OWNER_TAGS'
  | 'AMBIGUOUS_OWNER_TAGS'
  | 'IGNORE_TAG'
  | 'UNJUDGED_OWNER';

export type Ownership =
  | { readonly kind: 'owned-by'; readonly owner: Owner }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

// Namespaces and Service names are DNS-1123 labels (Service names are the stricter
// DNS-1035, which this accepts too): a value outside it cannot name a Service.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Gateway and Ingress names, and IngressGroup names, are DNS-1123 subdomains.
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `<namespace>/<name>`, the form the controllers tag with and lists are keyed by. */
export function serviceKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The owner's key in its kind's list: `<namespace>/<name>`, or an IngressGroup's name. */
export function ownerKey(owner: Owner): string {
  return owner.namespace === undefined ? owner.name : serviceKey(owner.namespace, owner.name);
}

/** `Service shop/web`, `IngressGroup shop`: the owner as a report names it. */
export function describeOwner(owner: Owner): string {
  return `${owner.kind} ${ownerKey(owner)}`;
}

/** Same cluster, same kind, same object, whichever controller's tags said so. */
export function sameOwner(a: Owner, b: Owner): boolean {
  return a.cluster === b.cluster && a.kind === b.kind && ownerKey(a) === ownerKey(b);
}

/**
 * The ignore tag fails safe: present with any value but `false` (`true`, `yes`,
 * `1`, `keep`, empty) it protects the resource, whatever kind. IAM denies the deletion the same way.
 * Its key in any case: AWS keeps tag keys as typed, but IAM matches the key of
 * `aws:ResourceTag/nlb-janitor/ignore` case-insensitively, so `NLB-Janitor/Ignore=true`
 * holds in IAM and must in the code. Of several spellings, any one that protects does.
 */
export function isIgnored(tags: Readonly<Record<string, string>>): boolean {
  return Object.entries(tags).some(
    // The value exactly as IAM's StringNotEqualsIgnoreCase compares it (no trimming), so the two locks agree.
    ([key, value]) => key.toLowerCase() === IGNORE_KEY && value.toLowerCase() !== 'false',
  );
}

const IGNORE_KEY = IGNORE_TAG.toLowerCase();

/**
 * Reads who owns a load balancer from its tags. Anything short of one clear,
 * well-formed owner is skipped: the janitor only judges what it understands.
 */
export function readOwnership(loadBalancerType: string, tags: Readonly<Record<string, string>>): Ownership {
  if (loadBalancerType !== 'network') return skipped('NOT_NETWORK_LOAD_BALANCER');
  return readTaggedOwner(tags);
}

/**
 * Reads the owner from a resource's tags (a load balancer, a target group, a
 * security group), through every tag family, each with its rule for that kind.
 */
export function readTaggedOwner(
  tags: Readonly<Record<string, string>>,
  resourceKind: ResourceKind = 'load-balancer',
): Ownership {
  if (isIgnored(tags)) return skipped('IGNORE_TAG');
  if (UNJUDGED_OWNER_TAGS.some((key) => key in tags)) return skipped('UNJUDGED_OWNER');

  const claims = TAG_FAMILIES.map((family) => claimOf(family, tags, resourceKind)).filter(
    (claim) => claim !== undefined,
  );
  if (claims.length === 0) return skipped(strayClusterTag(tags) ? 'MALFORMED_OWNER_TAGS' : 'NO_OWNER_TAGS');
  if (claims.some((claim) => claim === 'malformed')) return skipped('MALFORMED_OWNER_TAGS');
  if (claims.some((claim) => claim === 'unjudged')) return skipped('UNJUDGED_OWNER');
  const [first, ...others] = claims as Owner[];
  if (first === undefined) return skipped('NO_OWNER_TAGS');
  // Several families' tags on one load balancer must agree, or nobody can say who owns it.
  if (others.some((other) => !sameOwner(first, other))) return skipped('AMBIGUOUS_OWNER_TAGS');
  return { kind: 'owned-by', owner: first };
}

type Claim = Owner | 'malformed' | 'unjudged' | undefined;

/**
 * What one family's tags say of one kind of resource: nothing, an owner,
 * something no owner can be read from, or a kind this family is not judged for.
 */
function claimOf(
  family: TagFamily,
  tags: Readonly<Record<string, string>>,
  resourceKind: ResourceKind,
): Claim {
  const stack = tags[family.stackKey];
  const clusters = clustersOf(family, tags);
  const inTreeClusterOnly = 'ownedKeyPrefix' in family.cluster && clusters.length > 0;
  if (stack === undefined) return inTreeClusterOnly ? 'malformed' : undefined;
  const rule = family.resources[resourceKind];
  if (rule === undefined) return 'unjudged';
  const [cluster, ...otherClusters] = clusters;
  if (cluster === undefined || otherClusters.length > 0 || !isEksClusterName(cluster)) return 'malformed';
  if (rule !== null) {
    const resource = tags[rule.key];
    const expected = (value: string) =>
      rule.value === STACK_AND_PORT
        ? value.startsWith(`${stack}:`) && value.length > stack.length + 1
        : value === rule.value;
    if (resource === undefined ? rule.required : !expected(resource)) return 'malformed';
  }
  return parseStack(family, cluster, stack);
}

function clustersOf(family: TagFamily, tags: Readonly<Record<string, string>>): string[] {
  if ('key' in family.cluster) {
    const value = tags[family.cluster.key];
    return value === undefined ? [] : [value];
  }
  const prefix = family.cluster.ownedKeyPrefix;
  return Object.entries(tags)
    .filter(([key, value]) => key.startsWith(prefix) && value === 'owned')
    .map(([key]) => key.slice(prefix.length));
}

function parseStack(family: TagFamily, cluster: string, stack: string): Claim {
  const base = { controller: family.controller, cluster };
  const parts = stack.split('/');
  if (parts.length === 1 && family.ownerKind === 'Ingress') {
    // An explicit IngressGroup: the LBC tags the group's name alone.
    const [group] = parts;
    return group !== undefined && DNS_SUBDOMAIN.test(group)
      ? { ...base, kind: 'IngressGroup', namespace: undefined, name: group }
      : 'malformed';
  }
  const [namespace, name] = parts;
  if (parts.length !== 2 || namespace === undefined || name === undefined) return 'malformed';
  const namePattern = family.ownerKind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!DNS_LABEL.test(namespace) || !namePattern.test(name)) return 'malformed';
  return { ...base, kind: family.ownerKind, namespace, name };
}

/** A cluster tag without any family's owner tag: something tagged it, but nothing says who owns it. */
function strayClusterTag(tags: Readonly<Record<string, string>>): boolean {
  return TAG_FAMILIES.some((family) => 'key' in family.cluster && family.cluster.key in tags);
}

function skipped(reason: SkipReason): Ownership {
  return { kind: 'skipped', reason };
}
