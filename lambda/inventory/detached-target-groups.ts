import {
  DescribeTargetGroupsCommand,
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

/**
 * Every target group of the region that no load balancer uses, with its tags:
 * one paged DescribeTargetGroups, then DescribeTags for the detached ones only
 * (normally few). Any failed call throws: the caller changes nothing then.
 */
export async function readDetachedTargetGroups(
  elbv2: ElasticLoadBalancingV2Client,
  concurrency: number,
): Promise<DetachedTargetGroup[]> {
  const detached: Omit<DetachedTargetGroup, 'tags'>[] = [];
  let marker: string | undefined;
  do {
    const output = await elbv2.send(
      new DescribeTargetGroupsCommand({ PageSize: TARGET_GROUP_PAGE_SIZE, Marker: marker }),
    );
    for (const group of output.TargetGroups ?? []) {
      if (group.TargetGroupArn === undefined || (group.LoadBalancerArns ?? []).length > 0) continue;
      detached.push({
        arn: group.TargetGroupArn,
        name: group.TargetGroupName ?? '',
        vpcId: group.VpcId ?? '',
      });
    }
    marker = output.NextMarker || undefined;
  } while (marker !== undefined);
  const tags = await describeTags(
    elbv2,
    detached.map((group) => group.arn),
    concurrency,
  );
  // A target group gone between the two calls is simply not there any more.
  return detached.flatMap((group) => {
    const groupTags = tags.get(group.arn);
    return groupTags === undefined ? [] : [{ ...group, tags: groupTags }];
  });
}
