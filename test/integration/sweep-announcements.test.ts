import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DeleteLoadBalancerCommand, DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../lambda/aws-clients';
import { publishBytes, SNS_MAX_PUBLISH_BYTES } from '../../lambda/report/message-budget';
import { publishReport } from '../../lambda/report/publish-report';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { awsAnswersAt } from '../support/aws-clock';
import { type DeliveredMessage, Mailbox } from '../support/mailbox';
import { steppingClock } from '../support/marks';
import { describeWithWorld, REGION, TEST_CREDENTIALS, type TestWorld } from '../support/test-world';

// Safety review 2026-12, findings 4 and 5 (reproductions S6 and S2): a promise counts as announced
// only once a delivered email named it, and every email stays under SNS's limit.
//
// moto refuses a Publish whose Message is over 262,144 *characters* (InvalidParameter: Message too
// long) and does not count the attributes; AWS counts the message and its attributes in UTF-8
// bytes. The janitor's client here is wrapped so that it refuses as AWS does (faithfulSns), and the
// delivered messages are measured in bytes.

const DAY = 86_400_000;
const ANNOUNCED = 'nlb-janitor/announced-at';
const DELETES_AT = 'nlb-janitor/deletes-at';

/** The world's SNS, refusing a Publish over AWS's documented limit as AWS does. */
function faithfulSns(w: TestWorld): SNSClient {
  const sns = new SNSClient({
    endpoint: w.moto.endpoint,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  sns.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        Message?: string;
        MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
      };
      if (
        args.input !== undefined &&
        typeof input.Message === 'string' &&
        publishBytes(input.Message, input.MessageAttributes) > SNS_MAX_PUBLISH_BYTES
      ) {
        throw Object.assign(new Error('Invalid parameter: Message too long'), {
          name: 'InvalidParameterException',
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'awsPublishLimit' },
  );
  return sns;
}

async function topicWithMailbox(w: TestWorld, name: string): Promise<{ arn: string; mailbox: Mailbox }> {
  const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: name }));
  const arn = TopicArn ?? '';
  return { arn, mailbox: await Mailbox.subscribe(w, arn, `${name}-inbox`) };
}

