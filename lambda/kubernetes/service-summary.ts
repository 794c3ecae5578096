/** The parts of a Kubernetes Service the janitor's verdict depends on. */
export interface ServiceSummary {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** `spec.type`: `LoadBalancer`, `ClusterIP`, `NodePort` or `ExternalName`. */
  readonly type: string;
  /** `status.loadBalancer.ingress[].hostname`, the DNS names of its load balancers. */
  readonly ingressHostnames: readonly string[];
  /** `status.loadBalancer.ingress[].ip`. */
  readonly ingressIps: readonly string[];
  /** `metadata.labels`: which Gateway implementation made it, and for which Gateway. */
  readonly labels?: Readonly<Record<string, string>>;
}
