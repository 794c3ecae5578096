import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { namedAnnouncements } from '../../lambda/actions/mark-tags';
import type { FootprintAction } from '../../lambda/decisions/footprint-plan';
import { isIgnored } from '../../lambda/ownership/owner';
import { judgeClock } from '../../lambda/sweep/clock-check';

// Safety review of the merged seams (2026-12, second round): the decision rules
// one part relies on, held to the cases another part may hand it.

const DATE = '2026-12-11T10:00:00Z';
const mark = (deletesAt: string) =>
  ({
    kind: 'mark',
    since: '2026-12-04T10:00:00Z',
    reason: 'SERVICE_NOT_FOUND',
    deletesAt,
  }) as unknown as FootprintAction;

describe('announced means named: the date the message named must be the date of the promise', () => {
  const cases: { name: string; named: Map<string, string>; done: Map<string, unknown>; expected: string }[] =
    [
      { name: 'named with its date', named: new Map([['a', DATE]]), done: new Map(), expected: 'announced' },
      {
        name: 'named with another date (an older promise the report still shows)',
        named: new Map([['a', '2026-12-10T10:00:00Z']]),
        done: new Map(),
        expected: 'unnamed',
      },
      { name: 'not named (no room in the message)', named: new Map(), done: new Map(), expected: 'unnamed' },
      {
        name: 'named, but its tagging failed (a result for it): no promise was written, nothing to record',
        named: new Map([['a', DATE]]),
        done: new Map([['a', { outcome: 'failed' }]]),
        expected: 'none',
      },
    ];
  for (const { name, named, done, expected } of cases) {
    it(name, () => {
      const result = namedAnnouncements([{ id: 'a', action: mark(DATE) }], new Set(), done, named);
      const got = result.announced.includes('a')
        ? 'announced'
        : result.unnamed.includes('a')
          ? 'unnamed'
          : 'none';
      assert.equal(got, expected);
    });
  }
});

describe('the ignore tag as people and scripts type it: never less protection than IAM gives', () => {
  // IAM compares tag keys case-insensitively (ASCII) and NeverMarkIgnored's value with
  // StringNotEqualsIgnoreCase "false": whatever is not "false" in any case protects.
  const cases: { key: string; value: string; ignored: boolean }[] = [
    { key: 'nlb-janitor/ignore', value: 'true', ignored: true },
    { key: 'NLB-JANITOR/IGNORE', value: 'yes', ignored: true },
    { key: 'Nlb-Janitor/Ignore', value: '', ignored: true },
    { key: 'nlb-janitor/ignore', value: ' false', ignored: true },
    { key: 'nlb-janitor/ignore', value: 'FALSE', ignored: false },
    { key: 'nlb-janitor/ignore', value: 'False', ignored: false },
    // Not the key at all, for IAM either: a key with a space or a look-alike letter is another key.
    { key: ' nlb-janitor/ignore', value: 'true', ignored: false },
    { key: 'nlb-janitor/\u0131gnore', value: 'true', ignored: false },
  ];
  for (const { key, value, ignored } of cases) {
    it(`${JSON.stringify(key)}=${JSON.stringify(value)}: ${ignored ? 'ignored' : 'not ignored'}`, () => {
      assert.equal(isIgnored({ [key]: value }), ignored);
    });
  }
});

describe('the clock check: a reading it cannot trust is no reading', () => {
  const host = new Date('2026-12-04T19:00:00Z');
  const cases: { name: string; awsDate: string | undefined; expected: string }[] = [
    { name: 'no Date header', awsDate: undefined, expected: 'unknown' },
    { name: 'an empty Date header', awsDate: '', expected: 'unknown' },
    { name: 'a Date header that is not a date', awsDate: 'yesterday', expected: 'unknown' },
    { name: 'within five minutes', awsDate: 'Fri, 04 Dec 2026 19:04:59 GMT', expected: 'agrees' },
    { name: 'six minutes behind the host', awsDate: 'Fri, 04 Dec 2026 18:54:00 GMT', expected: 'skewed' },
    { name: 'eight days ahead of the host', awsDate: 'Sat, 12 Dec 2026 19:00:00 GMT', expected: 'skewed' },
  ];
  for (const { name, awsDate, expected } of cases) {
    it(`${name}: ${expected}`, () => {
      assert.equal(judgeClock({ hostAt: host, awsDate }).kind, expected);
    });
  }
});