/** Tags of many ELBv2 resources, 20 a call. */
async function tagsOfAll(
  w: TestWorld,
  arns: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  for (let start = 0; start < arns.length; start += 20) {
    const output = await w.elbv2.send(
      new DescribeTagsCommand({ ResourceArns: arns.slice(start, start + 20) }),
    );
    for (const description of output.TagDescriptions ?? []) {
      tags.set(
        description.ResourceArn ?? '',
        Object.fromEntries((description.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
      );
    }
  }
  return tags;
}

/**
 * Whether a delivered email names the resource with this date: its ARN in a block (from the block's
 * `* ` line to the end of the ARN's line) that gives the date; a load balancer's block gives it
 * before the ARN, a footprint line on the ARN's own line. Lines of news (`- `) do not count.
 */
function names(mail: DeliveredMessage, arn: string, date: string | undefined): boolean {
  if (date === undefined) return false;
  const text = mail.message;
  for (let at = text.indexOf(arn); at >= 0; at = text.indexOf(arn, at + 1)) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (text.startsWith('- ', lineStart)) continue;
    const start = text.lastIndexOf('\n* ', at);
    const end = text.indexOf('\n', at + arn.length);
    if (start >= 0 && text.slice(start, end < 0 ? undefined : end).includes(date)) return true;
  }
  return false;
}

function bytesOf(mail: DeliveredMessage): number {
  return publishBytes(
    mail.message,
    Object.fromEntries(
      Object.entries(mail.attributes).map(([k, v]) => [k, { DataType: v.Type, StringValue: v.Value }]),
    ),
  );
}

describeWithWorld('announced means named: the email names what it records', (world) => {
  it('400 new orphans: only those the delivered email named carry announced-at; past their date only those are deleted, and the next email names and announces the rest', async () => {
    const w = world();
    const clock = steppingClock();
    await w.addCluster('old', { now: clock.clock });
    // The promise comes due by stepping the clock: AWS's Date header steps with it.
    const restoreAwsClock = awsAnswersAt(w.janitorElbv2, clock.clock);
    try {
      const created = await w.moto.createLoadBalancers(
        REGION,
        Array.from({ length: 400 }, (_, index) => ({
          name: `k8s-legacy-svc${String(index).padStart(4, '0')}-0123456789`,
          tags: { 'elbv2.k8s.aws/cluster': 'old', 'service.k8s.aws/stack': `legacy/svc${index}` },
        })),
      );
      const arns = created.map((lb) => lb.arn);
      const { arn: topicArn, mailbox } = await topicWithMailbox(w, 'janitor');
      const sns = faithfulSns(w);
      const deps = {
        clock: clock.clock,
        announce: (report: SweepReport) => publishReport(sns, { email: topicArn }, report),
        // Evidence of use is not what this is about; reading it for 400 load balancers costs a minute.
        evidence: [],
      };

      // Sweep 1: 400 new promises, more than one email has room for.
      const first = await w.sweep({}, deps);
      assert.equal(first.counts.marked, 400);
      const [firstMail, ...extra] = await mailbox.take();
      assert.ok(firstMail !== undefined && extra.length === 0);
      console.log('400 orphans, email 1:', bytesOf(firstMail), 'bytes');
      assert.ok(bytesOf(firstMail) < SNS_MAX_PUBLISH_BYTES);
      let tags = await tagsOfAll(w, arns);
      const named = new Set(arns.filter((arn) => names(firstMail, arn, tags.get(arn)?.[DELETES_AT])));
      console.log('400 orphans, named by email 1:', named.size);
      assert.ok(named.size > 0 && named.size < 400, `${named.size} named`);
      for (const arn of arns) {
        assert.equal(ANNOUNCED in (tags.get(arn) ?? {}), named.has(arn), `announced-at on ${arn}`);
      }
      assert.match(firstMail.message, /the promises among them are not announced by this message/);
      assert.match(first.announcement.detail ?? '', /no room to name \d+ new promises/);

      // Sweep 2, past every date: only named promises are deleted (the control: up to the limits);
      // the unnamed are announced again, as news with the first claim on the budget.
      clock.advance(8 * DAY);
      const second = await w.sweep({}, deps);
      for (const lb of second.loadBalancers) {
        assert.equal(
          named.has(lb.arn) ? ['deleted', 'deferred'].includes(lb.outcome) : lb.outcome === 'announced',
          true,
          `${lb.name}: ${lb.outcome}`,
        );
      }
      assert.equal(second.counts.deleted, 10, 'the default limit, all of them named');
      const [secondMail] = await mailbox.take();
      assert.ok(secondMail !== undefined);
      console.log('400 orphans, email 2:', bytesOf(secondMail), 'bytes');
      tags = await tagsOfAll(
        w,
        arns.filter((arn) => !named.has(arn)),
      );
      for (const [arn, tagsOfOne] of tags) {
        assert.ok(names(secondMail, arn, tagsOfOne[DELETES_AT]), `${arn} named by the second email`);
        assert.ok(tagsOfOne[ANNOUNCED], `${arn} announced once named`);
      }
    } finally {
      restoreAwsClock();
    }
  });
});

async function detachedTargetGroups(w: TestWorld, count: number, owner: string): Promise<string[]> {
  // One load balancer with the target groups, in bulk, then deleted: its target groups stay, detached.
  const [holder] = await w.moto.createLoadBalancers(REGION, [
    {
      name: 'k8s-paymentss-holder',
      tags: {},
      targetGroups: Array.from({ length: count }, (_, index) => ({
        // 32 characters, as many leaked LBC target groups are named (k8s-<ns>-<svc>-<hash>).
        name: `k8s-paymentss-settleme-${String(index).padStart(9, '0')}`,
        port: 30000 + (index % 1000),
        tags: {
          'elbv2.k8s.aws/cluster': 'prod',
          'service.k8s.aws/stack': owner,
          'service.k8s.aws/resource': `${owner}:${30000 + index}`,
        },
      })),
    },
  ]);
  assert.ok(holder !== undefined);
  await w.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: holder.arn }));
  return holder.targetGroupArns;
}

const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
const CONTEXT = { getRemainingTimeInMillis: () => 300_000 };

