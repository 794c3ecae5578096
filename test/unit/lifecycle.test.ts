import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LifecycleAction, type LifecyclePolicy, planLifecycle } from '../../lambda/decisions/lifecycle';
import type { Verdict } from '../../lambda/decisions/verdict';

// The lifecycle of a mark as a promise. NOW is fixed; marks are written as the janitor writes them.
const NOW = new Date('2026-11-24T18:00:00.456Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POLICY: LifecyclePolicy = { gracePeriodMs: 7 * DAY, deleteWhenClusterMissing: false };
const ORPHAN: Verdict = { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' };
const OWNED: Verdict = { kind: 'OWNED' };
const MISSING: Verdict = { kind: 'CLUSTER_NOT_FOUND' };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ago = (ms: number) => iso(NOW.getTime() - ms);
const NOW_ISO = iso(NOW.getTime());

/** A mark the janitor wrote `age` ago with a 7-day promise, announced when it was made. */
function promise(
  age: number,
  overrides: Partial<Record<'since' | 'reason' | 'deletesAt' | 'announcedAt', string | undefined>> = {},
): Record<string, string> {
  const since = NOW.getTime() - age;
  const fields = {
    since: iso(since),
    reason: 'SERVICE_NOT_FOUND',
    deletesAt: iso(since + 7 * DAY),
    announcedAt: iso(since) as string | undefined,
    ...overrides,
  };
  const tags: Record<string, string> = {
    'nlb-janitor/suspect-since': fields.since,
    'nlb-janitor/reason': fields.reason,
    'nlb-janitor/deletes-at': fields.deletesAt,
  };
  if (fields.announcedAt !== undefined) tags['nlb-janitor/announced-at'] = fields.announcedAt;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined && key !== 'announcedAt')
      delete tags[
        `nlb-janitor/${key === 'since' ? 'suspect-since' : key === 'deletesAt' ? 'deletes-at' : key}`
      ];
  }
  return tags;
}

const newMark = (replaces?: string, reason = 'SERVICE_NOT_FOUND'): LifecycleAction =>
  ({
    kind: 'mark',
    replaces,
    reason,
    since: NOW_ISO,
    deletesAt: iso(NOW.getTime() + 7 * DAY),
  }) as LifecycleAction;

