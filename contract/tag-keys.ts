/**
 * Tag keys that say who owns a load balancer, and the keys the janitor writes: part of
 * the contract (contract/) the construct's IAM statements and the function share, so it
 * imports nothing.
 * Sources: ../shared/reference/ownership.md (aws-load-balancer-controller
 * pkg/shared_constants/tag_keys.go, cloud-provider-aws pkg/providers/v1/tags.go).
 */

/** AWS Load Balancer Controller: the cluster that created the resource. */
export const LBC_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
/** AWS Load Balancer Controller: `<namespace>/<service>` of the owning Service. */
export const LBC_SERVICE_STACK_TAG = 'service.k8s.aws/stack';
/** AWS Load Balancer Controller, Service: what the resource is (`LoadBalancer`, `<ns>/<svc>:<port>`, `ManagedLBSecurityGroup`). */
export const LBC_SERVICE_RESOURCE_TAG = 'service.k8s.aws/resource';
/** AWS Load Balancer Controller: resources of the cluster itself; `backend-sg` for the shared backend security group. */
export const LBC_RESOURCE_TAG = 'elbv2.k8s.aws/resource';
/** The value of a controller's resource tag on the front-end security group it made for one load balancer. */
export const MANAGED_LB_SECURITY_GROUP = 'ManagedLBSecurityGroup';
/** The value of `elbv2.k8s.aws/resource` on the LBC's shared backend security group (one per cluster and VPC). */
export const LBC_BACKEND_SECURITY_GROUP = 'backend-sg';

/** In-tree cloud provider: `kubernetes.io/cluster/<cluster>` = `owned`. */
export const IN_TREE_CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';
export const IN_TREE_OWNED_VALUE = 'owned';
/** In-tree cloud provider: `<namespace>/<service>` of the owning Service. */
export const IN_TREE_SERVICE_NAME_TAG = 'kubernetes.io/service-name';

/** AWS Load Balancer Controller, Gateway API (L4): `<namespace>/<gateway>` of the owning Gateway. */
export const LBC_GATEWAY_NLB_STACK_TAG = 'gateway.k8s.aws.nlb/stack';
/** AWS Load Balancer Controller, Gateway API (L4): what the resource is (`LoadBalancer`, `<gwNs>/<gw>:<route…>:<port>`). */
export const LBC_GATEWAY_NLB_RESOURCE_TAG = 'gateway.k8s.aws.nlb/resource';
/** AWS Load Balancer Controller, Ingress: `<namespace>/<ingress>`, or the name of an explicit IngressGroup. */
export const LBC_INGRESS_STACK_TAG = 'ingress.k8s.aws/stack';
/** AWS Load Balancer Controller, Ingress: what the resource is; `FrontendNlb` for the NLB before an Ingress's ALB. */
export const LBC_INGRESS_RESOURCE_TAG = 'ingress.k8s.aws/resource';

/** EKS Auto Mode (`loadBalancerClass: eks.amazonaws.com/nlb`): the cluster. */
export const EKS_AUTO_CLUSTER_TAG = 'eks:eks-cluster-name';
/** EKS Auto Mode: `<namespace>/<service>` of the owning Service. */
export const EKS_AUTO_SERVICE_STACK_TAG = 'service.eks.amazonaws.com/stack';
/** EKS Auto Mode: what the resource is; `LoadBalancer` for the NLB itself. */
export const EKS_AUTO_RESOURCE_TAG = 'service.eks.amazonaws.com/resource';

/** Owners no family here judges: the LBC's Gateway API ALBs (the janitor judges NLBs only). */
export const UNJUDGED_OWNER_TAGS = ['gateway.k8s.aws.alb/stack'] as const;

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

/**
 * On a target group: the ARN of the load balancer the janitor deleted it with,
 * written right before that deletion. A target group that carries it and no
 * longer has a load balancer is a leftover of the janitor's own deletion, which
 * a later sweep finishes (no new grace period: the load balancer's announced
 * promise covered it).
 */
export const DELETED_WITH_TAG = `${JANITOR_TAG_PREFIX}deleted-with`;

/**
 * The one tag each controller writes, with a value, on everything it makes for an owner:
 * what IAM can demand be present before the role may delete (a condition key cannot hold
 * the in-tree provider's `kubernetes.io/cluster/<name>`, so its Service-name tag stands
 * in). Every tag family's cluster key (or, in-tree, stack key) is one of these
 * (test/unit/contract.test.ts holds it to lambda/ownership/tag-families.ts).
 */
export const CONTROLLER_OWNER_TAGS = {
  'aws-load-balancer-controller': LBC_CLUSTER_TAG,
  'in-tree': IN_TREE_SERVICE_NAME_TAG,
  'eks-auto-mode': EKS_AUTO_CLUSTER_TAG,
} as const;

/**
 * The keys the inventory asks the Resource Groups Tagging API for, one query
 * each: every load balancer a tag family could claim carries one of them, and
 * every load balancer the janitor marked carries suspect-since, so its mark is
 * always seen. The LBC (Services, Gateways, Ingresses) writes its cluster tag
 * with every stack tag, EKS Auto Mode its own cluster tag; the in-tree
 * provider's `kubernetes.io/cluster/<name>` keys cannot be asked for by prefix,
 * but it writes `kubernetes.io/service-name` beside them. A load balancer with a
 * stack tag alone, or an in-tree cluster tag alone, is not found here: it was
 * malformed (skipped) and is now without owner tags (skipped) — left alone either way.
 */
export const DISCOVERY_TAG_KEYS = [...Object.values(CONTROLLER_OWNER_TAGS), SUSPECT_SINCE_TAG] as const;
