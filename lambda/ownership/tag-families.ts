import {
  EKS_AUTO_CLUSTER_TAG,
  EKS_AUTO_RESOURCE_TAG,
  EKS_AUTO_SERVICE_STACK_TAG,
  IN_TREE_CLUSTER_TAG_PREFIX,
  IN_TREE_OWNED_VALUE,
  IN_TREE_SERVICE_NAME_TAG,
  LBC_CLUSTER_TAG,
  LBC_GATEWAY_NLB_STACK_TAG,
  LBC_INGRESS_RESOURCE_TAG,
  LBC_INGRESS_STACK_TAG,
  LBC_SERVICE_STACK_TAG,
} from './tag-keys';

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
  /** A tag that, when present, must say the resource is this load balancer. */
  readonly resource?: { readonly key: string; readonly value: string };
}

export const TAG_FAMILIES: readonly TagFamily[] = [
  {
    controller: 'aws-load-balancer-controller',
    ownerKind: 'Service',
    stackKey: LBC_SERVICE_STACK_TAG,
    cluster: { key: LBC_CLUSTER_TAG },
  },
  {
    controller: 'in-tree',
    ownerKind: 'Service',
    stackKey: IN_TREE_SERVICE_NAME_TAG,
    cluster: { ownedKeyPrefix: IN_TREE_CLUSTER_TAG_PREFIX },
  },
  {
    controller: 'eks-auto-mode',
    ownerKind: 'Service',
    stackKey: EKS_AUTO_SERVICE_STACK_TAG,
    cluster: { key: EKS_AUTO_CLUSTER_TAG },
    resource: { key: EKS_AUTO_RESOURCE_TAG, value: 'LoadBalancer' },
  },
  {
    controller: 'aws-load-balancer-controller',
    ownerKind: 'Gateway',
    stackKey: LBC_GATEWAY_NLB_STACK_TAG,
    cluster: { key: LBC_CLUSTER_TAG },
  },
  {
    // The front-end NLB the LBC puts before an Ingress's ALB (alb.ingress.kubernetes.io/enable-frontend-nlb).
    controller: 'aws-load-balancer-controller',
    ownerKind: 'Ingress',
    stackKey: LBC_INGRESS_STACK_TAG,
    cluster: { key: LBC_CLUSTER_TAG },
    resource: { key: LBC_INGRESS_RESOURCE_TAG, value: 'FrontendNlb' },
  },
];

/** Every key that names a cluster or an owner: the role may tag only resources carrying one. */
export const CLUSTER_TAG_KEYS = [LBC_CLUSTER_TAG, EKS_AUTO_CLUSTER_TAG] as const;

/** The `owned` value of the in-tree cluster tag. */
export const OWNED = IN_TREE_OWNED_VALUE;
