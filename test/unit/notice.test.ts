import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REMINDER_WINDOW_MS, reminderDue } from '../../lambda/decisions/reminder';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import {
  addSavings,
  decideNotice,
  NOTHING_SAID,
  nextSaidState,
  type SaidState,
} from '../../lambda/report/notice';
import { decodeSaidState, encodeSaidState } from '../../lambda/report/said-memory';
import type { ClusterEntry } from '../../lambda/report/sweep-report';
import { sampleEntry as entry } from '../support/report-entries';

const VERIFIED: ClusterEntry = {
  name: 'prod',
  status: 'VERIFIED',
  services: 3,
  loadBalancers: 1,
  kubernetesRequests: 1,
  error: undefined,
  heldBack: undefined,
};
const UNVERIFIED: ClusterEntry = {
  ...VERIFIED,
  status: 'UNVERIFIED',
  services: undefined,
  error: 'HTTP 403',
};
const TRIPPED: ClusterEntry = { ...VERIFIED, heldBack: 'circuit breaker: 3 of 3' };

const report = (over: Partial<Parameters<typeof decideNotice>[0]> = {}) => ({
  clusters: [VERIFIED],
  loadBalancers: [],
  footprint: [],
  errors: [],
  ...over,
});
const said = (over: Partial<SaidState> = {}): SaidState => ({ ...NOTHING_SAID, ...over });

describe('decideNotice: speak on change', () => {
  it('finishing a leftover target group is news; holding one is not', () => {
    const group = {
      kind: 'target-group' as const,
      id: 'arn:tg',
      name: 'k8s-shop-web',
      vpcId: 'vpc-1',
      cluster: 'prod',
      owner: 'Service shop/web',
      loadBalancer: 'arn:lb',
      dryRun: false,
      reason: undefined,
      deletesAt: undefined,
      detail: 'left behind when the janitor deleted arn:lb',
    };
    assert.equal(
      decideNotice(report({ footprint: [{ ...group, outcome: 'deleted' }] }), said(), false).kind,
      'change',
    );
    assert.equal(
      decideNotice(report({ footprint: [{ ...group, outcome: 'held' }] }), said(), false).kind,
      'quiet',
    );
  });

  it('a load balancer only waiting for its date is not news', () => {
    const notice = decideNotice(
      report({ loadBalancers: [entry('web', { outcome: 'pending' })] }),
      said(),
      false,
    );
    assert.deepEqual(notice, { kind: 'quiet', news: [] });
  });

  const alwaysNews: [string, Parameters<typeof entry>[1], RegExp][] = [
    [
      'a new mark, with its date',
      { outcome: 'marked', deletesAt: '2026-12-01T18:00:00Z' },
      /newly marked.*2026-12-01T18:00:00Z/,
    ],
    [
      'a re-announced promise',
      { outcome: 'announced', deletesAt: '2026-12-01T18:00:00Z' },
      /announced again.*2026-12-01/,
    ],
    ['a deletion', { outcome: 'deleted' }, /was deleted/],
    ['a recovery', { outcome: 'recovered' }, /owned by its Service again/],
    ['a failure', { outcome: 'failed', detail: 'AccessDenied' }, /an action failed: AccessDenied/],
    [
      'a reminder',
      { outcome: 'pending', reminder: true, deletesAt: '2026-12-01T18:00:00Z' },
      /within 24 hours/,
    ],
  ];
  for (const [name, overrides, line] of alwaysNews) {
    it(`${name} is always news, whatever was said`, () => {
      const notice = decideNotice(report({ loadBalancers: [entry('web', overrides)] }), said(), false);
      assert.equal(notice.kind, 'change');
      assert.match(notice.news[0] ?? '', line);
    });
  }

  it('a dry run’s would-be changes are not news: nothing changed', () => {
    const notice = decideNotice(
      report({ loadBalancers: [entry('web', { outcome: 'marked', dryRun: true })] }),
      said(),
      false,
    );
    assert.equal(notice.kind, 'quiet');
  });

  it('something needing a person is news once', () => {
    const needs = report({
      loadBalancers: [entry('web', { outcome: 'needs-manual-action', detail: 'deletion protection' })],
    });
    assert.equal(decideNotice(needs, said(), false).kind, 'change');
    assert.equal(
      decideNotice(needs, said({ attention: { web: 'needs-manual-action' } }), false).kind,
      'quiet',
    );
  });

  it('a cluster is news when it becomes unverified and when it can be read again, not in between', () => {
    assert.match(
      decideNotice(report({ clusters: [UNVERIFIED] }), said(), false).news[0] ?? '',
      /prod could not be read.*HTTP 403/,
    );
    assert.equal(
      decideNotice(report({ clusters: [UNVERIFIED] }), said({ clusters: { prod: ['unverified'] } }), false)
        .kind,
      'quiet',
    );
    assert.deepEqual(decideNotice(report(), said({ clusters: { prod: ['unverified'] } }), false).news, [
      'cluster prod can be read again',
    ]);
  });

  it('a breaker is news when it trips and when it releases', () => {
    assert.match(
      decideNotice(report({ clusters: [TRIPPED] }), said(), false).news[0] ?? '',
      /circuit breaker tripped on cluster prod/,
    );
    assert.equal(
      decideNotice(report({ clusters: [TRIPPED] }), said({ clusters: { prod: ['breaker'] } }), false).kind,
      'quiet',
    );
    assert.deepEqual(decideNotice(report(), said({ clusters: { prod: ['breaker'] } }), false).news, [
      'the circuit breaker on cluster prod released',
    ]);
  });

  it('without a memory, everything current is told: never less', () => {
    assert.equal(decideNotice(report({ clusters: [UNVERIFIED] }), undefined, false).kind, 'change');
  });

  it('the digest is sent even when nothing changed', () => {
    assert.deepEqual(decideNotice(report(), said(), true), { kind: 'digest', news: [] });
  });
});

