/**
 * The sweep's settings as the construct, the function's environment and the CLI share
 * them: one default and one bound each. The construct's props document the same
 * defaults in their `@default` tags (test/unit/contract.test.ts holds the two together).
 */

/** What a sweep does when nothing says otherwise: the safe choice each time. */
export const SETTING_DEFAULTS = {
  /** How long a mark stands before deletion. */
  gracePeriod: '7d',
  maxDeletions: 10,
  maxDeletionsPerCluster: 3,
  /** The circuit breaker's share of a cluster's load balancers. */
  maxOrphanRatio: 0.5,
  dryRun: false,
  deleteWhenClusterMissing: false,
} as const;

const HOUR_MS = 60 * 60 * 1000;

/** A grace period shorter than this could delete a Service's load balancer during a routine re-deploy. */
export const MIN_GRACE_PERIOD_MS = HOUR_MS;
/**
 * More than a year is almost surely a typo. The bound also keeps "now plus the
 * grace period" a valid Date, which `100000000d` would not be.
 */
export const MAX_GRACE_PERIOD_MS = 365 * 24 * HOUR_MS;

/** The most deletions a sweep, or a cluster in a sweep, may be allowed: more is a typo. */
export const MAX_DELETIONS_LIMIT = 1000;
