import type { Outcome } from './sweep-report';

/**
 * What the report says of a resource whose cluster EKS does not know while
 * `deleteWhenClusterMissing` is off: it is marked and reported, never deleted,
 * so it has no deletion date to promise.
 */
export const AWAITS_CLUSTER_MISSING_OPT_IN =
  'EKS does not know its cluster; deleting it needs --delete-when-cluster-missing';

/** True when a mark of this reason is never deleted under these settings: no date may be reported for it. */
export function awaitsClusterMissingOptIn(
  reason: string | undefined,
  deleteWhenClusterMissing: boolean,
): boolean {
  return reason === 'CLUSTER_NOT_FOUND' && !deleteWhenClusterMissing;
}

/** Outcomes of a marked resource on its way to deletion: those that carry a date, or wait for the opt-in instead. */
const MARKED_OUTCOMES: readonly Outcome[] = ['marked', 'announced', 'pending', 'deferred'];

/** True when a report entry is a mark that waits for the opt-in: it gets no date, and says what it waits for. */
export function waitsForOptIn(
  entry: { readonly outcome: Outcome; readonly reason: string | undefined },
  deleteWhenClusterMissing: boolean,
): boolean {
  return (
    MARKED_OUTCOMES.includes(entry.outcome) &&
    awaitsClusterMissingOptIn(entry.reason, deleteWhenClusterMissing)
  );
}

/**
 * What a message that lists such a resource names it with, in place of a date:
 * it was told (and recorded as announced), but promised no date. Should the
 * opt-in be switched on later, the lifecycle's own rules date it: a date passed
 * more than two days before is announced again with a day's notice, and one
 * still ahead gets its dated reminder in its last day.
 */
export const NAMED_WITHOUT_DATE = 'no date: deleting it needs --delete-when-cluster-missing';

/** What a report entry names its resource with: its date, NAMED_WITHOUT_DATE while it waits for the opt-in, or nothing. */
export function namedAs(entry: {
  readonly deletesAt: string | undefined;
  readonly reason: string | undefined;
  readonly outcome: Outcome;
}): string | undefined {
  if (entry.outcome === 'deleted') return undefined;
  if (entry.deletesAt !== undefined) return entry.deletesAt;
  // Without a date, a cluster-not-found mark waits for the opt-in (with it, the entry has its date).
  return waitsForOptIn(entry, false) ? NAMED_WITHOUT_DATE : undefined;
}
