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
  readonly outcome: string;
}): string | undefined {
  if (entry.outcome === 'deleted') return undefined;
  if (entry.deletesAt !== undefined) return entry.deletesAt;
  const waiting = ['marked', 'announced', 'pending', 'deferred'].includes(entry.outcome);
  return waiting && entry.reason === 'CLUSTER_NOT_FOUND' ? NAMED_WITHOUT_DATE : undefined;
}
