/**
 * Tag keys that say who owns a load balancer, and the keys the janitor writes.
 * Sources: ../shared/reference/ownership.md (aws-load-balancer-controller
 * pkg/shared_constants/tag_keys.go, cloud-provider-aws pkg/providers/v1/tags.go).
 */

/** AWS Load Balancer Controller: the cluster that created the resource. */
export const LBC_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
/** AWS Load Balancer Controller: `<namespace>/<service>` of the owning Service. */
export const LBC_SERVICE_STACK_TAG = 'service.k8s.aws/stack';

/** In-tree cloud provider: `kubernetes.io/cluster/<cluster>` = `owned`. */
export const IN_TREE_CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';
export const IN_TREE_OWNED_VALUE = 'owned';
/** In-tree cloud provider: `<namespace>/<service>` of the owning Service. */
export const IN_TREE_SERVICE_NAME_TAG = 'kubernetes.io/service-name';

/** Owners the janitor does not judge (yet): Ingresses and Gateways. */
export const NON_SERVICE_OWNER_TAGS = [
  'ingress.k8s.aws/stack',
  'gateway.k8s.aws.nlb/stack',
  'gateway.k8s.aws.alb/stack',
] as const;

/** Every key the janitor writes starts with this prefix (IAM names the keys one by one: JANITOR_MARK_TAGS). */
export const JANITOR_TAG_PREFIX = 'nlb-janitor/';
/** When the janitor first saw the load balancer orphaned, ISO-8601 UTC to the second. */
export const SUSPECT_SINCE_TAG = `${JANITOR_TAG_PREFIX}suspect-since`;
/** Why the janitor thinks the load balancer is orphaned. */
export const SUSPECT_REASON_TAG = `${JANITOR_TAG_PREFIX}reason`;
/** When the janitor will delete the load balancer at the earliest, ISO-8601 UTC. */
export const DELETES_AT_TAG = `${JANITOR_TAG_PREFIX}deletes-at`;
/** When a report announced the coming deletion, ISO-8601 UTC. */
export const ANNOUNCED_AT_TAG = `${JANITOR_TAG_PREFIX}announced-at`;
/** Set by a person to keep the janitor away from a load balancer; never written by the janitor. */
export const IGNORE_TAG = `${JANITOR_TAG_PREFIX}ignore`;

/**
 * Every key the janitor adds or removes, and nothing else: the role's tagging
 * permission names exactly these (lib/janitor-permissions.ts), so IAM refuses
 * any other key, the ignore tag above all.
 */
export const JANITOR_MARK_TAGS = [
  SUSPECT_SINCE_TAG,
  SUSPECT_REASON_TAG,
  DELETES_AT_TAG,
  ANNOUNCED_AT_TAG,
] as const;
