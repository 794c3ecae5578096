import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeChatMessage } from '../../lambda/report/chat-message';
import { composeNotification } from '../../lambda/report/notification';
import { customNotificationProblems } from '../support/chat-schema';
import { sampleEntry as entry, sampleReport as report } from '../support/report-entries';

describe('composeNotification', () => {
  it('puts errors first, then deletions before new marks, and says how to stop a deletion', () => {
    const { message } = composeNotification(report());
    const errorsAt = message.indexOf('ERRORS');
    const deletedAt = message.indexOf('DELETED (1)');
    const markedAt = message.indexOf('NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN (1)');
    assert.ok(errorsAt > 0 && errorsAt < deletedAt && deletedAt < markedAt, message);
    assert.match(message, /Cluster staging could not be read completely/);
    assert.match(message, /owner Service shop\/web/);
    assert.match(message, /estimated cost: 16\.43 USD a month/);
    assert.match(message, /nlb-janitor\/ignore=true/);
    assert.match(message, /nlb-janitor\/ignore with any value but false/);
  });

  it('gives every marked load balancer its deletion time', () => {
    const { message } = composeNotification(
      report({ loadBalancers: [entry('web', { deletesAt: '2026-12-01T18:00:00Z' })] }),
    );
    assert.match(message, /WILL BE DELETED AT: 2026-12-01T18:00:00Z/);
  });

  it('has a short ASCII subject with the counts', () => {
    const { subject } = composeNotification(report());
    assert.equal(subject, 'nlb-janitor eu-west-1: 1 deleted, 1 marked, 1 unverified clusters');
  });

  it('cuts a long subject to 100 ASCII characters', () => {
    const { subject } = composeNotification(report({ region: `région-${'x'.repeat(120)}` }));
    assert.equal(subject.length, 100);
    assert.match(subject, /^[\x20-\x7e]+$/);
  });

  it('gives the counts as message attributes for filter policies', () => {
    const { attributes } = composeNotification(report());
    assert.deepEqual(attributes.deleted, { DataType: 'Number', StringValue: '1' });
    assert.deepEqual(attributes.unverifiedClusters, { DataType: 'Number', StringValue: '1' });
    assert.deepEqual(attributes.dryRun, { DataType: 'String', StringValue: 'false' });
  });

  it('says plainly when it was a dry run', () => {
    const { subject, message } = composeNotification(report({ dryRun: true }));
    assert.match(subject, /\[dry run\]/);
    assert.match(message, /DRY RUN: nothing was changed/);
  });

  it('stays under the SNS size limit for a huge first sweep', () => {
    const many = Array.from({ length: 5000 }, (_, i) => entry(`nlb-${i}`));
    const { message } = composeNotification(report({ loadBalancers: many }));
    assert.ok(Buffer.byteLength(message) < 256 * 1024);
    // Each section says what it had no room for (the one byte budget, lambda/report/message-budget.ts).
    assert.match(message, /… and \d+ more not shown here/);
  });
});

