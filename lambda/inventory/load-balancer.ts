/** One load balancer as DescribeLoadBalancers and DescribeTags showed it. */
export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  /** `network`, `application` or `gateway`. */
  readonly type: string;
  readonly dnsName: string;
  readonly scheme: string;
  readonly vpcId: string;
  readonly createdAt: string | undefined;
  /** How many Availability Zones it is enabled in: an internet-facing NLB has a public IPv4 address in each. */
  readonly availabilityZones?: number;
  /** Its security groups (an NLB has them only if made with them: the LBC does since v2.6). */
  readonly securityGroups?: readonly string[];
}

/** A load balancer with its tags; `tags` is undefined when DescribeTags did not answer for it. */
export interface InventoryItem {
  readonly loadBalancer: LoadBalancer;
  readonly tags: Readonly<Record<string, string>> | undefined;
}
