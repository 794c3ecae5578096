import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../lambda/aws-clients';
import { createFleetHandler, type FleetOutcome } from '../../lambda/fleet/fleet-handler';
import { FLEET_KEY_ATTRIBUTE, FleetStore } from '../../lambda/fleet/fleet-store';
import {
  type FleetSummary,
  SUMMARY_DETAIL_TYPE,
  SUMMARY_SOURCE,
  summarizeSweep,
} from '../../lambda/fleet/fleet-summary';
import { MEMORY_KEY_ATTRIBUTE } from '../../lambda/memory/table-memory';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { FleetBusCatcher } from '../support/fleet-bus';
import { Mailbox } from '../support/mailbox';
import { daysAgo, suspectTags } from '../support/marks';
import { ACCOUNT, describeWithWorld, REGION, TEST_CREDENTIALS, type TestWorld } from '../support/test-world';

// An organization as one inbox: members send a summary of each sweep to the fleet
// bus, the fleet function keeps the latest of each account and region, and one
// digest a day names them all. Moto accepts one account per request, the
// credentials': member A (the world's account) runs the real handler and its
// summaries cross moto's event bus; members of other accounts are sweeps of the
// same world whose summaries are delivered as EventBridge delivers them, with the
// envelope's account set to theirs (EventBridge sets it from the sender). Moto
// enforces neither the bus's policy nor IAM: test/infrastructure checks those.

const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
const HOUR_MS = 3_600_000;
const B = '222222222222';
const D = '333333333333';

const clientConfig = (w: TestWorld) => ({
  endpoint: w.moto.endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
  maxAttempts: 1,
});