describe('composeNotification: reminders, the digest and the cost', () => {
  it('puts the reminder first among the load balancers, with the time and how to stop it', () => {
    const soon = entry('soon', { outcome: 'pending', reminder: true, deletesAt: '2026-11-25T17:00:00Z' });
    const later = entry('later', { outcome: 'pending', deletesAt: '2026-11-30T17:00:00Z' });
    const { message, attributes } = composeNotification(
      report({ loadBalancers: [later, soon], counts: { ...report().counts, pending: 2, reminded: 1 } }),
    );
    const reminderAt = message.indexOf('REMINDER: DELETED WITHIN 24 HOURS UNLESS STOPPED (1)\n* soon');
    const pendingAt = message.indexOf('PENDING DELETION (1)\n* later');
    assert.ok(reminderAt > 0 && reminderAt < pendingAt, message);
    assert.match(message, /WILL BE DELETED AT: 2026-11-25T17:00:00Z \(unless stopped, see below\)/);
    assert.deepEqual(attributes.reminded, { DataType: 'Number', StringValue: '1' });
  });

  it('a digest lists pending deletions by date, what to check, and the savings so far', () => {
    const { subject, message } = composeNotification(
      report({
        notice: { kind: 'digest', news: [] },
        clusters: [],
        loadBalancers: [
          entry('late', { outcome: 'pending', deletesAt: '2026-12-03T00:00:00Z' }),
          entry('early', { outcome: 'pending', deletesAt: '2026-11-28T00:00:00Z' }),
        ],
        skipped: [{ arn: 'arn:odd', name: 'odd', reason: 'MALFORMED_OWNER_TAGS' }],
        counts: { ...report().counts, marked: 0, deleted: 0, pending: 2 },
        savingsSoFar: { deleted: 4, monthlyUsd: 94.92, since: '2026-11-01T09:00:00Z' },
      }),
    );
    assert.equal(subject, 'nlb-janitor eu-west-1 digest: 2 pending');
    assert.match(message, /^nlb-janitor daily digest for eu-west-1/);
    assert.match(message, /Nothing changed since the last message; the janitor is running\./);
    assert.ok(message.indexOf('* early') < message.indexOf('* late'), 'soonest deletion first');
    assert.match(
      message,
      /SKIPPED, TO CHECK \(1\): tags the janitor cannot read as one owner\n\* odd: MALFORMED_OWNER_TAGS/,
    );
    assert.match(
      message,
      /- deleted so far: 4 load balancers since 2026-11-01T09:00:00Z, 94\.92 USD a month/,
    );
  });

  it('gives the monthly totals of what was deleted and what is pending, with the prices used', () => {
    const { message } = composeNotification(report({ estimatedMonthlyPendingUsd: 47.46 }));
    assert.match(
      message,
      /- deleted in this sweep: 16\.43 USD a month\n- pending deletion: 47\.46 USD a month/,
    );
    assert.match(
      message,
      /us-east-1 prices of \d{4}-\d\d-\d\d: 0\.0225 USD per NLB-hour, 0\.005 USD per public IPv4 address-hour, 730 hours/,
    );
    assert.match(message, /note: the price table has no NLB price for eu-west-1/);
  });

  it('splits an internet-facing NLB’s cost into the hour charge and its public addresses', () => {
    const { message } = composeNotification(
      report({
        loadBalancers: [
          entry('web', {
            estimatedMonthlyCostUsd: 23.73,
            estimatedMonthlyCost: { loadBalancerUsd: 16.43, publicIpv4Usd: 7.3, totalUsd: 23.73 },
          }),
        ],
      }),
    );
    assert.match(
      message,
      /estimated cost: 23\.73 USD a month \(16\.43 load balancer \+ 7\.30 for 2 public IPv4 addresses\)/,
    );
  });

  it('says what changed first', () => {
    const { message } = composeNotification(report());
    assert.match(message, /\n\nWHAT CHANGED\n- web is newly marked as orphaned\n- api was deleted\n/);
  });
});

describe('composeChatMessage', () => {
  it('is a valid Amazon Q Developer custom notification, short, with the news and the totals', () => {
    const chat = composeChatMessage(report());
    assert.deepEqual(customNotificationProblems(JSON.parse(JSON.stringify(chat))), []);
    assert.equal(
      chat.content.title,
      ':broom: nlb-janitor eu-west-1: 1 deleted, 1 marked, 1 unverified clusters',
    );
    assert.match(chat.content.description, /• web is newly marked as orphaned\n• api was deleted\n/);
    assert.match(chat.content.description, /\*16\.43 USD\* deleted in this sweep/);
  });

  it('cuts many news lines to ten and stays short', () => {
    const news = Array.from(
      { length: 500 },
      (_, i) => `k8s-${i} is newly marked as orphaned: ${'x'.repeat(80)}`,
    );
    const chat = composeChatMessage(report({ notice: { kind: 'change', news } }));
    assert.match(chat.content.description, /• and 490 more: see the email/);
    assert.ok(chat.content.description.length <= 3_000);
  });

  it('a digest lists the pending deletions by date', () => {
    const chat = composeChatMessage(
      report({
        notice: { kind: 'digest', news: [] },
        loadBalancers: [entry('soon', { outcome: 'pending', deletesAt: '2026-11-26T00:00:00Z' })],
      }),
    );
    assert.match(chat.content.title, /^:calendar: nlb-janitor digest eu-west-1/);
    assert.match(
      chat.content.description,
      /\*Pending deletion\*\n• `soon` \(prod, shop\/soon\) deletes at 2026-11-26T00:00:00Z/,
    );
  });
});
