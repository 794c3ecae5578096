import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SNSClient } from '@aws-sdk/client-sns';
import { namedAnnouncements } from '../../lambda/actions/mark-tags';
import type { FootprintAction } from '../../lambda/decisions/footprint-plan';
import { composeChatMessage } from '../../lambda/report/chat-message';
import {
  MAX_BODY_BYTES,
  publishBytes,
  SNS_MAX_PUBLISH_BYTES,
  truncateUtf8,
  utf8Bytes,
} from '../../lambda/report/message-budget';
import { composeNotification } from '../../lambda/report/notification';
import { publishReport } from '../../lambda/report/publish-report';
import type { FootprintEntry } from '../../lambda/report/sweep-report';
import { sampleEntry as entry, sampleReport as report } from '../support/report-entries';

// Safety review 2026-12, findings 4 and 5: announced means named, and one byte budget under SNS's
// limit for every section. Sizes are UTF-8 bytes, as SNS counts them, with the attributes.
const DATE = '2026-12-01T18:00:00Z';
const HEADROOM = SNS_MAX_PUBLISH_BYTES - 32 * 1024;

function footprint(index: number, overrides: Partial<FootprintEntry> = {}): FootprintEntry {
  const id = `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-paymentss-settleme-${String(index).padStart(9, '0')}/0123456789abcdef`;
  return {
    kind: 'target-group',
    id,
    name: `k8s-paymentss-settleme-${String(index).padStart(9, '0')}`,
    vpcId: 'vpc-1',
    cluster: 'prod',
    owner: 'Service payments-settlement/settlement-batch-processor',
    loadBalancer: undefined,
    outcome: 'marked',
    dryRun: false,
    reason: 'SERVICE_NOT_FOUND',
    deletesAt: DATE,
    detail: undefined,
    ...overrides,
  };
}

/** Every ID `named` holds appears in the message; each with the date it gives. */
function assertNamesAreInTheMessage(message: string, named: ReadonlyMap<string, string>): void {
  for (const [id, date] of named) {
    assert.ok(message.includes(id), `${id} is named but not in the message`);
    assert.equal(date, DATE);
  }
}