async function table(ddb: DynamoDBClient, name: string, key: string): Promise<void> {
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

/** A summary as the fleet function receives it from the bus. */
function delivered(summary: FleetSummary): Record<string, unknown> {
  return {
    version: '0',
    id: `summary-${summary.account}-${summary.region}`,
    'detail-type': SUMMARY_DETAIL_TYPE,
    source: SUMMARY_SOURCE,
    account: summary.account,
    time: summary.finishedAt,
    region: REGION,
    resources: [],
    detail: summary,
  };
}

async function fleetWorld(w: TestWorld) {
  const ddb = new DynamoDBClient(clientConfig(w));
  await table(ddb, 'member-memory', MEMORY_KEY_ATTRIBUTE);
  await table(ddb, 'fleet-members', FLEET_KEY_ATTRIBUTE);
  const { TopicArn = '' } = await w.sns.send(new CreateTopicCommand({ Name: 'nlb-janitor-central' }));
  const inbox = await Mailbox.subscribe(w, TopicArn, 'central-inbox');
  const bus = await FleetBusCatcher.create(w);
  const metrics: Record<string, number>[] = [];
  let pending: Record<string, number> = {};
  let now = new Date();
  const noop = () => {};
  const fleet = createFleetHandler({
    config: () => ({ topicArn: TopicArn, tableName: 'fleet-members', silentAfterMs: 2 * HOUR_MS }),
    store: (config) => new FleetStore(ddb, config.tableName),
    sns: w.sns,
    metrics: {
      addMetric: (name, _unit, value) => {
        pending[name] = value;
      },
      publishStoredMetrics: () => {
        metrics.push(pending);
        pending = {};
      },
    },
    clock: () => now,
    logger: { info: noop, error: noop },
  });
  Object.assign(process.env, w.env());
  /** Member A: the handler as a member runs it, told the central topic, its memory table and the fleet bus. */
  const memberA = () =>
    createSweepHandler({
      env: {
        CLUSTERS: 'prod',
        SNS_TOPIC_ARN: TopicArn,
        MEMORY_TABLE: 'member-memory',
        FLEET_BUS_ARN: bus.busArn,
        JANITOR_VERSION: '0.1.0+nlb-janitor/0123456789abcdef0123.zip',
        ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/nlb-janitor-${REGION}`,
      },
      clients: createAwsClients(),
      logger: { debug: noop, info: noop, error: noop },
      metrics: { addMetric: noop, publishStoredMetrics: noop },
    })(SCHEDULED, {
      getRemainingTimeInMillis: () => 300_000,
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:nlb-janitor`,
    });
  return {
    ddb,
    inbox,
    bus,
    fleet,
    metrics,
    memberA,
    at: (date: Date) => {
      now = date;
    },
  };
}

describeWithWorld('the fleet digest: an organization is one inbox', (world) => {
  it('three members in two accounts and two regions, and one gone silent, make exactly one digest naming all four', async () => {
    const w = world();
    const f = await fleetWorld(w);
    // Member A (this account, eu-west-1): a load balancer due within 24 hours.
    await w.addCluster('prod');
    await w.createNlb({
      name: 'k8s-shop-soon',
      cluster: 'prod',
      service: 'shop/soon',
      listeners: 0,
      tags: suspectTags(daysAgo(6 + 1 / 24)),
    });
    // Member D (a third account, us-east-1): its last summary five hours ago.
    const silentSince = new Date(Date.now() - 5 * HOUR_MS);

    await f.memberA();
    const fromA = await f.bus.take();
    // Member C (the same other account as B, us-east-1): an orphan newly marked.
    await w.addCluster('staging');
    await w.createNlb({ name: 'k8s-web-gone', cluster: 'staging', service: 'web/gone', listeners: 0 });
    const summaryOf = async (account: string, region: string, clusters: string[]) =>
      // The world is one account and region: the sweep is this world's, the summary the member's.
      summarizeSweep(
        { ...(await w.sweep({ clusters })), account, region },
        {
          account,
          version: '0.1.0 (0123456789ab)',
          roleArn: `arn:aws:iam::${account}:role/nlb-janitor-${region}`,
        },
      );
    const c = await summaryOf(B, 'us-east-1', ['staging']);
    const d = await summaryOf(D, 'us-east-1', ['staging']);
    // Member B (another account, eu-west-1): a cluster it may not read (no access entry: 401).
    await w.addCluster('locked', { credentials: {} });
    const b = await summaryOf(B, 'eu-west-1', ['locked']);

    f.at(silentSince);
    assert.deepEqual(await f.fleet(delivered(d)), { kind: 'recorded', member: `${D}/us-east-1` });
    f.at(new Date());
    assert.equal(fromA.length, 1, 'one summary a sweep');
    const recorded: FleetOutcome[] = [];
    for (const event of [...fromA, delivered(b), delivered(c)]) recorded.push(await f.fleet(event));
    assert.deepEqual(
      recorded.map((outcome) => (outcome.kind === 'recorded' ? outcome.member : outcome.kind)),
      [`${ACCOUNT}/eu-west-1`, `${B}/eu-west-1`, `${B}/us-east-1`],
    );
    await f.inbox.take(); // member A's own news of the day (its reminder) went out when it happened

    const outcome = await f.fleet({ fleet: 'digest' });

    const mails = await f.inbox.take();
    assert.equal(mails.length, 1, mails.map((mail) => mail.subject).join(' | '));
    const digest = mails[0]?.message ?? '';
    assert.deepEqual(outcome, { kind: 'digest', members: 4, silent: [`${D}/us-east-1`] });
    assert.equal(
      mails[0]?.subject,
      'nlb-janitor fleet: 4 janitors, 3 accounts: 1 due within 24 h, 1 unverified clusters, 1 silent',
    );
    for (const member of [`${ACCOUNT} eu-west-1`, `${B} eu-west-1`, `${B} us-east-1`, `${D} us-east-1`]) {
      assert.match(digest, new RegExp(`\\n- ${member}: `), `the digest names ${member}`);
    }
    assert.match(digest, /4 member janitors in 3 accounts and 2 regions/);
    assert.match(
      digest,
      new RegExp(
        `DELETED WITHIN 24 HOURS UNLESS STOPPED\\n- \\S+ ${ACCOUNT} eu-west-1: load balancer k8s-shop-soon \\(cluster prod\\)`,
      ),
    );
    assert.match(digest, /nlb-janitor\/ignore=true/);
    assert.match(
      digest,
      new RegExp(
        `CLUSTERS THE JANITOR CANNOT READ[^\\n]*\\n- ${B} eu-west-1: cluster locked: [^\\n]*HTTP 401[^\\n]*\\n  [^\\n]*` +
          `aws eks create-access-entry --cluster-name locked --principal-arn arn:aws:iam::${B}:role/nlb-janitor-eu-west-1`,
      ),
    );
    assert.match(
      digest,
      new RegExp(
        `SILENT: NO SUMMARY FOR MORE THAN 2 h[^\\n]*\\n- ${D} us-east-1: last summary ${silentSince.toISOString()} \\(5 h ago\\)`,
      ),
    );
    assert.match(digest, new RegExp(`- ${B} us-east-1: 1 newly marked; live, 0.1.0 \\(0123456789ab\\)`));
    assert.match(
      digest,
      new RegExp(`- ${ACCOUNT} eu-west-1: [^\\n]*1 due within 24 h[^\\n]*; live, 0.1.0 \\(0123456789ab\\)`),
    );
    f.ddb.destroy();
  });

  it("a member's quiet sweep sends nothing to the central topic, and still its summary to the fleet bus", async () => {
    const w = world();
    const f = await fleetWorld(w);
    await w.addCluster('prod');
    await w.createNlb({ name: 'k8s-shop-gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });

    const first = await f.memberA();
    const news = await f.inbox.take();
    const quiet = await f.memberA();

    assert.equal(first.notice.kind, 'change');
    assert.equal(news.length, 1, 'the new mark was news, the day it happened');
    assert.equal(quiet.notice.kind, 'quiet');
    assert.deepEqual(await f.inbox.take(), [], 'nothing more reached the central topic');
    const summaries = await f.bus.take();
    assert.equal(summaries.length, 2, 'a summary of every sweep, quiet or not');
    assert.equal(summaries[1]?.account, ACCOUNT);
    assert.equal((summaries[1]?.detail as FleetSummary | undefined)?.counts.pending, 1);
    f.ddb.destroy();
  });

  it('a member silent for more than two sweep intervals is counted by the hourly watch, the hour it happens', async () => {
    const w = world();
    const f = await fleetWorld(w);
    await w.addCluster('prod');
    const summary = summarizeSweep(await w.sweep({ clusters: ['prod'] }), {
      account: B,
      version: 'test',
      roleArn: undefined,
    });
    const start = new Date();
    f.at(start);
    await f.fleet(delivered(summary));

    f.at(new Date(start.getTime() + 2 * HOUR_MS));
    const onTime = await f.fleet({ fleet: 'watch' });
    f.at(new Date(start.getTime() + 2 * HOUR_MS + 60_000));
    const late = await f.fleet({ fleet: 'watch' });

    assert.deepEqual(onTime, { kind: 'watched', members: 1, silent: [] });
    assert.deepEqual(late, { kind: 'watched', members: 1, silent: [`${B}/${REGION}`] });
    assert.deepEqual(f.metrics, [
      { SilentMembers: 0, ReportingMembers: 1 },
      { SilentMembers: 1, ReportingMembers: 0 },
    ]);
    assert.deepEqual(
      await f.inbox.take(),
      [],
      'the watch only counts; the alarm on its metric tells the topic',
    );
    f.ddb.destroy();
  });

  it('refuses a summary that speaks for another account than the one EventBridge says sent it, and records nothing', async () => {
    const w = world();
    const f = await fleetWorld(w);
    await w.addCluster('prod');
    const summary = summarizeSweep(await w.sweep({ clusters: ['prod'] }), {
      account: B,
      version: 'test',
      roleArn: undefined,
    });

    await assert.rejects(
      f.fleet({ ...delivered(summary), account: D }),
      /a summary for account "222222222222" was sent from account 333333333333/,
    );
    assert.deepEqual(await f.fleet({ fleet: 'watch' }), { kind: 'watched', members: 0, silent: [] });
    f.ddb.destroy();
  });
});
