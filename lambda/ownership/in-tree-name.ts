/**
 * The name the in-tree cloud provider gives a Service's load balancer: `a` and
 * the Service's UID without dashes, cut to 32 characters (cloud-provider-aws
 * `GetLoadBalancerName`). Its node rules name the load balancer this way.
 */
export function inTreeLoadBalancerName(serviceUid: string): string {
  return `a${serviceUid.replaceAll('-', '')}`.slice(0, 32);
}

/** The in-tree provider's node rules name their load balancer in the description (cloud-provider-aws). */
export const IN_TREE_NODE_RULE = /^kubernetes\.io\/rule\/nlb\/(health|client|mtu)=([A-Za-z0-9-]{1,32})$/;
