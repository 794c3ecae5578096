import {
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { chunk, mapWithConcurrency } from '../util/concurrency';

/** DescribeTags takes at most 20 ARNs. */
const TAGS_BATCH_SIZE = 20;

/**
 * Tags of ELBv2 resources, 20 ARNs a call. A resource deleted since it was listed
 * makes its whole batch fail with a not-found error; the batch is then asked one
 * ARN at a time, and the ARNs that are gone are left out of the answer. Any other
 * failure throws.
 */
export async function describeTags(
  elbv2: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  concurrency: number,
): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  await mapWithConcurrency(chunk(arns, TAGS_BATCH_SIZE), concurrency, async (batch) => {
    try {
      await describeBatch(elbv2, batch, tags);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      for (const arn of batch) {
        try {
          await describeBatch(elbv2, [arn], tags);
        } catch (single) {
          if (!isNotFound(single)) throw single;
        }
      }
    }
  });
  return tags;
}

async function describeBatch(
  elbv2: ElasticLoadBalancingV2Client,
  arns: readonly string[],
  into: Map<string, Record<string, string>>,
): Promise<void> {
  const output = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [...arns] }));
  for (const description of output.TagDescriptions ?? []) {
    if (description.ResourceArn !== undefined) into.set(description.ResourceArn, toRecord(description.Tags));
  }
}

export function toRecord(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

/** ELBv2's answer for a load balancer or target group that does not exist (any more). */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'LoadBalancerNotFoundException' || error.name === 'TargetGroupNotFoundException')
  );
}
