import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CreateTopicCommand, ListTagsForResourceCommand } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../lambda/aws-clients';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import { NOTHING_SAID, type SaidState } from '../../lambda/report/notice';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { customNotificationProblems } from '../support/chat-schema';
import { Mailbox } from '../support/mailbox';
import { suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// What people receive, through SNS's fan-out to an SQS subscriber, across sweeps
// of the Lambda handler: news once, the digest when asked, one reminder a day
// before a deletion, and a chat message in Amazon Q Developer's format.

const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
const CONTEXT = { getRemainingTimeInMillis: () => 300_000 };
const HOUR_MS = 3_600_000;

/** A fresh handler, as a cold start builds it: nothing carried over in memory. */
function coldHandler(w: TestWorld, env: Record<string, string>) {
  Object.assign(process.env, w.env());
  const noop = () => {};
  return createSweepHandler({
    env: { CLUSTERS: 'prod', ...env },
    clients: createAwsClients(),
    logger: { debug: noop, info: noop, error: noop },
    metrics: { addMetric: noop, publishStoredMetrics: noop },
  });
}

async function topicWithMailbox(w: TestWorld, name: string): Promise<{ arn: string; mailbox: Mailbox }> {
  const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: name }));
  const arn = TopicArn ?? '';
  return { arn, mailbox: await Mailbox.subscribe(w, arn, `${name}-inbox`) };
}