const cases: {
  name: string;
  verdict: Verdict;
  tags: Record<string, string>;
  policy?: LifecyclePolicy;
  expected: LifecycleAction | ((action: LifecycleAction) => void);
}[] = [
  { name: 'owned and unmarked: keep', verdict: OWNED, tags: {}, expected: { kind: 'keep' } },
  {
    name: 'owned and marked: unmark (recovered)',
    verdict: OWNED,
    tags: promise(2 * DAY),
    expected: { kind: 'unmark', since: ago(2 * DAY) },
  },
  {
    name: 'owned with only a stray reason tag: unmark',
    verdict: OWNED,
    tags: { 'nlb-janitor/reason': 'SERVICE_NOT_FOUND' },
    expected: { kind: 'unmark', since: undefined },
  },
  {
    name: 'unverified and long overdue: hold, never delete',
    verdict: { kind: 'UNVERIFIED', error: 'timeout' },
    tags: promise(30 * DAY),
    expected: { kind: 'hold', error: 'timeout' },
  },
  {
    // Issue 20: a spared resource's marks are no longer a promise; left, a narrowed sweep would carry one out.
    name: 'foreign (another VPC) and long overdue: spared, never delete, and its marks go',
    verdict: { kind: 'FOREIGN', reason: 'NOT_IN_CLUSTER_VPC', detail: 'vpc-2' },
    tags: promise(30 * DAY),
    expected: { kind: 'spare', reason: 'NOT_IN_CLUSTER_VPC', detail: 'vpc-2', unmark: true },
  },
  {
    name: 'foreign (named by another Service), unmarked: spared, nothing to remove',
    verdict: { kind: 'FOREIGN', reason: 'NAMED_BY_ANOTHER_SERVICE', detail: 'staging' },
    tags: {},
    expected: { kind: 'spare', reason: 'NAMED_BY_ANOTHER_SERVICE', detail: 'staging' },
  },
  {
    name: 'foreign with only a stray mark tag: spared, and the tag goes',
    verdict: { kind: 'FOREIGN', reason: 'CREATED_BEFORE_CLUSTER', detail: 'older' },
    tags: { 'nlb-janitor/announced-at': ago(DAY) },
    expected: { kind: 'spare', reason: 'CREATED_BEFORE_CLUSTER', detail: 'older', unmark: true },
  },
  { name: 'orphan, unmarked: a new promise, 7 days out', verdict: ORPHAN, tags: {}, expected: newMark() },
  {
    name: 'orphan within its announced promise: wait until the promised date',
    verdict: ORPHAN,
    tags: promise(3 * DAY),
    expected: {
      kind: 'wait',
      reason: 'SERVICE_NOT_FOUND',
      since: ago(3 * DAY),
      deletesAt: iso(NOW.getTime() + 4 * DAY),
    },
  },
  {
    name: 'orphan past its announced promise (within a day): delete',
    verdict: ORPHAN,
    tags: promise(7 * DAY + HOUR),
    expected: {
      kind: 'delete',
      reason: 'SERVICE_NOT_FOUND',
      since: ago(7 * DAY + HOUR),
      deletesAt: ago(HOUR),
      announcedAt: ago(7 * DAY + HOUR),
    },
  },
  {
    name: 'a shorter grace period on a later run never brings the promise forward',
    verdict: ORPHAN,
    tags: promise(2 * HOUR),
    policy: { ...POLICY, gracePeriodMs: HOUR },
    expected: (action) => {
      assert.equal(action.kind, 'wait');
      if (action.kind === 'wait') assert.equal(action.deletesAt, iso(NOW.getTime() - 2 * HOUR + 7 * DAY));
    },
  },
  {
    name: 'a longer grace period on a later run pushes the date out',
    verdict: ORPHAN,
    tags: promise(7 * DAY + HOUR),
    policy: { ...POLICY, gracePeriodMs: 14 * DAY },
    expected: (action) => {
      assert.equal(action.kind, 'wait');
      if (action.kind === 'wait')
        assert.equal(action.deletesAt, iso(NOW.getTime() - 7 * DAY - HOUR + 14 * DAY));
    },
  },
  {
    name: 'the promise passed long ago without the janitor acting: announced again with a day of notice',
    verdict: ORPHAN,
    tags: promise(30 * DAY),
    expected: {
      kind: 'announce',
      why: `its date ${ago(23 * DAY)} passed long ago without the janitor acting`,
      reason: 'SERVICE_NOT_FOUND',
      // A new promise first: its mark starts after the old announcement, which then proves nothing.
      since: iso(NOW.getTime() - 30 * DAY + 1000),
      deletesAt: iso(NOW.getTime() + DAY),
    },
  },
  {
    name: 'never announced (the report was not delivered): announced again, a full grace period from now',
    verdict: ORPHAN,
    tags: promise(8 * DAY, { announcedAt: undefined }),
    expected: {
      kind: 'announce',
      why: 'no report naming this promise was delivered in time',
      reason: 'SERVICE_NOT_FOUND',
      since: ago(8 * DAY),
      deletesAt: iso(NOW.getTime() + 7 * DAY),
    },
  },
  {
    name: 'announced less than a day before its date: announced again',
    verdict: ORPHAN,
    tags: promise(8 * DAY, { announcedAt: ago(DAY + HOUR) }),
    expected: (action) => assert.equal(action.kind, 'announce'),
  },
  {
    name: 'announced too late: the re-announced mark starts after that announcement',
    verdict: ORPHAN,
    tags: promise(8 * DAY, { announcedAt: ago(DAY + HOUR) }),
    expected: {
      kind: 'announce',
      why: 'no report naming this promise was delivered in time',
      reason: 'SERVICE_NOT_FOUND',
      since: iso(NOW.getTime() - DAY - HOUR + 1000),
      deletesAt: iso(NOW.getTime() + 7 * DAY),
    },
  },
  {
    name: 'a stale promise announced late is re-announced no earlier than a grace period after that announcement',
    verdict: ORPHAN,
    tags: promise(12 * DAY, { announcedAt: ago(6 * DAY) }),
    expected: {
      kind: 'announce',
      why: `its date ${ago(5 * DAY)} passed long ago without the janitor acting`,
      reason: 'SERVICE_NOT_FOUND',
      since: iso(NOW.getTime() - 6 * DAY + 1000),
      deletesAt: iso(NOW.getTime() + DAY + 1000),
    },
  },
  {
    name: 'an announced-at older than the mark proves nothing: announced again, never deleted',
    verdict: ORPHAN,
    tags: promise(7 * DAY + HOUR, { announcedAt: ago(7 * DAY + 2 * HOUR) }),
    expected: (action) => assert.equal(action.kind, 'announce'),
  },
  {
    name: 'an announcement time in the future proves nothing: announced again',
    verdict: ORPHAN,
    tags: promise(8 * DAY, { announcedAt: iso(NOW.getTime() + HOUR) }),
    expected: (action) => assert.equal(action.kind, 'announce'),
  },
  {
    name: 'the reason changed: a new promise with a full grace period',
    verdict: { kind: 'ORPHAN', reason: 'SERVICE_NOT_LOAD_BALANCER' },
    tags: promise(8 * DAY),
    expected: newMark('the reason changed from SERVICE_NOT_FOUND', 'SERVICE_NOT_LOAD_BALANCER'),
  },
  {
    name: 'a cluster that appeared under a known name: CLUSTER_NOT_FOUND marks become new promises',
    verdict: ORPHAN,
    tags: promise(30 * DAY, { reason: 'CLUSTER_NOT_FOUND' }),
    expected: newMark('the reason changed from CLUSTER_NOT_FOUND'),
  },
  {
    name: 'cluster not found without opt-in: waits with no date, however old',
    verdict: MISSING,
    tags: promise(30 * DAY, { reason: 'CLUSTER_NOT_FOUND' }),
    expected: { kind: 'wait', reason: 'CLUSTER_NOT_FOUND', since: ago(30 * DAY), deletesAt: undefined },
  },
  {
    name: 'cluster not found with opt-in, just due: delete',
    verdict: MISSING,
    tags: promise(7 * DAY + HOUR, { reason: 'CLUSTER_NOT_FOUND' }),
    policy: { ...POLICY, deleteWhenClusterMissing: true },
    expected: (action) => assert.equal(action.kind, 'delete'),
  },
];

