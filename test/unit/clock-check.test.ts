import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertClockAgrees,
  ClockSkewError,
  judgeClock,
  MAX_CLOCK_SKEW_MS,
} from '../../lambda/sweep/clock-check';

const MINUTE = 60_000;
const DAY = 86_400_000;
const AWS = Date.parse('2026-12-04T18:00:00Z');
/** The Date header AWS sends at that moment. */
const AWS_DATE = new Date(AWS).toUTCString();

const at = (offsetMs: number) => ({ hostAt: new Date(AWS + offsetMs), awsDate: AWS_DATE });

describe('judgeClock: the host clock against the Date of an AWS answer', () => {
  const cases: { name: string; offsetMs: number; kind: 'agrees' | 'skewed'; says?: RegExp }[] = [
    { name: 'the same second', offsetMs: 0, kind: 'agrees' },
    { name: 'exactly five minutes ahead', offsetMs: MAX_CLOCK_SKEW_MS, kind: 'agrees' },
    { name: 'exactly five minutes behind', offsetMs: -MAX_CLOCK_SKEW_MS, kind: 'agrees' },
    {
      name: 'a second over five minutes ahead',
      offsetMs: 5 * MINUTE + 1_000,
      kind: 'skewed',
      says: /^the host clock is 5 minutes \(0\.0 days\) ahead of AWS's/,
    },
    {
      name: 'six minutes behind',
      offsetMs: -6 * MINUTE,
      kind: 'skewed',
      says: /^the host clock is 6 minutes \(0\.0 days\) behind AWS's/,
    },
    {
      name: 'eight days fast',
      offsetMs: 8 * DAY,
      kind: 'skewed',
      says: /^the host clock is 11520 minutes \(8\.0 days\) ahead of AWS's \(host 2026-12-12T18:00:00\.000Z, AWS 2026-12-04T18:00:00\.000Z; more than 5 minutes apart\): nothing was marked or deleted; set the host clock right \(NTP\) and run again$/,
    },
    {
      name: 'eight and a half days slow',
      offsetMs: -8.5 * DAY,
      kind: 'skewed',
      says: /^the host clock is 12240 minutes \(8\.5 days\) behind AWS's/,
    },
  ];
  for (const { name, offsetMs, kind, says } of cases) {
    it(`${name}: ${kind}`, () => {
      const verdict = judgeClock(at(offsetMs));
      assert.equal(verdict.kind, kind);
      assert.equal('offsetMs' in verdict ? verdict.offsetMs : undefined, offsetMs);
      if (says !== undefined) assert.match(verdict.kind === 'skewed' ? verdict.message : '', says);
    });
  }

  it('no answer, or one without a Date header: unknown, and nothing may change', () => {
    for (const reading of [undefined, { hostAt: new Date(AWS), awsDate: undefined }]) {
      const verdict = judgeClock(reading);
      assert.equal(verdict.kind, 'unknown');
      assert.match(
        verdict.kind === 'unknown' ? verdict.message : '',
        /no AWS response carried a Date header/,
      );
    }
  });

  it('a Date header that is not a date: unknown', () => {
    const verdict = judgeClock({ hostAt: new Date(AWS), awsDate: 'yesterday-ish' });
    assert.equal(verdict.kind, 'unknown');
    assert.match(verdict.kind === 'unknown' ? verdict.message : '', /"yesterday-ish" is not a date/);
  });

  it('assertClockAgrees throws a ClockSkewError of one line unless the clocks agree', () => {
    assert.doesNotThrow(() => assertClockAgrees(at(4 * MINUTE)));
    for (const reading of [at(8 * DAY), at(-8.5 * DAY), undefined]) {
      assert.throws(
        () => assertClockAgrees(reading),
        (error: unknown) =>
          error instanceof ClockSkewError &&
          error.name === 'ClockSkewError' &&
          !error.message.includes('\n') &&
          /nothing was marked or deleted/.test(error.message),
      );
    }
  });
});
