import {
  EKS_AUTO_CLUSTER_TAG,
  EKS_AUTO_RESOURCE_TAG,
  EKS_AUTO_SERVICE_STACK_TAG,
  IN_TREE_CLUSTER_TAG_PREFIX,
  IN_TREE_OWNED_VALUE,
  IN_TREE_SERVICE_NAME_TAG,
  LBC_CLUSTER_TAG,
  LBC_GATEWAY_NLB_RESOURCE_TAG,
  LBC_GATEWAY_NLB_STACK_TAG,
  LBC_INGRESS_RESOURCE_TAG,
  LBC_INGRESS_STACK_TAG,
  LBC_SERVICE_RESOURCE_TAG,
  LBC_SERVICE_STACK_TAG,
  MANAGED_LB_SECURITY_GROUP,
} from '../../contract/tag-keys';

/** The kinds of AWS resource a controller makes for an owner that the janitor judges. */
export type ResourceKind = 'load-balancer' | 'target-group' | 'security-group';

/**
 * A target group's resource tag names its owner's stack and a port:
 * `<ns>/<svc>:<port>`, `<gwNs>/<gw>:<route…>:<port>`.
 */
export const STACK_AND_PORT = 'stack-and-port';

/** What a family's resource tag must say on one kind of resource. */
export interface ResourceTagRule {
  readonly key: string;
  /** The exact value, or STACK_AND_PORT: `<the stack tag's value>:<…>`. */
  readonly value: string;
  /** Absent and not required: not checked (older controllers wrote none). */
  readonly required: boolean;
}

/** Who made a load balancer, as its tags tell. */
export type Controller = 'aws-load-balancer-controller' | 'in-tree' | 'eks-auto-mode';

/** The kind of Kubernetes object a tag family names as the owner. */
export type FamilyOwnerKind = 'Service' | 'Gateway' | 'Ingress';

/**
 * One provisioner's tags for one kind of owner: a small table entry, read by
 * one reader (owner.ts). Sources: ../shared/reference/ownership.md.
 */
export interface TagFamily {
  readonly controller: Controller;
  readonly ownerKind: FamilyOwnerKind;
  /** The tag that names the owner: `<namespace>/<name>` (an Ingress family also takes an IngressGroup name). */
  readonly stackKey: string;
  /** Where the cluster's name is: a tag's value, or an `owned` tag's key after a prefix (in-tree). */
  readonly cluster: { readonly key: string } | { readonly ownedKeyPrefix: string };
  /**
   * The kinds of resource judged under this family, each with what its resource
   * tag must say (null: the family writes none). Tags of this family on a kind
   * not listed are not judged: the janitor leaves what it does not know alone.
   */
  readonly resources: Readonly<Partial<Record<ResourceKind, ResourceTagRule | null>>>;
}

export const TAG_FAMILIES: readonly TagFamily[] = [
  {
    controller: 'aws-load-balancer-controller',
    ownerKind: 'Service',
    stackKey: LBC_SERVICE_STACK_TAG,
    cluster: { key: LBC_CLUSTER_TAG },
    resources: {
      'load-balancer': null,
      'target-group': { key: LBC_SERVICE_RESOURCE_TAG, value: STACK_AND_PORT, required: true },
      'security-group': { key: LBC_SERVICE_RESOURCE_TAG, value: MANAGED_LB_SECURITY_GROUP, required: true },
    },
  },
  {
    controller: 'in-tree',
    ownerKind: 'Service',
    stackKey: IN_TREE_SERVICE_NAME_TAG,
    cluster: { ownedKeyPrefix: IN_TREE_CLUSTER_TAG_PREFIX },
    // The in-tree provider makes no security group for an NLB: it opens node security groups instead (node rules).
    resources: { 'load-balancer': null, 'target-group': null },
  },
  {
    controller: 'eks-auto-mode',
    ownerKind: 'Service',
    stackKey: EKS_AUTO_SERVICE_STACK_TAG,
    cluster: { key: EKS_AUTO_CLUSTER_TAG },
    resources: {
      'load-balancer': { key: EKS_AUTO_RESOURCE_TAG, value: 'LoadBalancer', required: false },
      'target-group': { key: EKS_AUTO_RESOURCE_TAG, value: STACK_AND_PORT, required: false },
      'security-group': { key: EKS_AUTO_RESOURCE_TAG, value: MANAGED_LB_SECURITY_GROUP, required: true },
    },
  },
  {
    controller: 'aws-load-balancer-controller',
    ownerKind: 'Gateway',
    stackKey: LBC_GATEWAY_NLB_STACK_TAG,
    cluster: { key: LBC_CLUSTER_TAG },
    resources: {
      'load-balancer': null,
      'target-group': { key: LBC_GATEWAY_NLB_RESOURCE_TAG, value: STACK_AND_PORT, required: true },
    },
  },
  {
    // The front-end NLB the LBC puts before an Ingress's ALB (alb.ingress.kubernetes.io/enable-frontend-nlb).
    controller: 'aws-load-balancer-controller',
    ownerKind: 'Ingress',
    stackKey: LBC_INGRESS_STACK_TAG,
    cluster: { key: LBC_CLUSTER_TAG },
    // Only the front-end NLB: the Ingress's target groups and security groups belong to its ALB.
    resources: { 'load-balancer': { key: LBC_INGRESS_RESOURCE_TAG, value: 'FrontendNlb', required: true } },
  },
];

/** Every key that names a cluster or an owner: the role may tag only resources carrying one. */
export const CLUSTER_TAG_KEYS = [LBC_CLUSTER_TAG, EKS_AUTO_CLUSTER_TAG] as const;

/** The `owned` value of the in-tree cluster tag. */
export const OWNED = IN_TREE_OWNED_VALUE;
