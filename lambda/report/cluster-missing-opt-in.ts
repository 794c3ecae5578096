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
