/** The parts of a Gateway API Gateway (`gateway.networking.k8s.io/v1`) the janitor's verdict depends on. */
export interface GatewaySummary {
  readonly namespace: string;
  readonly name: string;
  /** `spec.gatewayClassName`. */
  readonly gatewayClassName: string;
  /** `status.addresses[].value` (hostnames or IPs). */
  readonly addresses: readonly string[];
}
