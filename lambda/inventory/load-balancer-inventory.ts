import {
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer as SdkLoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DISCOVERY_TAG_KEYS } from '../../contract/tag-keys';
import { errorText } from '../util/error-text';
import { describeTags } from './describe-tags';
import type { InventoryItem, LoadBalancer } from './load-balancer';
import { isAccessDenied, readTagsByTaggingApi, type TaggingApiClient } from './tagging-api-tags';

/** DescribeLoadBalancers' largest page. */
const LOAD_BALANCER_PAGE_SIZE = 400;

export interface InventoryOptions {
  /** Describe calls in flight at once. */
  readonly concurrency: number;
  /**
   * Where the tags come from: the Resource Groups Tagging API, outside ELBv2's
   * shared describe bucket. Undefined, or denied: DescribeTags, 20 ARNs a call.
   */
  readonly tagging?: TaggingApiClient;
}

/** Where the inventory's tags came from, for the report. */
export type TagSource =
  | { readonly kind: 'tagging-api'; readonly calls: number }
  | { readonly kind: 'describe-tags'; readonly reason: string };

export interface Inventory {
  /** Every load balancer in the region, of every type. */
  readonly loadBalancerCount: number;
  /** Network load balancers, with their tags where DescribeTags answered. */
  readonly networkLoadBalancers: readonly InventoryItem[];
  /** Every load balancer of the region, of every type: ARN → name. */
  readonly allLoadBalancers: ReadonlyMap<string, string>;
  /** Security group → the load balancers (of any type) whose security groups include it. */
  readonly securityGroupUsers: ReadonlyMap<string, readonly string[]>;
  readonly tagSource: TagSource;
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
  const { tagsOf, tagSource } = await readTags(
    elbv2,
    network.map((loadBalancer) => loadBalancer.arn),
    options,
  );
  const securityGroupUsers = new Map<string, string[]>();
  for (const loadBalancer of all) {
    for (const group of loadBalancer.securityGroups ?? []) {
      securityGroupUsers.set(group, [...(securityGroupUsers.get(group) ?? []), loadBalancer.arn]);
    }
  }
  return {
    loadBalancerCount: all.length,
    networkLoadBalancers: network.map((loadBalancer) => ({ loadBalancer, tags: tagsOf(loadBalancer.arn) })),
    allLoadBalancers: new Map(all.map((loadBalancer) => [loadBalancer.arn, loadBalancer.name])),
    securityGroupUsers,
    tagSource,
  };
}

async function readTags(
  elbv2: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  options: InventoryOptions,
): Promise<{ tagsOf: (arn: string) => Record<string, string> | undefined; tagSource: TagSource }> {
  let reason = 'no Resource Groups Tagging API client';
  if (options.tagging !== undefined) {
    // No network load balancer, no question to ask.
    if (arns.length === 0) return { tagsOf: () => ({}), tagSource: { kind: 'tagging-api', calls: 0 } };
    try {
      const found = await readTagsByTaggingApi(options.tagging, DISCOVERY_TAG_KEYS);
      return {
        // Not returned: no discovery key, so no owner tags — or created or tagged too recently
        // for the tagging API to know. Either way it is skipped (NO_OWNER_TAGS), never judged
        // unowned: the janitor only ever acts on load balancers whose tags name an owner.
        tagsOf: (arn) => found.tags.get(arn) ?? {},
        tagSource: { kind: 'tagging-api', calls: found.calls },
      };
    } catch (error) {
      if (!isAccessDenied(error)) throw error;
      reason = `the Resource Groups Tagging API was denied (${errorText(error)})`;
    }
  }
  const tags = await describeTags(elbv2, arns, options.concurrency);
  // A load balancer DescribeTags left out (deleted meanwhile, or not answered) is unknown, not unowned.
  return { tagsOf: (arn) => tags.get(arn), tagSource: { kind: 'describe-tags', reason } };
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
    securityGroups: lb.SecurityGroups ?? [],
  };
}