describeWithWorld('reports people keep reading', (world) => {
  it('two sweeps in a row with only a pending load balancer send one email: the mark, with its deletion time', async () => {
    const w = world();
    await w.addCluster('prod');
    const gone = await w.createNlb({
      name: 'k8s-shop-gone',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 0,
    });
    const { arn, mailbox } = await topicWithMailbox(w, 'janitor');

    const first = await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT);
    const second = await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT);

    const mails = await mailbox.take();
    assert.equal(mails.length, 1, mails.map((mail) => mail.subject).join(' | '));
    const deletesAt = (await w.tagsOf(gone.arn))['nlb-janitor/deletes-at'];
    assert.ok(deletesAt);
    assert.equal(mails[0]?.subject, 'nlb-janitor eu-west-1: 1 marked');
    assert.match(
      mails[0]?.message ?? '',
      new RegExp(`k8s-shop-gone is newly marked as orphaned: it will be deleted at ${deletesAt}`),
    );
    assert.match(
      mails[0]?.message ?? '',
      new RegExp(`WILL BE DELETED AT: ${deletesAt} \\(unless stopped, see below\\)`),
    );
    assert.match(mails[0]?.message ?? '', /nlb-janitor\/ignore=true/);
    assert.equal(first.notice.kind, 'change');
    assert.equal(first.announcement.status, 'delivered');
    assert.equal(second.notice.kind, 'quiet');
    assert.equal(second.announcement.status, 'quiet');
    assert.equal(entry(second, 'k8s-shop-gone').outcome, 'pending');
    assert.equal(entry(second, 'k8s-shop-gone').deletesAt, deletesAt, 'the pending entry still says when');
  });

  it('sends the digest when asked, even with nothing new, with every pending deletion and its date', async () => {
    const w = world();
    await w.addCluster('prod');
    const since = formatSuspectSince(new Date(Date.now() - 2 * 86_400_000));
    await w.createNlb({
      name: 'k8s-shop-old',
      cluster: 'prod',
      service: 'shop/old',
      listeners: 0,
      tags: suspectTags(since),
    });
    const { arn, mailbox } = await topicWithMailbox(w, 'janitor');
    const handler = coldHandler(w, { SNS_TOPIC_ARN: arn });

    const quiet = await handler(SCHEDULED, CONTEXT);
    const digest = await handler({ digest: true }, CONTEXT);

    assert.equal(quiet.notice.kind, 'quiet', 'a load balancer only waiting for its date is not news');
    const mails = await mailbox.take();
    assert.equal(mails.length, 1);
    assert.equal(digest.notice.kind, 'digest');
    assert.equal(mails[0]?.subject, 'nlb-janitor eu-west-1 digest: 1 pending');
    assert.equal(mails[0]?.attributes.notice?.Value, 'digest');
    const message = mails[0]?.message ?? '';
    assert.match(message, /Nothing changed since the last message; the janitor is running\./);
    assert.match(
      message,
      new RegExp(
        `PENDING DELETION \\(1\\)\\n\\* k8s-shop-old[\\s\\S]*WILL BE DELETED AT: ${entry(digest, 'k8s-shop-old').deletesAt}`,
      ),
    );
    assert.match(message, /- pending deletion: 23\.73 USD a month/);
    assert.match(message, /- deleted so far: nothing recorded yet/);
  });

  it('reminds once, and only once, in the 23 hours before a deletion, across several sweeps', async () => {
    const w = world();
    await w.addCluster('prod');
    // Announced six days and one hour ago: deleted in 23 hours.
    const since = formatSuspectSince(new Date(Date.now() - 6 * 86_400_000 - HOUR_MS));
    const soon = await w.createNlb({
      name: 'k8s-shop-soon',
      cluster: 'prod',
      service: 'shop/soon',
      listeners: 0,
      tags: suspectTags(since),
    });
    const { arn, mailbox } = await topicWithMailbox(w, 'janitor');

    const reports = [];
    for (let sweep = 0; sweep < 3; sweep++)
      reports.push(await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT));

    const mails = await mailbox.take();
    assert.equal(mails.length, 1, mails.map((mail) => mail.subject).join(' | '));
    assert.equal(mails[0]?.subject, 'nlb-janitor eu-west-1: 1 pending, 1 to be deleted within 24 hours');
    assert.match(
      mails[0]?.message ?? '',
      /REMINDER: DELETED WITHIN 24 HOURS UNLESS STOPPED \(1\)\n\* k8s-shop-soon/,
    );
    assert.deepEqual(
      reports.map((report) => [report.notice.kind, report.counts.reminded]),
      [
        ['change', 1],
        ['quiet', 0],
        ['quiet', 0],
      ],
    );
    assert.ok(
      (await w.tagsOf(soon.arn))['nlb-janitor/reminded-at'],
      'the reminder is recorded on the load balancer',
    );
  });

  it('a cluster that becomes unreadable is news once, and again when it can be read; the memory is on the topic', async () => {
    const w = world();
    await w.addCluster('prod');
    const { arn, mailbox } = await topicWithMailbox(w, 'janitor');
    w.cluster('prod').injectFault({ type: 'status', code: 403, times: 4 * 2 });

    await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT);
    await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT);
    const { Tags } = await w.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    w.cluster('prod').clearFaults();
    await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT);
    await coldHandler(w, { SNS_TOPIC_ARN: arn })(SCHEDULED, CONTEXT);

    const mails = await mailbox.take();
    assert.deepEqual(
      mails.map((mail) => /WHAT CHANGED\n- ([^\n]+)/.exec(mail.message)?.[1]?.slice(0, 40)),
      ['cluster prod could not be read, so none ', 'cluster prod can be read again'],
    );
    assert.deepEqual(Tags, [{ Key: 'nlb-janitor/said/cluster/prod', Value: 'unverified' }]);
  });

  it('prices an internet-facing NLB in two Availability Zones at the hour charge plus two public IPv4 addresses', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'k8s-shop-gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });

    const report = await w.sweep();

    const gone = entry(report, 'k8s-shop-gone');
    assert.equal(gone.availabilityZones, 2);
    // eu-west-1 is not in the price table: us-east-1's price, and the report says so.
    assert.deepEqual(gone.estimatedMonthlyCost, {
      loadBalancerUsd: 16.43,
      publicIpv4Usd: 7.3,
      totalUsd: 23.73,
    });
    assert.equal(report.pricing.priceRegion, 'us-east-1');
    assert.match(report.pricing.note ?? '', /no NLB price for eu-west-1/);
    assert.equal(report.estimatedMonthlyPendingUsd, 23.73);
  });

  it('publishes a chat message in the custom-notification format of Amazon Q Developer, on news only', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'k8s-shop-gone', cluster: 'prod', service: 'shop/gone', listeners: 0 });
    const email = await topicWithMailbox(w, 'janitor');
    const chat = await topicWithMailbox(w, 'janitor-chat');
    const env = { SNS_TOPIC_ARN: email.arn, CHAT_TOPIC_ARN: chat.arn };

    await coldHandler(w, env)(SCHEDULED, CONTEXT);
    await coldHandler(w, env)(SCHEDULED, CONTEXT);

    const messages = await chat.mailbox.take();
    assert.equal(messages.length, 1);
    const parsed = JSON.parse(messages[0]?.message ?? '') as {
      content: { title: string; description: string; nextSteps: string[] };
    };
    assert.deepEqual(customNotificationProblems(parsed), []);
    assert.equal(parsed.content.title, ':broom: nlb-janitor eu-west-1: 1 marked');
    assert.match(
      parsed.content.description,
      /• k8s-shop-gone is newly marked as orphaned: it will be deleted at 20\d\d-/,
    );
    assert.match(parsed.content.nextSteps[0] ?? '', /nlb-janitor\/ignore=true/);
    assert.equal((await email.mailbox.take()).length, 1);
  });

  it('a failed chat message fails the invocation, but the email counted: the promise is announced', async () => {
    const w = world();
    await w.addCluster('prod');
    const gone = await w.createNlb({
      name: 'k8s-shop-gone',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 0,
    });
    const email = await topicWithMailbox(w, 'janitor');
    const env = { SNS_TOPIC_ARN: email.arn, CHAT_TOPIC_ARN: `${email.arn}-missing` };

    await assert.rejects(coldHandler(w, env)(SCHEDULED, CONTEXT), /the chat message could not be published/);

    assert.equal((await email.mailbox.take()).length, 1);
    assert.ok((await w.tagsOf(gone.arn))['nlb-janitor/announced-at']);
  });

  it('an undelivered reminder records nothing: the next sweep reminds again', async () => {
    const w = world();
    await w.addCluster('prod');
    const since = formatSuspectSince(new Date(Date.now() - 6 * 86_400_000 - HOUR_MS));
    const soon = await w.createNlb({
      name: 'k8s-shop-soon',
      cluster: 'prod',
      service: 'shop/soon',
      listeners: 0,
      tags: suspectTags(since),
    });
    const writes: SaidState[] = [];
    const memory = {
      read: async () => NOTHING_SAID,
      write: async (state: SaidState) => void writes.push(state),
    };

    const failed = await w.sweep(
      {},
      { memory, announce: async () => Promise.reject(new Error('SNS is down')) },
    );
    const retried = await w.sweep({}, { memory });

    assert.equal(failed.announcement.status, 'failed');
    assert.equal(entry(failed, 'k8s-shop-soon').reminder, true);
    assert.equal(entry(retried, 'k8s-shop-soon').reminder, true, 'reminded again');
    assert.equal(retried.notice.kind, 'change');
    assert.ok((await w.tagsOf(soon.arn))['nlb-janitor/reminded-at'], 'recorded once delivered');
  });

  it('a memory that cannot be read is news itself, and is left as it was', async () => {
    const w = world();
    await w.addCluster('prod');
    const writes: SaidState[] = [];
    const memory = {
      read: async (): Promise<SaidState> => Promise.reject(new Error('AuthorizationError: not allowed')),
      write: async (state: SaidState) => void writes.push(state),
    };

    const report = await w.sweep({}, { memory });

    assert.equal(report.notice.kind, 'change');
    assert.match(
      report.notice.news.join('\n'),
      /could not read what it said before \(AuthorizationError: not allowed\)/,
    );
    assert.deepEqual(writes, []);
  });
});
