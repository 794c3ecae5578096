import {
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer as SdkLoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeTags } from './describe-tags';
import type { InventoryItem, LoadBalancer } from './load-balancer';

/** DescribeLoadBalancers' largest page. */
const LOAD_BALANCER_PAGE_SIZE = 400;

export interface InventoryOptions {
  /** Describe calls in flight at once. */
  readonly concurrency: number;
}

export interface Inventory {
  /** Every load balancer in the region, of every type. */
  readonly loadBalancerCount: number;
  /** Network load balancers, with their tags where DescribeTags answered. */
  readonly networkLoadBalancers: readonly InventoryItem[];
}

/**
 * Reads every load balancer of the region and the tags of the network ones.
 * Any failed call throws: an incomplete inventory must never lead to a decision.
 */
export async function readInventory(
  elbv2: ElasticLoadBalancingV2Client,
  options: InventoryOptions,
): Promise<Inventory> {
  const all = await describeAllLoadBalancers(elbv2);
  const network = all.filter((loadBalancer) => loadBalancer.type === 'network');
  const tagsByArn = await describeTags(
    elbv2,
    network.map((loadBalancer) => loadBalancer.arn),
    options.concurrency,
  );
  return {
    loadBalancerCount: all.length,
    // A load balancer DescribeTags left out (deleted meanwhile, or not answered) is unknown, not unowned.
    networkLoadBalancers: network.map((loadBalancer) => ({
      loadBalancer,
      tags: tagsByArn.get(loadBalancer.arn),
    })),
  };
}

async function describeAllLoadBalancers(elbv2: ElasticLoadBalancingV2Client): Promise<LoadBalancer[]> {
  const loadBalancers: LoadBalancer[] = [];
  let marker: string | undefined;
  do {
    const output = await elbv2.send(
      new DescribeLoadBalancersCommand({ PageSize: LOAD_BALANCER_PAGE_SIZE, Marker: marker }),
    );
    for (const loadBalancer of output.LoadBalancers ?? []) loadBalancers.push(toLoadBalancer(loadBalancer));
    marker = output.NextMarker || undefined;
  } while (marker !== undefined);
  return loadBalancers;
}

function toLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    type: lb.Type ?? '',
    dnsName: lb.DNSName ?? '',
    scheme: lb.Scheme ?? '',
    vpcId: lb.VpcId ?? '',
    createdAt: lb.CreatedTime?.toISOString(),
    availabilityZones: lb.AvailabilityZones?.length ?? 0,
  };
}
