import { isEksClusterName } from '../../contract/patterns';
import {
  IN_TREE_CLUSTER_TAG_PREFIX,
  LBC_BACKEND_SECURITY_GROUP,
  LBC_CLUSTER_TAG,
  LBC_RESOURCE_TAG,
} from '../../contract/tag-keys';
import { IN_TREE_NODE_RULE } from './in-tree-name';
import { isIgnored, type Owner, readTaggedOwner, type SkipReason } from './owner';

/**
 * Who a footprint resource (a target group, a security group, a node rule) was
 * made for, as its tags or description tell:
 * - `object`: a Service, Gateway, Ingress or IngressGroup (the owner tag families);
 * - `cluster`: the cluster itself (the LBC's shared backend security group);
 * - `load-balancer-name`: an in-tree load balancer of the cluster, by name (in-tree node rules).
 */
export type FootprintOwner =
  | { readonly kind: 'object'; readonly owner: Owner }
  | { readonly kind: 'cluster'; readonly cluster: string }
  | { readonly kind: 'load-balancer-name'; readonly cluster: string; readonly name: string };

/**
 * What the owner reader reads of a footprint resource: the inventory's FootprintItem is
 * one. Declared here so ownership/ needs nothing of inventory/, which it reads for.
 */
export interface OwnedFootprint {
  readonly kind: 'target-group' | 'security-group' | 'node-rule';
  /** A target group's or security group's name; a rule's description. */
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** A node rule: the security group it is in, and that group's tags (which name the cluster). */
  readonly group?: { readonly tags: Readonly<Record<string, string>> };
}

export type FootprintOwnership =
  | { readonly kind: 'owned-by'; readonly owner: FootprintOwner }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

/**
 * Who a footprint resource was made for, by its kind:
 * - a target group or a front-end security group: the owner tag families, each
 *   with its resource tag rule for that kind (tag-families.ts);
 * - the LBC's shared backend security group: its cluster;
 * - an in-tree node rule: the load balancer its description names, of the one
 *   cluster its security group's `kubernetes.io/cluster/<name>` key names.
 * The ignore tag protects any of them (on a rule, on the rule or its group).
 */
export function readFootprintOwner(item: OwnedFootprint): FootprintOwnership {
  switch (item.kind) {
    case 'target-group':
      return fromTaggedOwner(item.tags, 'target-group');
    case 'security-group':
      if (item.tags[LBC_RESOURCE_TAG] === LBC_BACKEND_SECURITY_GROUP) return backendGroupOwner(item.tags);
      return fromTaggedOwner(item.tags, 'security-group');
    case 'node-rule':
      return nodeRuleOwner(item);
  }
}

function fromTaggedOwner(
  tags: Readonly<Record<string, string>>,
  kind: 'target-group' | 'security-group',
): FootprintOwnership {
  const ownership = readTaggedOwner(tags, kind);
  return ownership.kind === 'owned-by'
    ? { kind: 'owned-by', owner: { kind: 'object', owner: ownership.owner } }
    : ownership;
}

function backendGroupOwner(tags: Readonly<Record<string, string>>): FootprintOwnership {
  if (isIgnored(tags)) return { kind: 'skipped', reason: 'IGNORE_TAG' };
  const cluster = tags[LBC_CLUSTER_TAG];
  if (cluster === undefined || !isEksClusterName(cluster)) {
    return { kind: 'skipped', reason: 'MALFORMED_OWNER_TAGS' };
  }
  return { kind: 'owned-by', owner: { kind: 'cluster', cluster } };
}

function nodeRuleOwner(item: OwnedFootprint): FootprintOwnership {
  const groupTags = item.group?.tags ?? {};
  if (isIgnored(item.tags) || isIgnored(groupTags)) return { kind: 'skipped', reason: 'IGNORE_TAG' };
  const name = IN_TREE_NODE_RULE.exec(item.name)?.[2];
  if (name === undefined) return { kind: 'skipped', reason: 'NO_OWNER_TAGS' };
  const clusters = Object.keys(groupTags)
    .filter((key) => key.startsWith(IN_TREE_CLUSTER_TAG_PREFIX))
    .map((key) => key.slice(IN_TREE_CLUSTER_TAG_PREFIX.length));
  // A group shared by several clusters, or naming none: nobody can say whose rule it is.
  const [cluster, ...others] = clusters;
  if (cluster === undefined || others.length > 0 || !isEksClusterName(cluster)) {
    return { kind: 'skipped', reason: clusters.length > 1 ? 'AMBIGUOUS_OWNER_TAGS' : 'MALFORMED_OWNER_TAGS' };
  }
  return { kind: 'owned-by', owner: { kind: 'load-balancer-name', cluster, name } };
}
