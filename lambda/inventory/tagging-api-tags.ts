import {
  GetResourcesCommand,
  type ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { mapWithConcurrency } from '../util/concurrency';
import { toRecord } from './describe-tags';

/** GetResources' largest page. */
const RESOURCES_PER_PAGE = 100;
/** Application, network and gateway load balancers (classic ones are `elasticloadbalancing:loadbalancer/<name>` ARNs, which the inventory never lists). */
export const LOAD_BALANCER_RESOURCE_TYPE = 'elasticloadbalancing:loadbalancer';

/** The slice of the Resource Groups Tagging API client the inventory uses. */
export type TaggingApiClient = Pick<ResourceGroupsTaggingAPIClient, 'send'>;

export interface TaggedResources {
  /** Every ARN some query returned, with all its tags as the tagging API last saw them. */
  readonly tags: Map<string, Record<string, string>>;
  /** GetResources calls made. */
  readonly calls: number;
}

/**
 * Tags of the load balancers that carry any of `keys`, read through the Resource
 * Groups Tagging API: 100 resources a page, all their tags, from a rate limit of
 * its own instead of ELBv2's shared describe bucket. TagFilters in one request are
 * ANDed, so each key is its own paginated query; the answers are merged by ARN.
 *
 * The tagging API is eventually consistent: a load balancer created or re-tagged
 * a moment ago may be missing or show old tags. The caller never mutates on this
 * answer alone (see applyTagPhase in ../sweep/run-sweep.ts). Any failure throws.
 */
export async function readTagsByTaggingApi(
  tagging: TaggingApiClient,
  keys: readonly string[],
): Promise<TaggedResources> {
  const tags = new Map<string, Record<string, string>>();
  let calls = 0;
  await mapWithConcurrency(keys, keys.length, async (key) => {
    let token: string | undefined;
    do {
      calls += 1;
      const output = await tagging.send(
        new GetResourcesCommand({
          ResourceTypeFilters: [LOAD_BALANCER_RESOURCE_TYPE],
          TagFilters: [{ Key: key }],
          ResourcesPerPage: RESOURCES_PER_PAGE,
          PaginationToken: token,
        }),
      );
      for (const mapping of output.ResourceTagMappingList ?? []) {
        if (mapping.ResourceARN !== undefined) tags.set(mapping.ResourceARN, toRecord(mapping.Tags));
      }
      token = output.PaginationToken || undefined;
    } while (token !== undefined);
  });
  return { tags, calls };
}

/** The tagging API refused the caller (IAM, an SCP, a permissions boundary): DescribeTags can stand in. */
export function isAccessDenied(error: unknown): boolean {
  return (
    error instanceof Error && /^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(error.name)
  );
}
