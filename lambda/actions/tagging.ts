import { CreateTagsCommand, DeleteTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  type ElasticLoadBalancingV2Client,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isNotFound } from '../inventory/describe-tags';
import { chunk } from '../util/concurrency';
import { errorText } from '../util/error-text';

/** A change to one resource's tags; `id` is an ELBv2 ARN or an EC2 ID, as its writer takes it. */
export type TagChange =
  | { readonly kind: 'add'; readonly id: string; readonly tags: Readonly<Record<string, string>> }
  | { readonly kind: 'remove'; readonly id: string; readonly keys: readonly string[] };

/** Resources whose change failed, with the error, or that no longer exist (`gone`). Every other one was changed. */
export type TagFailures = ReadonlyMap<string, string | 'gone'>;

/** Writes tags on one service's resources, many at a time. */
export interface TagWriter {
  /** Resources one call may change. */
  readonly batchSize: number;
  add(ids: string[], tags: Readonly<Record<string, string>>): Promise<void>;
  remove(ids: string[], keys: readonly string[]): Promise<void>;
  /** The resource no longer exists: nothing left to tag. */
  isGone(error: unknown): boolean;
}

/** Load balancers and target groups: ELBv2 AddTags and RemoveTags. */
export function elbv2TagWriter(elbv2: ElasticLoadBalancingV2Client): TagWriter {
  const toTags = (tags: Readonly<Record<string, string>>) =>
    Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    add: async (ids, tags) => {
      await elbv2.send(new AddTagsCommand({ ResourceArns: ids, Tags: toTags(tags) }));
    },
    remove: async (ids, keys) => {
      await elbv2.send(new RemoveTagsCommand({ ResourceArns: ids, TagKeys: [...keys] }));
    },
    isGone: isNotFound,
    // AddTags and RemoveTags take a list of ARNs; 20 matches DescribeTags and the LBC's batches.
    batchSize: 20,
  };
}

/** Security groups and security group rules: EC2 CreateTags and DeleteTags. */
export function ec2TagWriter(ec2: EC2Client): TagWriter {
  return {
    add: async (ids, tags) => {
      await ec2.send(
        new CreateTagsCommand({
          Resources: ids,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    },
    remove: async (ids, keys) => {
      await ec2.send(new DeleteTagsCommand({ Resources: ids, Tags: keys.map((Key) => ({ Key })) }));
    },
    isGone: isEc2NotFound,
    // CreateTags takes up to 1,000 resource IDs; 200 keeps a failed batch's one-by-one retry short.
    batchSize: 200,
  };
}

/** EC2's answers for a security group or rule that no longer exists. */
export function isEc2NotFound(error: unknown): boolean {
  return (
    error instanceof Error &&
    ['InvalidGroup.NotFound', 'InvalidSecurityGroupRuleId.NotFound', 'InvalidID'].includes(error.name)
  );
}

/**
 * Applies tag changes in as few calls as possible: changes with the same tags
 * (or keys) go together, the writer's batch size a call. When a batch fails, its ARNs are tried
 * one by one so that one bad load balancer does not hold back the others.
 */
export async function applyTagChanges(
  writer: TagWriter,
  changes: readonly TagChange[],
): Promise<TagFailures> {
  const failures = new Map<string, string | 'gone'>();
  for (const group of groupBySameChange(changes).values()) {
    for (const batch of chunk(group, writer.batchSize)) {
      try {
        await send(writer, batch);
      } catch (batchError) {
        if (batch.length === 1) {
          failures.set(batch[0]?.id ?? '', failureOf(writer, batchError));
          continue;
        }
        for (const change of batch) {
          try {
            await send(writer, [change]);
          } catch (error) {
            failures.set(change.id, failureOf(writer, error));
          }
        }
      }
    }
  }
  return failures;
}

// A resource deleted meanwhile (by another sweep, a person, its controller) has nothing left to tag.
function failureOf(writer: TagWriter, error: unknown): string | 'gone' {
  return writer.isGone(error) ? 'gone' : errorText(error);
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

async function send(writer: TagWriter, batch: readonly TagChange[]): Promise<void> {
  const [first] = batch;
  if (first === undefined) return;
  const ids = batch.map((change) => change.id);
  if (first.kind === 'add') await writer.add(ids, first.tags);
  else await writer.remove(ids, first.keys);
}
