import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { MEMORY_KEY_ATTRIBUTE } from '../../contract/fleet';
import { decodeSaidState, encodeSaidState, type SaidMemory } from '../report/said-memory';

/** The memory table's partition key attribute (lib/nlb-janitor.ts creates the table with it). */
export { MEMORY_KEY_ATTRIBUTE };

/**
 * Entries kept: far beyond any real sweep (one per unreadable cluster and per load
 * balancer needing a person), and far below DynamoDB's 400 KB item. What does not fit
 * is forgotten, so told again, as with the topic's 50 tags.
 */
export const MAX_MEMORY_ENTRIES = 1_000;

/**
 * The item of one janitor: `said/<account>/<region>`. The table is already the
 * janitor's own (one per account and region); the key says whose it is anyway, so two
 * janitors pointed at one table (a copied stack, the CLI) cannot read each other's memory.
 */
export function saidMemoryKey(account: string | undefined, region: string): string {
  return `said/${account ?? 'unknown-account'}/${region}`;
}

/**
 * What the janitor has said (and its savings so far) as one DynamoDB item of the
 * janitor's own table, in the encoding the topic tags use (encodeSaidState): one
 * rule for what is remembered, two places it may live. No item yet is "nothing
 * said" (a first sweep is not a failure), and an entry the janitor does not
 * recognise is not remembered: only a read that fails outright is news, and the
 * next sweep's read is a fresh try, so no state of the item makes it news forever.
 */
export function tableMemory(
  ddb: DynamoDBClient,
  tableName: string,
  key: string,
  clock: () => Date = () => new Date(),
): SaidMemory {
  return {
    read: async () => {
      const { Item } = await ddb.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { [MEMORY_KEY_ATTRIBUTE]: { S: key } },
          // The previous sweep's write, not an older replica's.
          ConsistentRead: true,
        }),
      );
      const said = Item?.said?.M ?? {};
      const entries = Object.entries(said).flatMap(([name, value]) =>
        value.S === undefined ? [] : [[name, value.S] as const],
      );
      return decodeSaidState(Object.fromEntries(entries));
    },
    write: async (state) => {
      const said = encodeSaidState(state, MAX_MEMORY_ENTRIES);
      await ddb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            [MEMORY_KEY_ATTRIBUTE]: { S: key },
            said: {
              M: Object.fromEntries(Object.entries(said).map(([name, value]) => [name, { S: value }])),
            },
            updatedAt: { S: clock().toISOString() },
          },
        }),
      );
    },
  };
}
