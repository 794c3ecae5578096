/** What a sweep is asked to do; the same for the Lambda handler and the CLI. */
export interface SweepSettings {
  /** Analyse and report, change nothing. */
  readonly dryRun: boolean;
  /** How long a load balancer stays marked before it may be deleted, as given (`7d`). */
  readonly gracePeriod: string;
  readonly gracePeriodMs: number;
  /** Deletions attempted per sweep at most; the rest wait for the next sweep. */
  readonly maxDeletions: number;
  /** Deletions attempted per cluster and sweep at most: one misread cluster cannot use the whole allowance. */
  readonly maxDeletionsPerCluster: number;
  /** Delete load balancers of clusters EKS does not know (self-managed clusters run the LBC too). */
  readonly deleteWhenClusterMissing: boolean;
  /**
   * Only these clusters' load balancers (and footprint) are marked or deleted;
   * undefined: every cluster the tags name. Narrowing limits what changes, never
   * what is read: every known cluster is still read for claims.
   */
  readonly clusters: readonly string[] | undefined;
  /**
   * Clusters EKS does not know but whose `kubernetes.io/cluster/<name>` tags are
   * in a load balancer's VPC (self-managed: no endpoint to read) that do not hold
   * their VPC: a person vouched that none of their Services uses another's load
   * balancer. Undefined: none.
   */
  readonly ignoreUnreadableClusters?: readonly string[];
  /**
   * The circuit breaker: a cluster where the sweep would mark, re-announce or
   * delete more than this share of its load balancers (and at least 2) is left untouched.
   */
  readonly maxOrphanRatio: number;
  /**
   * Send the digest: one summary of everything pending, to check and unverified,
   * even when nothing changed. Otherwise a sweep publishes only news.
   */
  readonly digest?: boolean;
}

/** Internal limits of a sweep; code-level defaults, overridable where the engine is built. */
export interface SweepTuning {
  /** Services per list page. */
  readonly servicePageSize: number;
  readonly maxAttemptsPerPage: number;
  readonly maxRetryAfterSeconds: number;
  readonly baseBackoffMs: number;
  readonly kubernetesRequestTimeoutMs: number;
  /** ELBv2 describe calls in flight at once. */
  readonly describeConcurrency: number;
  /** Clusters read at once. */
  readonly clusterConcurrency: number;
  /** Clusters per eks:ListClusters page when discovering them (EKS allows 1 to 100). */
  readonly listClustersPageSize: number;
  /** No mutation starts when less than this remains of the time budget. */
  readonly safetyMarginMs: number;
  readonly targetGroupRetryDelaysMs: readonly number[];
  /** The breaker trips only from this many marks and deletions in a cluster: one change is never a mass event. */
  readonly breakerMinimum: number;
}

export const DEFAULT_TUNING: SweepTuning = {
  servicePageSize: 500,
  maxAttemptsPerPage: 4,
  maxRetryAfterSeconds: 30,
  baseBackoffMs: 500,
  kubernetesRequestTimeoutMs: 20_000,
  describeConcurrency: 5,
  clusterConcurrency: 4,
  listClustersPageSize: 100,
  safetyMarginMs: 30_000,
  targetGroupRetryDelaysMs: [2_000, 5_000, 10_000],
  breakerMinimum: 2,
};
