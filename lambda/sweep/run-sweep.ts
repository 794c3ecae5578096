import type { EKSClient } from '@aws-sdk/client-eks';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { applyTagChanges, type TagChange } from '../actions/tagging';
import { formatSuspectSince } from '../decisions/suspect-timestamp';
import type { EvidenceSource } from '../evidence/evidence';
import { readInventory } from '../inventory/load-balancer-inventory';
import { discoverClusters } from '../kubernetes/cluster-discovery';
import { type ClusterReadResult, readCluster } from '../kubernetes/cluster-reader';
import type { AwsCredentials } from '../kubernetes/eks-token';
import { ownerKey } from '../ownership/owner';
import {
  ANNOUNCED_AT_TAG,
  DELETES_AT_TAG,
  JANITOR_MARK_TAGS,
  SUSPECT_REASON_TAG,
  SUSPECT_SINCE_TAG,
} from '../ownership/tag-keys';
import { buildReport, type EntryResult } from '../report/build-report';
import type { Announcement, SweepReport } from '../report/sweep-report';
import { mapWithConcurrency } from '../util/concurrency';
import { errorText } from '../util/error-text';
import { applyDeletionPhase } from './deletion-phase';
import { classifyInventory, type Plan, planSweep, toSweepReads } from './plan-sweep';
import { DEFAULT_TUNING, type SweepSettings, type SweepTuning } from './sweep-settings';

/** The narrow slice of a logger the engine uses; Powertools Logger fits it. */
export interface DecisionLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
}

export interface SweepDependencies {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly eks: EKSClient;
  readonly region: string;
  /** The account swept, for the report; undefined when unknown (the CLI). */
  readonly account?: string;
  /** The function's role, named in the report when a cluster refuses it (401/403). */
  readonly roleArn?: string;
  /** The same credentials the SDK clients use, to sign EKS tokens. */
  readonly credentials: () => Promise<AwsCredentials>;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: DecisionLogger;
  /**
   * Delivers the report to people (SNS email, the CLI's output). Only a delivered
   * report makes its promises count; without one, nothing is ever deleted.
   */
  readonly announce?: (report: SweepReport) => Promise<void>;
  /** Evidence of use read right before each deletion; see lambda/evidence/. */
  readonly evidence?: readonly EvidenceSource[];
  /** Milliseconds left to finish (a Lambda's remaining time); undefined: no limit. */
  readonly remainingTimeMs?: () => number;
  readonly tuning?: Partial<SweepTuning>;
}

/**
 * One sweep: read every load balancer and the clusters, decide, mark and unmark,
 * delete what was promised and announced — each deletion re-proven right before
 * it by fresh reads — then deliver the report and record which promises it carried.
 */
export async function runSweep(settings: SweepSettings, deps: SweepDependencies): Promise<SweepReport> {
  const tuning: SweepTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const startedAt = deps.clock();
  const inventory = await readInventory(deps.elbv2, { concurrency: tuning.describeConcurrency });
  // Like the inventory, all or nothing: a failed list throws before any change.
  const discovered = settings.discoverClusters
    ? await discoverClusters(deps.eks, tuning.listClustersPageSize)
    : [];
  const { judged, skipped } = classifyInventory(inventory, settings.clusters);

  // Every configured or discovered cluster is read, not only those the tags name:
  // a Service in any of them may name a load balancer whose tags name another cluster.
  const clusterNames = [
    ...new Set([...judged.map((item) => item.owner.cluster), ...(settings.clusters ?? []), ...discovered]),
  ].sort();
  const reads = new Map<string, ClusterReadResult>();
  await mapWithConcurrency(clusterNames, tuning.clusterConcurrency, async (name) => {
    reads.set(name, await readCluster(deps.eks, name, readerOptions(deps, tuning)));
  });
  const sweepReads = toSweepReads(reads);

  const plannedAt = deps.clock();
  const { plans, heldBack } = planSweep(judged, sweepReads, plannedAt, settings, tuning.breakerMinimum);
  const results = new Map<string, EntryResult>();
  const errors: string[] = [];
  const outOfTime = () =>
    deps.remainingTimeMs !== undefined && deps.remainingTimeMs() < tuning.safetyMarginMs;

  await applyTagPhase(plans, settings, deps, outOfTime, results);
  await applyDeletionPhase({
    plans,
    reads,
    sweepReads,
    settings,
    tuning,
    deps,
    readCluster: (name) => readCluster(deps.eks, name, readerOptions(deps, tuning)),
    outOfTime,
    results,
    errors,
  });

  let report = buildReport({
    startedAt,
    finishedAt: deps.clock(),
    region: deps.region,
    account: deps.account,
    settings,
    loadBalancerCount: inventory.loadBalancerCount,
    networkLoadBalancerCount: inventory.networkLoadBalancers.length,
    plans,
    results,
    skipped,
    clusters: clusterNames.map((name) => ({ name, result: reads.get(name), heldBack: heldBack.get(name) })),
    errors,
    announcement: announcementFor(deps),
  });
  if (deps.announce !== undefined) {
    const announcement = await deliver(report, plans, results, plannedAt, settings, deps);
    report = { ...report, announcement, finishedAt: deps.clock().toISOString() };
  }
  logDecisions(deps.logger, plans, report);
  return report;
}