describeWithWorld('one byte budget: the email stays under SNS’s limit', (world) => {
  it('1,000 detached target groups of one gone Service: the email is published under the limit, and what it names is announced', async () => {
    const w = world();
    await w.addCluster('prod');
    // A healthy cluster: three live NLBs (so the breaker does not trip), one real orphan: the control.
    for (const name of ['a', 'b', 'c']) {
      const live = await w.createNlb({
        name: `k8s-shop-live-${name}`,
        cluster: 'prod',
        service: `shop/live-${name}`,
      });
      w.putService('prod', `shop/live-${name}`, { dnsName: live.dnsName });
    }
    const orphan = await w.createNlb({ name: 'k8s-shop-old', cluster: 'prod', service: 'shop/old' });
    const groups = await detachedTargetGroups(w, 1000, 'payments-settlement/settlement-batch-processor');
    const { arn: topicArn, mailbox } = await topicWithMailbox(w, 'janitor');

    Object.assign(process.env, w.env());
    const clients = createAwsClients();
    const sns = faithfulSns(w);
    const noop = () => {};
    const handler = createSweepHandler({
      env: { CLUSTERS: 'prod', SNS_TOPIC_ARN: topicArn },
      clients: { ...clients, sns, snsFor: async () => sns },
      logger: { debug: noop, info: noop, error: noop },
      metrics: { addMetric: noop, publishStoredMetrics: noop },
    });

    const report = await handler(SCHEDULED, CONTEXT);
    assert.equal(report.announcement.status, 'delivered');
    // The budget alone kept it under the limit: SNS refused nothing.
    assert.doesNotMatch(report.announcement.detail ?? '', /SNS refused/);
    const [mail] = await mailbox.take();
    assert.ok(mail !== undefined);
    console.log(
      '1,000 detached target groups, email 1:',
      bytesOf(mail),
      'bytes; subject',
      mail.subject?.length,
      'characters',
    );
    assert.ok(bytesOf(mail) <= SNS_MAX_PUBLISH_BYTES - 32 * 1024);
    assert.ok((mail.subject ?? '').length <= 100);

    const orphanTags = await w.tagsOf(orphan.arn);
    assert.ok(orphanTags[ANNOUNCED], 'the control: the orphan NLB is announced');
    assert.ok(names(mail, orphan.arn, orphanTags[DELETES_AT]));
    let tags = await tagsOfAll(w, groups);
    const named = groups.filter((arn) => names(mail, arn, tags.get(arn)?.[DELETES_AT]));
    console.log('1,000 detached target groups, named by email 1:', named.length);
    assert.ok(named.length > 0 && named.length < 1000, `${named.length} target groups named`);
    for (const arn of groups) assert.equal(ANNOUNCED in (tags.get(arn) ?? {}), named.includes(arn), arn);

    // The next sweep names the rest: every one of them is announced by one email or the other.
    const again = await handler(SCHEDULED, CONTEXT);
    assert.equal(again.announcement.status, 'delivered');
    const [next] = await mailbox.take();
    assert.ok(next !== undefined);
    console.log('1,000 detached target groups, email 2:', bytesOf(next), 'bytes');
    tags = await tagsOfAll(w, groups);
    for (const arn of groups) {
      assert.ok(tags.get(arn)?.[ANNOUNCED], `${arn} announced`);
      assert.ok(
        [mail, next].some((m) => names(m, arn, tags.get(arn)?.[DELETES_AT])),
        `${arn} named`,
      );
    }
  });

  it('an email SNS still refuses is published shorter, down to a summary, and the sweep says so', async () => {
    const w = world();
    await w.addCluster('prod');
    const created = await w.moto.createLoadBalancers(
      REGION,
      Array.from({ length: 50 }, (_, index) => ({
        name: `k8s-shop-old-${index}`,
        tags: { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': `shop/old-${index}` },
      })),
    );
    const { arn: topicArn, mailbox } = await topicWithMailbox(w, 'janitor');
    const sns = faithfulSns(w);
    // A topic that refuses more than the janitor's budget allows (as if SNS counted more than it does).
    sns.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Message?: string; Subject?: string };
        if (input.Subject !== undefined && (input.Message ?? '').length > 8000) {
          throw Object.assign(new Error('Invalid parameter: Message too long'), {
            name: 'InvalidParameterException',
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'lowLimit' },
    );
    const report = await w.sweep({}, { announce: (r) => publishReport(sns, { email: topicArn }, r) });
    assert.equal(report.counts.marked, 50);
    assert.equal(report.announcement.status, 'delivered');
    assert.match(
      report.announcement.detail ?? '',
      /SNS refused the email as too long.*a shorter one was published/,
    );
    assert.match(report.announcement.detail ?? '', /no room to name 50 new promises/);
    const [mail] = await mailbox.take();
    assert.ok(mail !== undefined && mail.message.length <= 8000);
    console.log('the summary email:', bytesOf(mail), 'bytes');
    assert.match(
      mail.message,
      /NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN \(50\)\n… and 50 more not shown here/,
    );
    // It named nothing, so nothing is announced: the next sweep announces the promises again.
    for (const [, tags] of await tagsOfAll(
      w,
      created.map((lb) => lb.arn),
    )) {
      assert.equal(tags[ANNOUNCED], undefined);
      assert.ok(tags['nlb-janitor/suspect-since']);
    }
  });
});
