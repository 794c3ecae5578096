import {
  ListTagsForResourceCommand,
  type SNSClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { SAID_TOPIC_TAG_PREFIX } from '../../contract/tag-keys';
import type { AttentionOutcome, ClusterCondition, SaidState } from './notice';
import type { Savings } from './sweep-report';

/**
 * Where the janitor remembers what it told people, between sweeps: tags on the
 * report topic itself. The topic is what people subscribe to, lives as long as the
 * deployment (a cold start or a redeploy keeps it), and the CLI reaches the same
 * memory when it publishes to the same topic. Keys, all under this prefix:
 * - `nlb-janitor/said/cluster/<name>` = `unverified`, `breaker` or both (space-separated);
 * - `nlb-janitor/said/lb/<name>` = `needs-manual-action` or `spared`;
 * - `nlb-janitor/said/savings` = `<deleted> <monthly USD> <since>`.
 */
export const SAID_TAG_PREFIX = SAID_TOPIC_TAG_PREFIX;
const CLUSTER_PREFIX = `${SAID_TAG_PREFIX}cluster/`;
const LB_PREFIX = `${SAID_TAG_PREFIX}lb/`;
const SAVINGS_KEY = `${SAID_TAG_PREFIX}savings`;
/** SNS allows 50 tags on a topic; the janitor leaves the rest to people. */
export const MAX_TOPIC_TAGS = 50;

export interface SaidMemory {
  read(): Promise<SaidState>;
  write(state: SaidState): Promise<void>;
}

/** The tags that hold `state`, at most `room` of them; what does not fit is forgotten, so told again. */
export function encodeSaidState(state: SaidState, room: number): Record<string, string> {
  const entries: [string, string][] = [];
  if (state.savings !== undefined) {
    const { deleted, monthlyUsd, since } = state.savings;
    entries.push([SAVINGS_KEY, `${deleted} ${monthlyUsd.toFixed(2)} ${since}`]);
  }
  for (const [name, conditions] of Object.entries(state.clusters).sort()) {
    entries.push([`${CLUSTER_PREFIX}${name}`, [...conditions].sort().join(' ')]);
  }
  for (const [name, outcome] of Object.entries(state.attention).sort()) {
    entries.push([`${LB_PREFIX}${name}`, outcome]);
  }
  return Object.fromEntries(entries.slice(0, Math.max(0, room)));
}

/** The state the tags hold; a value the janitor does not recognise is not remembered. */
export function decodeSaidState(tags: Readonly<Record<string, string>>): SaidState {
  const clusters: Record<string, ClusterCondition[]> = {};
  const attention: Record<string, AttentionOutcome> = {};
  let savings: Savings | undefined;
  for (const [key, value] of Object.entries(tags)) {
    if (key.startsWith(CLUSTER_PREFIX)) {
      const conditions = value
        .split(' ')
        .filter((word): word is ClusterCondition => word === 'unverified' || word === 'breaker');
      if (conditions.length > 0) clusters[key.slice(CLUSTER_PREFIX.length)] = conditions;
    } else if (key.startsWith(LB_PREFIX)) {
      if (value === 'needs-manual-action' || value === 'spared')
        attention[key.slice(LB_PREFIX.length)] = value;
    } else if (key === SAVINGS_KEY) {
      const match = /^(\d+) (\d+\.\d{2}) (\S+)$/.exec(value);
      if (match) savings = { deleted: Number(match[1]), monthlyUsd: Number(match[2]), since: match[3] ?? '' };
    }
  }
  return { clusters, attention, savings };
}

/** The memory as tags on the SNS topic `topicArn`. */
export function topicTagMemory(sns: SNSClient, topicArn: string): SaidMemory {
  const readTags = async (): Promise<Record<string, string>> => {
    const output = await sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn }));
    return Object.fromEntries((output.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  };
  return {
    read: async () => decodeSaidState(await readTags()),
    write: async (state) => {
      const current = await readTags();
      const theirs = Object.keys(current).filter((key) => !key.startsWith(SAID_TAG_PREFIX)).length;
      const wanted = encodeSaidState(state, MAX_TOPIC_TAGS - theirs);
      const stale = Object.keys(current).filter((key) => key.startsWith(SAID_TAG_PREFIX) && !(key in wanted));
      const changed = Object.entries(wanted).filter(([key, value]) => current[key] !== value);
      // Removals first: the room they free may be needed by the additions.
      if (stale.length > 0)
        await sns.send(new UntagResourceCommand({ ResourceArn: topicArn, TagKeys: stale }));
      if (changed.length > 0) {
        await sns.send(
          new TagResourceCommand({
            ResourceArn: topicArn,
            Tags: changed.map(([Key, Value]) => ({ Key, Value })),
          }),
        );
      }
    },
  };
}