function announcementFor(deps: SweepDependencies): Announcement {
  return deps.announce === undefined
    ? {
        status: 'none',
        detail: 'no report channel: promises are not announced, so nothing is deleted',
      }
    : { status: 'pending', detail: undefined };
}

/**
 * Delivers the report, then records on each newly promised load balancer that a
 * person was told (`announced-at`, the time the promise was decided). A failed
 * delivery records nothing: the next sweep announces those promises again.
 */
async function deliver(
  report: SweepReport,
  plans: readonly Plan[],
  results: ReadonlyMap<string, EntryResult>,
  plannedAt: Date,
  settings: SweepSettings,
  deps: SweepDependencies,
): Promise<Announcement> {
  try {
    await deps.announce?.(report);
  } catch (error) {
    return { status: 'failed', detail: errorText(error) };
  }
  if (settings.dryRun) return { status: 'delivered', detail: undefined };
  const announced = plans
    .filter((plan) => plan.action.kind === 'mark' || plan.action.kind === 'announce')
    .map((plan) => plan.loadBalancer.arn)
    .filter((arn) => results.get(arn) === undefined);
  if (announced.length === 0) return { status: 'delivered', detail: undefined };
  const value = formatSuspectSince(plannedAt);
  const failures = await applyTagChanges(
    deps.elbv2,
    announced.map((arn) => ({ kind: 'add', arn, tags: { [ANNOUNCED_AT_TAG]: value } })),
  );
  if (failures.size === 0) return { status: 'delivered', detail: undefined };
  return {
    status: 'delivered',
    detail: `announced-at could not be recorded on ${failures.size} load balancers; the next sweep announces them again: ${[...failures.values()][0]}`,
  };
}

/** Writes new promises (and clears a stale announcement), unmarks recovered ones: batched, one failure isolated. */
async function applyTagPhase(
  plans: readonly Plan[],
  settings: SweepSettings,
  deps: SweepDependencies,
  outOfTime: () => boolean,
  results: Map<string, EntryResult>,
): Promise<void> {
  const changes: TagChange[] = [];
  for (const plan of plans) {
    const { arn } = plan.loadBalancer;
    const { action } = plan;
    if (action.kind === 'mark' || action.kind === 'announce') {
      changes.push({
        kind: 'add',
        arn,
        tags: {
          [SUSPECT_SINCE_TAG]: action.since,
          [SUSPECT_REASON_TAG]: action.reason,
          [DELETES_AT_TAG]: action.deletesAt,
        },
      });
      // Until this report is delivered, nobody has heard of the new promise.
      if (ANNOUNCED_AT_TAG in plan.tags) changes.push({ kind: 'remove', arn, keys: [ANNOUNCED_AT_TAG] });
    } else if (action.kind === 'unmark') {
      const keys = JANITOR_MARK_TAGS.filter((key) => key in plan.tags);
      changes.push({ kind: 'remove', arn, keys });
    }
  }
  if (changes.length === 0) return;
  if (settings.dryRun) return;
  if (outOfTime()) {
    for (const change of changes) {
      results.set(change.arn, { outcome: 'deferred', detail: 'the time budget ran out before tagging' });
    }
    return;
  }
  const failures = await applyTagChanges(deps.elbv2, changes);
  for (const [arn, error] of failures) results.set(arn, { outcome: 'failed', detail: error });
}

/**
 * One structured line per decision. Load balancers with something to report are
 * logged at INFO; owned and skipped ones, the bulk of a large account, at DEBUG.
 */
function logDecisions(logger: DecisionLogger, plans: readonly Plan[], report: SweepReport): void {
  const planByArn = new Map(plans.map((plan) => [plan.loadBalancer.arn, plan]));
  for (const entry of report.loadBalancers) {
    const plan = planByArn.get(entry.arn);
    logger.info('load balancer decision', {
      arn: entry.arn,
      cluster: entry.cluster,
      owner: entry.owner,
      verdict: plan?.verdict.kind,
      reason: entry.reason,
      action: plan?.action.kind,
      outcome: entry.outcome,
      dryRun: entry.dryRun,
      detail: entry.detail,
    });
  }
  for (const plan of plans) {
    if (plan.action.kind !== 'keep') continue;
    logger.debug('load balancer decision', {
      arn: plan.loadBalancer.arn,
      cluster: plan.owner.cluster,
      owner: ownerKey(plan.owner),
      verdict: plan.verdict.kind,
      action: 'keep',
    });
  }
  for (const skipped of report.skipped) {
    logger.debug('load balancer skipped', { arn: skipped.arn, reason: skipped.reason });
  }
}

export function readerOptions(deps: SweepDependencies, tuning: SweepTuning) {
  return {
    region: deps.region,
    roleArn: deps.roleArn,
    credentials: deps.credentials,
    clock: deps.clock,
    sleep: deps.sleep,
    requestTimeoutMs: tuning.kubernetesRequestTimeoutMs,
    pageSize: tuning.servicePageSize,
    maxAttemptsPerPage: tuning.maxAttemptsPerPage,
    maxRetryAfterSeconds: tuning.maxRetryAfterSeconds,
    baseBackoffMs: tuning.baseBackoffMs,
  };
}