describe('composeNotification: one byte budget, and exactly what it named', () => {
  it('5,000 new promises with multi-byte names: under the limit, and only those listed are named', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      entry(`wébshöp-🚀-${i}`, { deletesAt: DATE, detail: 'ünïcödé '.repeat(20) }),
    );
    const notification = composeNotification(report({ loadBalancers: many }));
    const bytes = publishBytes(notification.message, notification.attributes);
    assert.ok(bytes <= MAX_BODY_BYTES + 1024, `${bytes} bytes`);
    assert.ok(notification.named.size > 100 && notification.named.size < 5000, `${notification.named.size}`);
    assertNamesAreInTheMessage(notification.message, notification.named);
    const unnamed = many.filter((lb) => !notification.named.has(lb.arn));
    for (const lb of unnamed) assert.ok(!notification.message.includes(lb.arn), lb.arn);
    assert.match(
      notification.message,
      new RegExp(
        `… and ${unnamed.length} more not shown here; the promises among them are not announced by this message`,
      ),
    );
    assert.equal(notification.omitted, unnamed.length);
  });

  it('1,000 target groups without a load balancer, 2,000 errors, a digest of 1,000 skipped: every section bounded', () => {
    const notification = composeNotification(
      report({
        notice: {
          kind: 'digest',
          news: Array.from({ length: 1000 }, (_, i) => `target group ${i} is newly marked as orphaned`),
        },
        footprint: Array.from({ length: 1000 }, (_, i) => footprint(i)),
        errors: Array.from(
          { length: 2000 },
          (_, i) => `target group ${i} could not be read: ${'x'.repeat(300)}`,
        ),
        skipped: Array.from({ length: 1000 }, (_, i) => ({
          arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/odd-${i}/abc`,
          name: `odd-${i}`,
          reason: 'MALFORMED_OWNER_TAGS' as const,
        })),
        gatewaysGone: Array.from({ length: 1000 }, (_, i) => ({
          cluster: 'prod',
          service: `envoy/gw-${i}`,
          gateway: `gw-${i}`,
          detail: 'the Gateway no longer exists; its Service (and load balancer) remain',
        })),
      }),
    );
    const bytes = publishBytes(notification.message, notification.attributes);
    assert.ok(bytes <= HEADROOM, `${bytes} bytes`);
    assert.match(notification.message, /- and \d+ more errors not shown here/);
    assert.match(notification.message, /- and \d+ more not shown here\n/);
    assert.match(notification.message, /SKIPPED, TO CHECK \(1000\)/);
    assert.ok(notification.named.size > 0, 'the promises come first');
    assertNamesAreInTheMessage(notification.message, notification.named);
    assert.match(notification.message, /This message had no room for \d+ entries/);
  });

  it('new promises have the first claim on the budget, before the failures listed above them', () => {
    const failed = Array.from({ length: 600 }, (_, i) =>
      entry(`broken-${i}`, { outcome: 'failed', detail: `AccessDenied: ${'y'.repeat(400)}` }),
    );
    const marked = Array.from({ length: 40 }, (_, i) => entry(`new-${i}`, { deletesAt: DATE }));
    const { message, named } = composeNotification(report({ loadBalancers: [...failed, ...marked] }));
    for (const lb of marked) assert.equal(named.get(lb.arn), DATE, lb.name);
    assert.ok(message.indexOf('FAILED (600)') < message.indexOf('NEWLY MARKED'), 'still read in order');
    assert.match(message, /FAILED \(600\)[\s\S]*… and \d+ more not shown here; the full JSON report/);
  });

  it('footprint under a load balancer is named only when its line is listed', () => {
    const lb = entry('web', { deletesAt: DATE });
    const under = Array.from({ length: 3000 }, (_, i) => footprint(i, { loadBalancer: lb.arn }));
    const { message, named } = composeNotification(report({ loadBalancers: [lb], footprint: under }));
    assert.equal(named.get(lb.arn), DATE);
    const listed = under.filter((resource) => named.has(resource.id));
    assert.ok(listed.length > 0 && listed.length < under.length);
    for (const resource of under) assert.equal(message.includes(resource.id), named.has(resource.id));
    assert.match(
      message,
      /… and \d+ more of its target groups, security groups and node rules not shown here/,
    );
  });

  it('with no budget left, a summary: the counts and what did not fit, nothing named', () => {
    const { message, named } = composeNotification(
      report({ loadBalancers: [entry('web', { deletesAt: DATE })] }),
      { maxBodyBytes: 0 },
    );
    assert.equal(named.size, 0);
    assert.match(message, /^nlb-janitor swept eu-west-1/);
    assert.match(
      message,
      /NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN \(1\)\n… and 1 more not shown/,
    );
  });

  it('the chat message is bounded in bytes whatever the names are made of', () => {
    const news = Array.from({ length: 10 }, () => '🚀'.repeat(500));
    const chat = composeChatMessage(report({ notice: { kind: 'change', news } }));
    assert.ok(utf8Bytes(chat.content.description) <= 3000, `${utf8Bytes(chat.content.description)}`);
    assert.ok(utf8Bytes(JSON.stringify(chat)) < 8 * 1024);
    assert.equal(truncateUtf8('aé🚀', 4), 'aé');
  });
});

/** An SNS client that refuses a Publish over `limit` bytes as AWS does. */
function snsRefusingOver(limit: number): { sns: SNSClient; published: string[] } {
  const published: string[] = [];
  const sns = {
    send: async (command: { input: { Message?: string; MessageAttributes?: Record<string, never> } }) => {
      const message = command.input.Message ?? '';
      if (publishBytes(message, command.input.MessageAttributes) > limit) {
        throw Object.assign(new Error('Invalid parameter: Message too long'), {
          name: 'InvalidParameterException',
        });
      }
      published.push(message);
      return {};
    },
  } as unknown as SNSClient;
  return { sns, published };
}

describe('publishReport: a message SNS refuses as too long is summarised, never lost', () => {
  const big = report({
    loadBalancers: Array.from({ length: 2000 }, (_, i) => entry(`nlb-${i}`, { deletesAt: DATE })),
  });

  it('publishes a shorter message and returns what that one named', async () => {
    const { sns, published } = snsRefusingOver(100 * 1024);
    const delivery = await publishReport(sns, { email: 'arn:aws:sns:eu-west-1:123456789012:t' }, big);
    assert.equal(published.length, 1);
    assert.ok(utf8Bytes(published[0] ?? '') <= 64 * 1024 + 1024);
    assert.ok(delivery.named.size > 0);
    assertNamesAreInTheMessage(published[0] ?? '', delivery.named);
    assert.match(
      delivery.detail ?? '',
      /SNS refused the email as too long .*Message too long.*a shorter one was published/,
    );
  });

  it('down to a summary that names nothing', async () => {
    const { sns, published } = snsRefusingOver(8 * 1024);
    const delivery = await publishReport(sns, { email: 'arn:aws:sns:eu-west-1:123456789012:t' }, big);
    assert.equal(published.length, 1);
    assert.equal(delivery.named.size, 0);
    assert.match(published[0] ?? '', /… and 2000 more not shown here/);
  });

  it('and throws when even the summary is refused', async () => {
    const { sns } = snsRefusingOver(10);
    await assert.rejects(
      publishReport(sns, { email: 'arn:aws:sns:eu-west-1:123456789012:t' }, big),
      /Message too long/,
    );
  });
});

describe('namedAnnouncements: announced means named, with the promise’s date', () => {
  const mark: FootprintAction = {
    kind: 'mark',
    replaces: undefined,
    reason: 'SERVICE_NOT_FOUND',
    since: '2026-11-24T18:00:00Z',
    deletesAt: DATE,
  };
  const wait: FootprintAction = {
    kind: 'wait',
    reason: 'SERVICE_NOT_FOUND',
    since: mark.since,
    deletesAt: DATE,
  };
  const cases: [
    string,
    FootprintAction,
    ReadonlyMap<string, string>,
    boolean,
    'announced' | 'reminded' | 'unnamed' | 'none',
  ][] = [
    ['a new promise the message named with its date', mark, new Map([['a', DATE]]), false, 'announced'],
    ['a new promise the message did not name', mark, new Map(), false, 'unnamed'],
    [
      'a new promise named with another date',
      mark,
      new Map([['a', '2026-12-02T00:00:00Z']]),
      false,
      'unnamed',
    ],
    [
      'a re-announcement named with its date',
      { ...mark, kind: 'announce', why: 'late' },
      new Map([['a', DATE]]),
      false,
      'announced',
    ],
    ['a reminder the message named', wait, new Map([['a', DATE]]), true, 'reminded'],
    ['a reminder the message had no room for', wait, new Map(), true, 'unnamed'],
    ['waiting, no reminder owed: nothing to record', wait, new Map([['a', DATE]]), false, 'none'],
  ];
  for (const [name, action, named, reminder, expected] of cases) {
    it(name, () => {
      const result = namedAnnouncements(
        [{ id: 'a', action }],
        new Set(reminder ? ['a'] : []),
        new Map(),
        named,
      );
      const found = result.announced.includes('a')
        ? 'announced'
        : result.reminded.includes('a')
          ? 'reminded'
          : result.unnamed.includes('a')
            ? 'unnamed'
            : 'none';
      assert.equal(found, expected);
    });
  }
  it('a promise a later step changed (failed, deferred) records nothing', () => {
    const result = namedAnnouncements(
      [{ id: 'a', action: mark }],
      new Set(),
      new Map([['a', 'failed']]),
      new Map([['a', DATE]]),
    );
    assert.deepEqual(result, { announced: [], reminded: [], unnamed: [] });
  });
});
