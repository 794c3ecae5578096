import {
  AddTagsCommand,
  type ElasticLoadBalancingV2Client,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isNotFound } from '../inventory/describe-tags';
import { chunk } from '../util/concurrency';
import { errorText } from '../util/error-text';

/** AddTags and RemoveTags take a list of ARNs; 20 matches DescribeTags and the LBC's batches. */
const TAGGING_BATCH_SIZE = 20;

export type TagChange =
  | { readonly kind: 'add'; readonly arn: string; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'remove'; readonly arn: string; readonly keys: readonly string[] };

/** ARNs whose change failed, with the error, or that no longer exist (`gone`). Every other ARN was changed. */
export type TagFailures = ReadonlyMap<string, string | 'gone'>;

/**
 * Applies tag changes in as few calls as possible: changes with the same tags
 * (or keys) go together, 20 ARNs a call. When a batch fails, its ARNs are tried
 * one by one so that one bad load balancer does not hold back the others.
 */
export async function applyTagChanges(
  elbv2: ElasticLoadBalancingV2Client,
  changes: readonly TagChange[],
): Promise<TagFailures> {
  const failures = new Map<string, string | 'gone'>();
  for (const group of groupBySameChange(changes).values()) {
    for (const batch of chunk(group, TAGGING_BATCH_SIZE)) {
      try {
        await send(elbv2, batch);
      } catch (batchError) {
        if (batch.length === 1) {
          failures.set(batch[0]?.arn ?? '', failureOf(batchError));
          continue;
        }
        for (const change of batch) {
          try {
            await send(elbv2, [change]);
          } catch (error) {
            failures.set(change.arn, failureOf(error));
          }
        }
      }
    }
  }
  return failures;
}

// A resource deleted meanwhile (by another sweep, a person, its controller) has nothing left to tag.
function failureOf(error: unknown): string | 'gone' {
  return isNotFound(error) ? 'gone' : errorText(error);
}

function groupBySameChange(changes: readonly TagChange[]): Map<string, TagChange[]> {
  const groups = new Map<string, TagChange[]>();
  for (const change of changes) {
    const key =
      change.kind === 'add'
        ? `add ${JSON.stringify(Object.entries(change.tags).sort())}`
        : `remove ${JSON.stringify([...change.keys].sort())}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [change]);
    else group.push(change);
  }
  return groups;
}

async function send(elbv2: ElasticLoadBalancingV2Client, batch: readonly TagChange[]): Promise<void> {
  const [first] = batch;
  if (first === undefined) return;
  const arns = batch.map((change) => change.arn);
  if (first.kind === 'add') {
    const tags = Object.entries(first.tags).map(([Key, Value]) => ({ Key, Value }));
    await elbv2.send(new AddTagsCommand({ ResourceArns: arns, Tags: tags }));
  } else {
    await elbv2.send(new RemoveTagsCommand({ ResourceArns: arns, TagKeys: [...first.keys] }));
  }
}