describe('what is remembered', () => {
  const unverified = report({ clusters: [UNVERIFIED] });
  const before = said({ clusters: { staging: ['breaker'] } });

  it('a told report replaces what was said; a failed delivery keeps it, so the news is told again', () => {
    assert.deepEqual(nextSaidState(before, unverified, true, undefined).clusters, { prod: ['unverified'] });
    assert.deepEqual(nextSaidState(before, unverified, false, undefined).clusters, { staging: ['breaker'] });
  });

  it('savings add up from the first deletion', () => {
    const first = addSavings(undefined, 2, 47.46, '2026-11-01T00:00:00Z');
    assert.deepEqual(addSavings(first, 1, 16.43, '2026-11-02T00:00:00Z'), {
      deleted: 3,
      monthlyUsd: 63.89,
      since: '2026-11-01T00:00:00Z',
    });
    assert.equal(addSavings(undefined, 0, 0, 'x'), undefined);
  });

  it('survives the round trip through topic tags', () => {
    const state: SaidState = {
      clusters: { prod: ['unverified', 'breaker'] },
      attention: { 'k8s-a': 'needs-manual-action', 'k8s-b': 'spared' },
      savings: { deleted: 3, monthlyUsd: 63.89, since: '2026-11-01T00:00:00Z' },
    };
    const decoded = decodeSaidState(encodeSaidState(state, 50));
    assert.deepEqual(decoded.attention, state.attention);
    assert.deepEqual(decoded.savings, state.savings);
    assert.deepEqual([...(decoded.clusters.prod ?? [])].sort(), ['breaker', 'unverified']);
  });

  it('what does not fit the 50 tags of a topic is forgotten (so told again), savings and clusters first', () => {
    const attention = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`lb-${i}`, 'spared' as const]),
    );
    const tags = encodeSaidState({ clusters: { prod: ['unverified'] }, attention, savings: undefined }, 45);
    assert.equal(Object.keys(tags).length, 45);
    assert.equal(tags['nlb-janitor/said/cluster/prod'], 'unverified');
  });
});

describe('reminderDue: one reminder in the last day', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const at = (ms: number) => formatSuspectSince(new Date(now.getTime() + ms));
  const HOUR = 3_600_000;
  const announced = { 'nlb-janitor/announced-at': at(-6 * 24 * HOUR) };

  it('is due 23 hours before a deletion announced days ago', () => {
    assert.equal(reminderDue(announced, at(23 * HOUR), now), true);
  });
  it('not earlier than 24 hours before, nor after the date', () => {
    assert.equal(reminderDue(announced, at(REMINDER_WINDOW_MS + HOUR), now), false);
    assert.equal(reminderDue(announced, at(-HOUR), now), false);
  });
  it('not twice: a reminder recorded since the announcement counts', () => {
    assert.equal(
      reminderDue({ ...announced, 'nlb-janitor/reminded-at': at(-HOUR) }, at(22 * HOUR), now),
      false,
    );
  });
  it('a reminder of an earlier promise does not count for a new one', () => {
    const renewed = {
      'nlb-janitor/announced-at': at(-3 * 24 * HOUR),
      'nlb-janitor/reminded-at': at(-5 * 24 * HOUR),
    };
    assert.equal(reminderDue(renewed, at(23 * HOUR), now), true);
  });
  it('a promise announced with a day’s notice or less was its own reminder', () => {
    assert.equal(reminderDue({ 'nlb-janitor/announced-at': at(-2 * HOUR) }, at(20 * HOUR), now), false);
  });
  it('never without an announcement', () => {
    assert.equal(reminderDue({}, at(23 * HOUR), now), false);
  });
});
