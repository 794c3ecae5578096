import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * The most the host clock may differ from AWS's. Every date the janitor writes
 * (suspect-since, deletes-at, announced-at) and every window it reads (traffic
 * over the grace period) is taken from the host clock: a host a week fast
 * carries out a promise a week early and reads traffic from a future, empty
 * window; a host a week slow writes a backdated promise that a correctly timed
 * janitor carries out at once. The AWS SDK corrects its own signing skew, so
 * nothing else notices. Five minutes is SigV4's own tolerance: a clock within it
 * moves a promise of days by minutes.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What the host clock said when an AWS response arrived, and that response's `Date` header. */
export interface ClockReading {
  readonly hostAt: Date;
  /** The response's `Date` header (RFC 7231, whole seconds), as sent. */
  readonly awsDate: string | undefined;
}

export type ClockVerdict =
  | { readonly kind: 'agrees'; readonly offsetMs: number }
  | { readonly kind: 'skewed'; readonly offsetMs: number; readonly message: string }
  | { readonly kind: 'unknown'; readonly message: string };

/** A sweep refused before any change because the host clock cannot be trusted. */
export class ClockSkewError extends Error {
  override readonly name = 'ClockSkewError';
}

const NOTHING_CHANGED = 'nothing was marked or deleted';

/**
 * Judges the host clock against AWS's. A positive offset: the host is ahead.
 * No reading, or a `Date` header that is not a date: unknown — the sweep cannot
 * tell its dates are right, so it changes nothing (fail closed, as for every read).
 */
export function judgeClock(reading: ClockReading | undefined): ClockVerdict {
  if (reading?.awsDate === undefined) {
    return {
      kind: 'unknown',
      message: `the host clock could not be checked: no AWS response carried a Date header; ${NOTHING_CHANGED}`,
    };
  }
  const aws = Date.parse(reading.awsDate);
  if (Number.isNaN(aws)) {
    return {
      kind: 'unknown',
      message: `the host clock could not be checked: AWS's Date header ${JSON.stringify(reading.awsDate)} is not a date; ${NOTHING_CHANGED}`,
    };
  }
  const offsetMs = reading.hostAt.getTime() - aws;
  if (Math.abs(offsetMs) <= MAX_CLOCK_SKEW_MS) return { kind: 'agrees', offsetMs };
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const days = (Math.abs(offsetMs) / 86_400_000).toFixed(1);
  return {
    kind: 'skewed',
    offsetMs,
    message:
      `the host clock is ${minutes} minutes (${days} days) ${offsetMs > 0 ? 'ahead of' : 'behind'} AWS's ` +
      `(host ${reading.hostAt.toISOString()}, AWS ${new Date(aws).toISOString()}; more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes apart): ` +
      `${NOTHING_CHANGED}; set the host clock right (NTP) and run again`,
  };
}

/** Throws ClockSkewError unless the host clock agrees with AWS's. */
export function assertClockAgrees(reading: ClockReading | undefined): void {
  const verdict = judgeClock(reading);
  if (verdict.kind !== 'agrees') throw new ClockSkewError(verdict.message);
}

/** What an SDK middleware sees of a response, on success (`response`) or failure (`$response`). */
interface WithResponse {
  readonly response?: { readonly headers?: Readonly<Record<string, string | undefined>> };
  readonly $response?: { readonly headers?: Readonly<Record<string, string | undefined>> };
}

let watches = 0;

/**
 * Records the first `Date` header the client's responses carry (errors included:
 * AWS dates a refused request too), with the host clock at that moment, until
 * `stop`. The sweep watches its first AWS calls — the inventory — so the check
 * costs no call of its own. Moto sends the header as AWS does (Werkzeug adds it).
 */
export function watchAwsClock(
  client: Pick<ElasticLoadBalancingV2Client, 'middlewareStack'>,
  clock: () => Date,
): { reading(): ClockReading | undefined; stop(): void } {
  let first: ClockReading | undefined;
  watches += 1;
  // A name of its own: a client shared by sweeps (a warm Lambda) never keeps one.
  const name = `nlbJanitorAwsClock${watches}`;
  const note = (seen: WithResponse | undefined) => {
    const awsDate = seen?.response?.headers?.date ?? seen?.$response?.headers?.date;
    if (first === undefined && awsDate !== undefined) first = { hostAt: clock(), awsDate };
  };
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        const output = await next(args);
        note(output as WithResponse);
        return output;
      } catch (error) {
        note(error as WithResponse);
        throw error;
      }
    },
    // Inside the retry loop: every attempt's answer, the first one included.
    { step: 'deserialize', priority: 'low', name },
  );
  return {
    reading: () => first,
    stop: () => {
      client.middlewareStack.remove(name);
    },
  };
}
