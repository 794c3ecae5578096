import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duration } from 'aws-cdk-lib';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { readEnvironmentConfig } from '../../lambda/config/environment-config';
import { composeFleetDigest } from '../../lambda/fleet/fleet-digest';
import { FLEET_METRICS, FLEET_METRICS_NAMESPACE } from '../../lambda/fleet/fleet-handler';
import { type FleetMember, NOTHING_SINCE_DIGEST } from '../../lambda/fleet/fleet-member';
import { FLEET_EXPIRY_ATTRIBUTE, FLEET_KEY_ATTRIBUTE } from '../../lambda/fleet/fleet-store';
import {
  MAX_SUMMARY_ITEMS,
  SUMMARY_DETAIL_TYPE,
  SUMMARY_SOURCE,
  summarizeSweep,
} from '../../lambda/fleet/fleet-summary';
import type { LoadBalancerEntry } from '../../lambda/report/sweep-report';
import { FLEET_CONTRACT } from '../../lib/organization/fleet-digest';
import { sweepIntervalOf } from '../../lib/organization/fleet-summaries';
import { sampleEntry, sampleReport } from '../support/report-entries';

const FINISHED = '2026-11-24T18:00:05.000Z';
const member = { account: '111111111111', version: '0.1.0 (abc)', roleArn: undefined };

describe('a sweep summary for the fleet', () => {
  const cases: [string, Partial<LoadBalancerEntry>, boolean][] = [
    ['pending, deleted in 23 hours', { outcome: 'pending', deletesAt: '2026-11-25T17:00:00Z' }, true],
    ['pending, deleted in exactly 24 hours', { outcome: 'pending', deletesAt: '2026-11-25T18:00:05Z' }, true],
    ['pending, deleted in 25 hours', { outcome: 'pending', deletesAt: '2026-11-25T19:00:00Z' }, false],
    [
      'announced again, deleted in 2 hours',
      { outcome: 'announced', deletesAt: '2026-11-24T20:00:00Z' },
      true,
    ],
    [
      'a dry run would delete it in 2 hours',
      { outcome: 'pending', deletesAt: '2026-11-24T20:00:00Z', dryRun: true },
      false,
    ],
    ['held: nothing is deleted', { outcome: 'held', deletesAt: '2026-11-24T20:00:00Z' }, false],
    ['already deleted', { outcome: 'deleted', deletesAt: '2026-11-24T17:00:00Z' }, false],
  ];
  for (const [name, overrides, due] of cases) {
    it(`${name}: ${due ? 'due within 24 hours' : 'not due'}`, () => {
      const report = sampleReport({ finishedAt: FINISHED, loadBalancers: [sampleEntry('lb', overrides)] });
      assert.equal(summarizeSweep(report, member).due.length, due ? 1 : 0);
    });
  }

  it('keeps each list to its bound and counts what it left out', () => {
    const many = Array.from({ length: MAX_SUMMARY_ITEMS + 5 }, (_, i) =>
      sampleEntry(`lb-${i}`, { outcome: 'pending', deletesAt: '2026-11-25T00:00:00Z' }),
    );
    const summary = summarizeSweep(sampleReport({ finishedAt: FINISHED, loadBalancers: many }), member);
    assert.equal(summary.due.length, MAX_SUMMARY_ITEMS);
    assert.equal(summary.omitted, 5);
    assert.ok(JSON.stringify(summary).length < 20_000, 'far below EventBridge 256 KB');
  });
});

describe('the fleet digest', () => {
  const now = new Date('2026-11-25T08:00:00Z');
  const quiet = (account: string, receivedAt = '2026-11-25T07:30:00Z'): FleetMember => ({
    summary: summarizeSweep(
      sampleReport({
        finishedAt: receivedAt,
        loadBalancers: [],
        clusters: [],
        errors: [],
        counts: { ...sampleReport().counts, marked: 0, deleted: 0 },
      }),
      {
        ...member,
        account,
      },
    ),
    receivedAt,
    sinceDigest: NOTHING_SINCE_DIGEST,
  });

  it('members with nothing to say are only counted; one silent member is named', () => {
    const digest = composeFleetDigest(
      [quiet('111111111111'), quiet('222222222222'), quiet('333333333333', '2026-11-25T05:00:00Z')],
      {
        now,
        silentAfterMs: 2 * 3_600_000,
      },
    );
    assert.equal(digest.subject, 'nlb-janitor fleet: 3 janitors, 3 accounts: 1 silent');
    assert.doesNotMatch(digest.message, /- 111111111111 eu-west-1:/);
    assert.match(digest.message, /- 333333333333 eu-west-1: last summary 2026-11-25T05:00:00Z \(3 h ago\)/);
    assert.match(digest.message, /2 other member janitors have nothing to say\./);
  });

  it('a fleet with nothing to act on says so in its subject', () => {
    const digest = composeFleetDigest([quiet('111111111111')], { now, silentAfterMs: 2 * 3_600_000 });
    assert.equal(digest.subject, 'nlb-janitor fleet: 1 janitors, 1 accounts, nothing to act on');
  });
});

describe('fleet settings', () => {
  const versions: [string, string][] = [
    ['0.1.0+nlb-janitor/0123456789abcdef0123456789.zip', '0.1.0 (0123456789ab)'],
    ['1.2.3', '1.2.3'],
    ['', 'unknown'],
  ];
  for (const [value, readable] of versions) {
    it(`JANITOR_VERSION ${JSON.stringify(value)} reads as ${readable}`, () => {
      assert.equal(readEnvironmentConfig({ JANITOR_VERSION: value }).janitorVersion, readable);
    });
  }

  const intervals: [string, scheduler.ScheduleExpression | undefined, number][] = [
    ['no schedule: the hourly default', undefined, 60],
    ['rate(30 minutes)', scheduler.ScheduleExpression.rate(Duration.minutes(30)), 30],
    ['rate(2 hours)', scheduler.ScheduleExpression.rate(Duration.hours(2)), 120],
    ['a cron expression: taken as hourly', scheduler.ScheduleExpression.cron({ minute: '0' }), 60],
  ];
  for (const [name, schedule, minutes] of intervals) {
    it(`the sweep interval of ${name} is ${minutes} minutes`, () => {
      assert.equal(sweepIntervalOf(schedule).toMinutes(), minutes);
    });
  }
});

describe('the fleet contract between the stacks and the runtime', () => {
  it('the constants lib/ writes into the templates are the ones lambda/ reads', () => {
    assert.deepEqual(FLEET_CONTRACT, {
      summarySource: SUMMARY_SOURCE,
      summaryDetailType: SUMMARY_DETAIL_TYPE,
      keyAttribute: FLEET_KEY_ATTRIBUTE,
      expiryAttribute: FLEET_EXPIRY_ATTRIBUTE,
      metricsNamespace: FLEET_METRICS_NAMESPACE,
      silentMetric: FLEET_METRICS.silent,
    });
  });
});
