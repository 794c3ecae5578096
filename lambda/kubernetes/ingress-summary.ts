/** The parts of a Kubernetes Ingress (`networking.k8s.io/v1`) the janitor's verdict depends on. */
export interface IngressSummary {
  readonly namespace: string;
  readonly name: string;
  /** `metadata.annotations["alb.ingress.kubernetes.io/group.name"]`: its explicit IngressGroup, if any. */
  readonly groupName: string | undefined;
  /**
   * The IngressGroups its class's IngressClassParams name (`spec.group.name`), read
   * with the IngressClasses and IngressClassParams; see ingress-groups.ts.
   */
  readonly classGroups?: readonly string[];
  /** `spec.ingressClassName`. */
  readonly ingressClassName: string | undefined;
  /** `status.loadBalancer.ingress[].hostname`. */
  readonly ingressHostnames: readonly string[];
}
