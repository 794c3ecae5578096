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

/** Every key the janitor writes starts with this prefix; IAM limits tagging to it. */
export const JANITOR_TAG_PREFIX = 'nlb-janitor/';
/** When the janitor first saw the load balancer orphaned, ISO-8601 UTC to the second. */
export const SUSPECT_SINCE_TAG = `${JANITOR_TAG_PREFIX}suspect-since`;
/** Why the janitor thinks the load balancer is orphaned. */
export const SUSPECT_REASON_TAG = `${JANITOR_TAG_PREFIX}reason`;
/** When the janitor promised to delete it, ISO-8601 UTC to the second; written with suspect-since. */
export const DELETES_AT_TAG = `${JANITOR_TAG_PREFIX}deletes-at`;
/** When the report naming the promise reached a person; written only after it was delivered. */
export const ANNOUNCED_AT_TAG = `${JANITOR_TAG_PREFIX}announced-at`;
/** When the one reminder in the 24 hours before the deletion reached a person; written only after it was delivered. */
export const REMINDED_AT_TAG = `${JANITOR_TAG_PREFIX}reminded-at`;
/** Every tag of a janitor's mark: the only keys its role may add or remove. */
export const JANITOR_MARK_TAGS = [
  SUSPECT_SINCE_TAG,
  SUSPECT_REASON_TAG,
  DELETES_AT_TAG,
  ANNOUNCED_AT_TAG,
  REMINDED_AT_TAG,
] as const;
/**
 * Tags on the report topic in which the janitor remembers what it told people
 * (lambda/report/said-memory.ts); its role may write only these on its topic.
 */
export const SAID_TOPIC_TAG_PREFIX = `${JANITOR_TAG_PREFIX}said/`;
/**
 * Set by a person to keep the janitor away from a load balancer. Any value but
 * `false` protects it: people under pressure type `yes`, `1`, `keep` or nothing.
 */
export const IGNORE_TAG = `${JANITOR_TAG_PREFIX}ignore`;
