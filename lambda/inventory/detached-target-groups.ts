import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeTags } from './describe-tags';

/** DescribeTargetGroups' largest page. */
const TARGET_GROUP_PAGE_SIZE = 400;

/** A target group that no load balancer uses, with its tags. */
export interface DetachedTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly vpcId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** The ports an attached target group sends traffic and health checks to, in its VPC: node ports, for instance targets. */
export interface PortsInUse {
  readonly vpcId: string;
  readonly ports: readonly number[];
  readonly loadBalancerArns: readonly string[];
}

/**
 * Every target group of the region that no load balancer uses, with its tags,
 * and the ports the attached ones use: one paged DescribeTargetGroups, then
 * DescribeTags for the detached ones only (normally few). Any failed call
 * throws: the caller changes nothing then.
 */
export async function readDetachedTargetGroups(
  elbv2: ElasticLoadBalancingV2Client,
  concurrency: number,
): Promise<{ detached: DetachedTargetGroup[]; portsInUse: PortsInUse[] }> {
  const { detached, portsInUse } = await listTargetGroups(elbv2);
  const tags = await describeTags(
    elbv2,
    detached.map((group) => group.arn),
    concurrency,
  );
  // A target group gone between the two calls is simply not there any more.
  return {
    detached: detached.flatMap((group) => {
      const groupTags = tags.get(group.arn);
      return groupTags === undefined ? [] : [{ ...group, tags: groupTags }];
    }),
    portsInUse,
  };
}

/** The ports attached target groups use now: one paged DescribeTargetGroups. Throws on failure. */
export async function readPortsInUse(elbv2: ElasticLoadBalancingV2Client): Promise<PortsInUse[]> {
  return (await listTargetGroups(elbv2)).portsInUse;
}

/** Every target group, page by page: the detached ones, and the ports of the attached ones. */
async function listTargetGroups(
  elbv2: ElasticLoadBalancingV2Client,
): Promise<{ detached: Omit<DetachedTargetGroup, 'tags'>[]; portsInUse: PortsInUse[] }> {
  const detached: Omit<DetachedTargetGroup, 'tags'>[] = [];
  const portsInUse: PortsInUse[] = [];
  let marker: string | undefined;
  do {
    const output = await elbv2.send(
      new DescribeTargetGroupsCommand({ PageSize: TARGET_GROUP_PAGE_SIZE, Marker: marker }),
    );
    for (const group of output.TargetGroups ?? []) {
      if (group.TargetGroupArn === undefined) continue;
      if ((group.LoadBalancerArns ?? []).length > 0) {
        // A health check on 'traffic-port' is the traffic port, already counted.
        const healthCheckPort = Number(group.HealthCheckPort);
        portsInUse.push({
          vpcId: group.VpcId ?? '',
          ports: [group.Port, Number.isInteger(healthCheckPort) ? healthCheckPort : undefined].filter(
            (port): port is number => port !== undefined,
          ),
          loadBalancerArns: group.LoadBalancerArns ?? [],
        });
        continue;
      }
      detached.push({
        arn: group.TargetGroupArn,
        name: group.TargetGroupName ?? '',
        vpcId: group.VpcId ?? '',
      });
    }
    marker = output.NextMarker || undefined;
  } while (marker !== undefined);
  return { detached, portsInUse };
}

/**
 * How many targets are registered in each target group (any state): a detached
 * one with targets is being filled (a TargetGroupBinding) or still used. One
 * DescribeTargetHealth per target group, only for the janitor's own leftovers;
 * a failed read is that group's Error, never zero.
 */
export async function registeredTargets(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
): Promise<Map<string, number | Error>> {
  const counts = new Map<string, number | Error>();
  for (const arn of targetGroupArns) {
    try {
      const output = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      counts.set(arn, (output.TargetHealthDescriptions ?? []).length);
    } catch (error) {
      counts.set(arn, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return counts;
}
