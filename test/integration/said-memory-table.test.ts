import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, ListTagsForResourceCommand } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../lambda/aws-clients';
import { MEMORY_KEY_ATTRIBUTE, saidMemoryKey } from '../../lambda/memory/table-memory';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { Mailbox } from '../support/mailbox';
import { ACCOUNT, describeWithWorld, REGION, TEST_CREDENTIALS, type TestWorld } from '../support/test-world';

// What was said lives in the janitor's own table (both modes), keyed by its
// account and region: the report topic's tags are never read or written, so a
// member of an organization, which may only publish to the central topic, still
// remembers. Moto enforces no IAM: that the role may touch its own table only is
// checked statement by statement in test/infrastructure/.

const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
const TABLE = 'nlb-janitor-memory';
const contextOf = (account: string) => ({
  getRemainingTimeInMillis: () => 300_000,
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${account}:function:nlb-janitor`,
});

function dynamodbOf(w: TestWorld): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: w.moto.endpoint,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
}

async function createMemoryTable(w: TestWorld): Promise<DynamoDBClient> {
  const ddb = dynamodbOf(w);
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: MEMORY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return ddb;
}

/** A fresh handler, as a cold start builds it, with the environment the construct gives it. */
function coldHandler(w: TestWorld, topicArn: string) {
  Object.assign(process.env, w.env());
  const noop = () => {};
  return createSweepHandler({
    env: { CLUSTERS: 'prod', SNS_TOPIC_ARN: topicArn, MEMORY_TABLE: TABLE },
    clients: createAwsClients(),
    logger: { debug: noop, info: noop, error: noop },
    metrics: { addMetric: noop, publishStoredMetrics: noop },
  });
}

async function topicWithMailbox(w: TestWorld): Promise<{ arn: string; mailbox: Mailbox }> {
  const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: 'janitor' }));
  const arn = TopicArn ?? '';
  return { arn, mailbox: await Mailbox.subscribe(w, arn, 'janitor-inbox') };
}

const whatChanged = (message: string) => /WHAT CHANGED\n- ([^\n]+)/.exec(message)?.[1]?.slice(0, 40);

describeWithWorld("what was said, in the janitor's own table", (world) => {
  it('an unreadable cluster is news once and again when readable; the memory is an item of its account and region, the topic has no tags', async () => {
    const w = world();
    const ddb = await createMemoryTable(w);
    await w.addCluster('prod');
    const { arn, mailbox } = await topicWithMailbox(w);
    w.cluster('prod').injectFault({ type: 'status', code: 403, times: 4 * 2 });

    await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    const { Item } = await ddb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { [MEMORY_KEY_ATTRIBUTE]: { S: `said/${ACCOUNT}/${REGION}` } },
      }),
    );
    w.cluster('prod').clearFaults();
    await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));

    const mails = await mailbox.take();
    assert.deepEqual(
      mails.map((mail) => whatChanged(mail.message)),
      ['cluster prod could not be read, so none ', 'cluster prod can be read again'],
    );
    assert.deepEqual(Item?.said?.M, { 'nlb-janitor/said/cluster/prod': { S: 'unverified' } });
    const { Tags } = await w.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(Tags ?? [], [], 'nothing is kept on the report topic');
    ddb.destroy();
  });

  it('an empty table is "nothing said yet", not a failed read: the first sweep says no word about memory', async () => {
    const w = world();
    const ddb = await createMemoryTable(w);
    await w.addCluster('prod');
    const { arn } = await topicWithMailbox(w);

    const first = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    const second = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));

    assert.doesNotMatch(first.notice.news.join('\n'), /could not read what it said/);
    assert.equal(second.notice.kind, 'quiet');
    ddb.destroy();
  });

  it('two janitors sharing a table (two accounts) keep apart: the second still tells its own news', async () => {
    const w = world();
    const ddb = await createMemoryTable(w);
    await w.addCluster('prod');
    const { arn, mailbox } = await topicWithMailbox(w);
    w.cluster('prod').injectFault({ type: 'status', code: 403, times: 4 * 3 });

    await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    await coldHandler(w, arn)(SCHEDULED, contextOf('222222222222'));
    await coldHandler(w, arn)(SCHEDULED, contextOf('222222222222'));

    assert.equal((await mailbox.take()).length, 2, 'each janitor told its unreadable cluster once');
    const { Items } = await ddb.send(new ScanCommand({ TableName: TABLE }));
    assert.deepEqual(
      (Items ?? []).map((item) => item[MEMORY_KEY_ATTRIBUTE]?.S).sort(),
      [saidMemoryKey(ACCOUNT, REGION), saidMemoryKey('222222222222', REGION)].sort(),
    );
    ddb.destroy();
  });

  it('a failed read is news once, not a state: once the table answers, the next sweeps are back to speaking on change', async () => {
    const w = world();
    await w.addCluster('prod');
    const { arn, mailbox } = await topicWithMailbox(w);

    // No table yet: the read fails (ResourceNotFoundException).
    const failed = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    const ddb = await createMemoryTable(w);
    const recovered = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    const quiet = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));

    assert.match(failed.notice.news.join('\n'), /could not read what it said before/);
    assert.doesNotMatch(recovered.notice.news.join('\n'), /could not read what it said before/);
    assert.equal(quiet.notice.kind, 'quiet');
    assert.equal((await mailbox.take()).length, 1, 'only the failed read was news');
    ddb.destroy();
  });

  it('an item the janitor does not recognise is read as nothing said, and the next write replaces it', async () => {
    const w = world();
    const ddb = await createMemoryTable(w);
    await w.addCluster('prod');
    const { arn } = await topicWithMailbox(w);
    const key = { [MEMORY_KEY_ATTRIBUTE]: { S: saidMemoryKey(ACCOUNT, REGION) } };
    await ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { ...key, said: { S: 'not a map' }, junk: { N: '1' } },
      }),
    );

    const first = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));
    const second = await coldHandler(w, arn)(SCHEDULED, contextOf(ACCOUNT));

    assert.doesNotMatch(first.notice.news.join('\n'), /could not read what it said/);
    assert.equal(second.notice.kind, 'quiet');
    const { Item } = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key }));
    assert.deepEqual(Item?.said, { M: {} });
    assert.equal(Item?.junk, undefined);
    ddb.destroy();
  });
});
