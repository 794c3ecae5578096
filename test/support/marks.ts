import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';

const DAY_MS = 86_400_000;

/** A suspect-since value `days` before now, in the janitor's own format. */
export function daysAgo(days: number): string {
  return formatSuspectSince(new Date(Date.now() - days * DAY_MS));
}

/** The tags a sweep writes on a load balancer it suspects. */
export function suspectTags(since: string, reason = 'SERVICE_NOT_FOUND'): Record<string, string> {
  return { 'nlb-janitor/suspect-since': since, 'nlb-janitor/reason': reason };
}

/**
 * A sweep dependency that runs `fn` once, when the engine first asks for the time
 * left. With nothing to tag, that is right before the deletion phase's re-read:
 * the moment to change the world between the two reads.
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
