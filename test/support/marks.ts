import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';

const DAY_MS = 86_400_000;

/** A suspect-since value `days` before now, in the janitor's own format. */
export function daysAgo(days: number): string {
  return formatSuspectSince(new Date(Date.now() - days * DAY_MS));
}

/**
 * The tags of a mark the janitor made at `since` and announced then: a promise to
 * delete `promiseDays` later (the default grace period, 7 days).
 */
export function suspectTags(
  since: string,
  reason = 'SERVICE_NOT_FOUND',
  promiseDays = 7,
): Record<string, string> {
  const sinceMs = Date.parse(since);
  // A garbage since (a test of foreign marks) gets the same garbage as its promise.
  const deletesAt = Number.isNaN(sinceMs)
    ? since
    : formatSuspectSince(new Date(sinceMs + promiseDays * DAY_MS));
  return {
    'nlb-janitor/suspect-since': since,
    'nlb-janitor/reason': reason,
    'nlb-janitor/deletes-at': deletesAt,
    'nlb-janitor/announced-at': since,
  };
}

/**
 * A sweep dependency that runs `fn` once, when the engine first asks for the time
 * left. With nothing to tag, that is right before the deletion phase: the moment
 * to change the world between the sweep's reads and its deletions.
 */
export function atFirstTimeCheck(fn: () => void): () => number {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      fn();
    }
    return Number.POSITIVE_INFINITY;
  };
}

/** A clock for the engine that a test can move forward, e.g. to age a cluster read past 10 seconds. */
export function steppingClock(): { clock: () => Date; advance: (ms: number) => void } {
  let offsetMs = 0;
  return {
    clock: () => new Date(Date.now() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}
