import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateScan,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { FLEET_CONTRACT } from '../../contract/fleet';
import { type FleetMember, memberKey, NOTHING_SINCE_DIGEST, type SinceDigest } from './fleet-member';
import type { FleetSummary } from './fleet-summary';

/** The fleet table's partition key attribute (lib/organization/fleet-digest.ts creates it). */
export const FLEET_KEY_ATTRIBUTE = FLEET_CONTRACT.keyAttribute;
/** DynamoDB's time-to-live attribute: a member silent this long is forgotten (an account that left). */
export const FLEET_EXPIRY_ATTRIBUTE = FLEET_CONTRACT.expiryAttribute;
export const FORGET_AFTER_DAYS = 30;

/**
 * The latest summary of each member janitor, one item per account and region, in
 * the administrator account. The fleet function runs one invocation at a time
 * (reserved concurrency 1), so its read-then-write of the counters never races.
 */
export class FleetStore {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Keeps `summary` as its member's latest, and adds its counts to those since the last digest. */
  async record(summary: FleetSummary, receivedAt: Date): Promise<void> {
    const key = { [FLEET_KEY_ATTRIBUTE]: { S: memberKey(summary) } };
    const { Item } = await this.ddb.send(
      new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    const before = Item === undefined ? NOTHING_SINCE_DIGEST : sinceDigestOf(Item);
    const since: SinceDigest = {
      sweeps: before.sweeps + 1,
      marked: before.marked + summary.counts.marked,
      deleted: before.deleted + summary.counts.deleted,
      failed: before.failed + summary.counts.failed,
    };
    await this.ddb.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          summary: { S: JSON.stringify(summary) },
          receivedAt: { S: receivedAt.toISOString() },
          sinceDigest: { M: numbers(since) },
          [FLEET_EXPIRY_ATTRIBUTE]: {
            N: String(Math.floor(receivedAt.getTime() / 1000) + FORGET_AFTER_DAYS * 86_400),
          },
        },
      }),
    );
  }

  /** Every member the center knows, in key order; an item it cannot read is left out. */
  async members(): Promise<FleetMember[]> {
    const members: FleetMember[] = [];
    for await (const page of paginateScan(
      { client: this.ddb },
      { TableName: this.tableName, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) {
        const member = memberOf(item);
        if (member !== undefined) members.push(member);
      }
    }
    return members.sort((a, b) => memberKey(a.summary).localeCompare(memberKey(b.summary)));
  }

  /** After a delivered digest: the counts since it start again from zero. */
  async digestSent(members: readonly FleetMember[]): Promise<void> {
    for (const member of members) {
      await this.ddb
        .send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { [FLEET_KEY_ATTRIBUTE]: { S: memberKey(member.summary) } },
            UpdateExpression: 'SET sinceDigest = :zero',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':zero': { M: numbers(NOTHING_SINCE_DIGEST) } },
          }),
        )
        .catch((error: unknown) => {
          // Forgotten (expired) between the read and now: nothing to reset.
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        });
    }
  }
}

function numbers(since: SinceDigest): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(since).map(([name, value]) => [name, { N: String(value) }]));
}

function sinceDigestOf(item: Record<string, AttributeValue>): SinceDigest {
  const map = item.sinceDigest?.M ?? {};
  const count = (name: keyof SinceDigest) => {
    const value = Number(map[name]?.N ?? 0);
    return Number.isFinite(value) && value >= 0 ? value : 0;
  };
  return {
    sweeps: count('sweeps'),
    marked: count('marked'),
    deleted: count('deleted'),
    failed: count('failed'),
  };
}

function memberOf(item: Record<string, AttributeValue>): FleetMember | undefined {
  const receivedAt = item.receivedAt?.S;
  const text = item.summary?.S;
  if (receivedAt === undefined || text === undefined || Number.isNaN(Date.parse(receivedAt)))
    return undefined;
  try {
    return {
      summary: JSON.parse(text) as FleetMember['summary'],
      receivedAt,
      sinceDigest: sinceDigestOf(item),
    };
  } catch {
    return undefined;
  }
}
