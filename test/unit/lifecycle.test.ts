import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LifecycleAction, type LifecyclePolicy, planLifecycle } from '../../lambda/decisions/lifecycle';
import { parseSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import type { Verdict } from '../../lambda/decisions/verdict';

const NOW = new Date('2026-11-24T18:00:00.456Z');
const DAY = 24 * 60 * 60 * 1000;
const POLICY: LifecyclePolicy = { gracePeriodMs: 7 * DAY, deleteWhenClusterMissing: false };
const ORPHAN: Verdict = { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' };
const OWNED: Verdict = { kind: 'OWNED' };
const MISSING: Verdict = { kind: 'CLUSTER_NOT_FOUND' };

function marked(since: string, reason = 'SERVICE_NOT_FOUND'): Record<string, string> {
  return { 'nlb-janitor/suspect-since': since, 'nlb-janitor/reason': reason };
}

const cases: {
  name: string;
  verdict: Verdict;
  tags: Record<string, string>;
  policy?: LifecyclePolicy;
  expected: LifecycleAction;
}[] = [
  { name: 'owned and unmarked: keep', verdict: OWNED, tags: {}, expected: { kind: 'keep' } },
  {
    name: 'owned and marked: unmark (recovered)',
    verdict: OWNED,
    tags: marked('2026-11-20T00:00:00Z'),
    expected: { kind: 'unmark', since: '2026-11-20T00:00:00Z' },
  },
  {
    name: 'owned with only a reason tag left: unmark',
    verdict: OWNED,
    tags: { 'nlb-janitor/reason': 'SERVICE_NOT_FOUND' },
    expected: { kind: 'unmark', since: undefined },
  },
  {
    name: 'unverified and marked long ago: hold, never delete',
    verdict: { kind: 'UNVERIFIED', error: 'timeout' },
    tags: marked('2020-01-01T00:00:00Z'),
    expected: { kind: 'hold', error: 'timeout' },
  },
  {
    name: 'unverified and unmarked: hold',
    verdict: { kind: 'UNVERIFIED', error: '403' },
    tags: {},
    expected: { kind: 'hold', error: '403' },
  },
  {
    name: 'first orphan sighting: mark now, to the second',
    verdict: ORPHAN,
    tags: {},
    expected: { kind: 'mark', reason: 'SERVICE_NOT_FOUND', since: '2026-11-24T18:00:00Z' },
  },
  {
    name: 'first sighting carries the reason',
    verdict: { kind: 'ORPHAN', reason: 'SERVICE_USES_OTHER_LOAD_BALANCER' },
    tags: {},
    expected: { kind: 'mark', reason: 'SERVICE_USES_OTHER_LOAD_BALANCER', since: '2026-11-24T18:00:00Z' },
  },
  {
    name: 'marked one day ago: wait, deletes a week after marking',
    verdict: ORPHAN,
    tags: marked('2026-11-23T18:00:00Z'),
    expected: {
      kind: 'wait',
      reason: 'SERVICE_NOT_FOUND',
      since: '2026-11-23T18:00:00Z',
      deletesAt: '2026-11-30T18:00:00Z',
    },
  },
  {
    name: 'marked less than a second short of the grace period: still waits',
    verdict: ORPHAN,
    tags: marked('2026-11-17T18:00:01Z'),
    expected: {
      kind: 'wait',
      reason: 'SERVICE_NOT_FOUND',
      since: '2026-11-17T18:00:01Z',
      deletesAt: '2026-11-24T18:00:01Z',
    },
  },
  {
    name: 'marked longer ago than the grace period: delete',
    verdict: ORPHAN,
    tags: marked('2026-11-17T17:59:59Z'),
    expected: { kind: 'delete', reason: 'SERVICE_NOT_FOUND', since: '2026-11-17T17:59:59Z' },
  },
  {
    name: 'the current reason is what is reported, even if the tag says another',
    verdict: { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' },
    tags: marked('2026-11-01T00:00:00Z'),
    expected: { kind: 'delete', reason: 'SERVICE_NOT_LOAD_BALANCER', since: '2026-11-01T00:00:00Z' },
  },
  {
    name: 'a shorter grace period (36h)',
    verdict: ORPHAN,
    tags: marked('2026-11-23T06:00:01Z'),
    policy: { ...POLICY, gracePeriodMs: 36 * 60 * 60 * 1000 },
    expected: {
      kind: 'wait',
      reason: 'SERVICE_NOT_FOUND',
      since: '2026-11-23T06:00:01Z',
      deletesAt: '2026-11-24T18:00:01Z',
    },
  },
  {
    name: 'suspect-since in the future: reset to now',
    verdict: ORPHAN,
    tags: marked('2026-11-24T18:00:01Z'),
    expected: {
      kind: 'reset-mark',
      reason: 'SERVICE_NOT_FOUND',
      since: '2026-11-24T18:00:00Z',
      invalidSince: '2026-11-24T18:00:01Z',
    },
  },
  ...[
    '',
    'yesterday',
    '2026-11-01',
    '2026-11-01T00:00:00.000Z',
    '2026-11-01T00:00:00+00:00',
    '2026-02-30T00:00:00Z',
    '1700000000',
    '２０２６-11-01T00:00:00Z',
  ].map((invalid) => ({
    name: `suspect-since ${JSON.stringify(invalid)} does not parse: reset to now, never delete`,
    verdict: ORPHAN,
    tags: marked(invalid),
    expected: {
      kind: 'reset-mark',
      reason: 'SERVICE_NOT_FOUND',
      since: '2026-11-24T18:00:00Z',
      invalidSince: invalid,
    } as LifecycleAction,
  })),
  {
    name: 'marked reason only, no timestamp: mark now',
    verdict: ORPHAN,
    tags: { 'nlb-janitor/reason': 'SERVICE_NOT_FOUND' },
    expected: { kind: 'mark', reason: 'SERVICE_NOT_FOUND', since: '2026-11-24T18:00:00Z' },
  },
  {
    name: 'cluster not found, first sighting: mark',
    verdict: MISSING,
    tags: {},
    expected: { kind: 'mark', reason: 'CLUSTER_NOT_FOUND', since: '2026-11-24T18:00:00Z' },
  },
  {
    name: 'cluster not found past the grace period without opt-in: waits for the opt-in',
    verdict: MISSING,
    tags: marked('2026-01-01T00:00:00Z', 'CLUSTER_NOT_FOUND'),
    expected: {
      kind: 'wait',
      reason: 'CLUSTER_NOT_FOUND',
      since: '2026-01-01T00:00:00Z',
      deletesAt: undefined,
    },
  },
  {
    name: 'cluster not found past the grace period with opt-in: delete',
    verdict: MISSING,
    tags: marked('2026-01-01T00:00:00Z', 'CLUSTER_NOT_FOUND'),
    policy: { ...POLICY, deleteWhenClusterMissing: true },
    expected: { kind: 'delete', reason: 'CLUSTER_NOT_FOUND', since: '2026-01-01T00:00:00Z' },
  },
  {
    name: 'cluster not found within the grace period with opt-in: wait',
    verdict: MISSING,
    tags: marked('2026-11-24T00:00:00Z', 'CLUSTER_NOT_FOUND'),
    policy: { ...POLICY, deleteWhenClusterMissing: true },
    expected: {
      kind: 'wait',
      reason: 'CLUSTER_NOT_FOUND',
      since: '2026-11-24T00:00:00Z',
      deletesAt: '2026-12-01T00:00:00Z',
    },
  },
];

describe('planLifecycle', () => {
  for (const { name, verdict, tags, policy, expected } of cases) {
    it(name, () => {
      assert.deepEqual(planLifecycle(verdict, tags, NOW, policy ?? POLICY), expected);
    });
  }
});

describe('parseSuspectSince', () => {
  it('reads the format the janitor writes', () => {
    assert.equal(parseSuspectSince('2026-11-24T18:00:00Z')?.toISOString(), '2026-11-24T18:00:00.000Z');
  });
  it('rejects a leap day in a year without one', () => {
    assert.equal(parseSuspectSince('2026-02-29T00:00:00Z'), undefined);
  });
  it('accepts a leap day in a leap year', () => {
    assert.equal(parseSuspectSince('2028-02-29T00:00:00Z')?.toISOString(), '2028-02-29T00:00:00.000Z');
  });
});