// Marks the janitor cannot show it wrote: each is a new promise with a full grace period, never a deletion.
const FOREIGN_MARKS: [string, Record<string, string>, RegExp][] = [
  [
    'a leftover of an older version (no promise)',
    { 'nlb-janitor/suspect-since': ago(30 * DAY), 'nlb-janitor/reason': 'SERVICE_NOT_FOUND' },
    /no deletion promise/,
  ],
  [
    'year zero',
    promise(0, { since: '0000-01-01T00:00:00Z', deletesAt: '0000-01-08T00:00:00Z' }),
    /older than the janitor/,
  ],
  ['a hand-made suspect-since', { 'nlb-janitor/suspect-since': 'yesterday' }, /not an ISO-8601/],
  ['a suspect-since in the future', promise(-DAY), /future/],
  ['February 30th', promise(0, { since: '2026-02-30T00:00:00Z' }), /not an ISO-8601/],
  ['an unknown reason', promise(30 * DAY, { reason: 'BECAUSE' }), /reason "BECAUSE"/],
  [
    'a promise shorter than an hour',
    promise(30 * DAY, { deletesAt: ago(30 * DAY - 60_000) }),
    /between 1 hour and 365 days/,
  ],
  [
    'a promise before its mark',
    promise(30 * DAY, { deletesAt: ago(31 * DAY) }),
    /between 1 hour and 365 days/,
  ],
  [
    'a promise more than 365 days out',
    promise(DAY, { deletesAt: iso(NOW.getTime() + 400 * DAY) }),
    /between 1 hour and 365 days/,
  ],
  ['only an announced-at tag', { 'nlb-janitor/announced-at': ago(DAY) }, /suspect-since missing/],
  ['only a deletes-at tag', { 'nlb-janitor/deletes-at': ago(DAY) }, /suspect-since missing/],
];

describe('planLifecycle: marks are promises', () => {
  for (const { name, verdict, tags, policy, expected } of cases) {
    it(name, () => {
      const action = planLifecycle(verdict, tags, NOW, policy ?? POLICY);
      if (typeof expected === 'function') expected(action);
      else assert.deepEqual(action, expected);
    });
  }
  for (const [name, tags, problem] of FOREIGN_MARKS) {
    it(`a foreign mark is a new promise, never a deletion: ${name}`, () => {
      const action = planLifecycle(ORPHAN, tags, NOW, POLICY);
      assert.equal(action.kind, 'mark');
      if (action.kind !== 'mark') return;
      assert.match(action.replaces ?? '', /the old mark was not the janitor's/);
      assert.match(action.replaces ?? '', problem);
      assert.equal(action.deletesAt, iso(NOW.getTime() + 7 * DAY));
    });
  }
  // Safety review 2026-12 (S3): the re-announcement's tags are written, the old announced-at is not
  // removed (refused, throttled, the function stopped) and the report is never delivered.
  it('a re-announced promise whose old announced-at stayed behind is never deleted on it', () => {
    for (const [name, tags] of [
      ['stale', promise(20 * DAY)],
      ['announced too late', promise(8 * DAY, { announcedAt: ago(DAY + HOUR) })],
    ] as const) {
      const first = planLifecycle(ORPHAN, tags, NOW, POLICY);
      assert.equal(first.kind, 'announce', name);
      if (first.kind !== 'announce') continue;
      const leftBehind = {
        ...tags,
        'nlb-janitor/suspect-since': first.since,
        'nlb-janitor/deletes-at': first.deletesAt,
      };
      for (const later of [25 * HOUR, 8 * DAY, 8 * DAY + 2 * HOUR]) {
        const action = planLifecycle(ORPHAN, leftBehind, new Date(NOW.getTime() + later), POLICY);
        assert.equal(action.kind, 'announce', `${name}, ${later / HOUR} hours later`);
      }
    }
  });
  it('a new mark, once announced, is deleted only after its full grace period', () => {
    const first = planLifecycle(ORPHAN, {}, NOW, POLICY);
    assert.equal(first.kind, 'mark');
    if (first.kind !== 'mark') return;
    const tags = {
      'nlb-janitor/suspect-since': first.since,
      'nlb-janitor/reason': first.reason,
      'nlb-janitor/deletes-at': first.deletesAt,
      'nlb-janitor/announced-at': first.since,
    };
    const at = (ms: number) => planLifecycle(ORPHAN, tags, new Date(NOW.getTime() + ms), POLICY).kind;
    assert.equal(at(7 * DAY - 1000), 'wait');
    assert.equal(at(7 * DAY + 1000), 'delete');
    assert.equal(at(8 * DAY + 1000), 'delete');
    assert.equal(at(9 * DAY + 1000), 'announce');
  });
});
