/**
 * The name the in-tree cloud provider gives a Service's load balancer: `a` and
 * the Service's UID without dashes, cut to 32 characters (cloud-provider-aws
 * `GetLoadBalancerName`). Its node rules name the load balancer this way.
 */
export function inTreeLoadBalancerName(serviceUid: string): string {
  return `a${serviceUid.replaceAll('-', '')}`.slice(0, 32);
}
