import type { EKSClient } from '@aws-sdk/client-eks';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { deleteOrphanedLoadBalancer } from '../actions/load-balancer-deletion';
import { applyTagChanges, type TagChange } from '../actions/tagging';
import { planLifecycle } from '../decisions/lifecycle';
import { type ClusterRead, decideVerdict } from '../decisions/verdict';
import { readInventory } from '../inventory/load-balancer-inventory';
import { type ClusterReadResult, readCluster } from '../kubernetes/cluster-reader';
import type { AwsCredentials } from '../kubernetes/eks-token';
import { ownerKey } from '../ownership/owner';
import { SUSPECT_REASON_TAG, SUSPECT_SINCE_TAG } from '../ownership/tag-keys';
import { buildReport, type EntryResult } from '../report/build-report';
import type { SweepReport } from '../report/sweep-report';
import { mapWithConcurrency } from '../util/concurrency';
import { classifyInventory, type Plan, planSweep } from './plan-sweep';
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
  /** The same credentials the SDK clients use, to sign EKS tokens. */
  readonly credentials: () => Promise<AwsCredentials>;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: DecisionLogger;
  /** Milliseconds left to finish (a Lambda's remaining time); undefined: no limit. */
  readonly remainingTimeMs?: () => number;
  readonly tuning?: Partial<SweepTuning>;
}

/**
 * One sweep: read every load balancer and the clusters their tags name, decide,
 * then mark, unmark and delete — each change proven by a complete read made in
 * this sweep, deletions by a second read made right before them.
 */
export async function runSweep(settings: SweepSettings, deps: SweepDependencies): Promise<SweepReport> {
  const tuning: SweepTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const startedAt = deps.clock();
  const inventory = await readInventory(deps.elbv2, { concurrency: tuning.describeConcurrency });
  const { judged, skipped } = classifyInventory(inventory, settings.clusters);

  const clusterNames = [...new Set(judged.map((item) => item.owner.cluster))].sort();
  const reads = new Map<string, ClusterReadResult>();
  await mapWithConcurrency(clusterNames, tuning.clusterConcurrency, async (name) => {
    reads.set(name, await readCluster(deps.eks, name, readerOptions(deps, tuning)));
  });
  const readByCluster = new Map<string, ClusterRead>([...reads].map(([name, result]) => [name, result.read]));

  const { plans, heldBack } = planSweep(judged, readByCluster, deps.clock(), settings, tuning.breakerMinimum);
  const results = new Map<string, EntryResult>();
  const errors: string[] = [];
  const outOfTime = () =>
    deps.remainingTimeMs !== undefined && deps.remainingTimeMs() < tuning.safetyMarginMs;

  await applyTagPhase(plans, settings, deps, outOfTime, results);
  await applyDeletionPhase(plans, settings, deps, tuning, outOfTime, results, errors);

  const report = buildReport({
    startedAt,
    finishedAt: deps.clock(),
    region: deps.region,
    settings,
    loadBalancerCount: inventory.loadBalancerCount,
    networkLoadBalancerCount: inventory.networkLoadBalancers.length,
    plans,
    results,
    skipped,
    clusters: clusterNames.map((name) => ({ name, result: reads.get(name), heldBack: heldBack.get(name) })),
    errors,
  });
  logDecisions(deps.logger, plans, report);
  return report;
}

/** Marks new suspects (and resets bad timestamps), unmarks recovered ones: batched, one failure isolated. */
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
    if (action.kind === 'mark' || action.kind === 'reset-mark') {
      changes.push({
        kind: 'add',
        arn,
        tags: { [SUSPECT_SINCE_TAG]: action.since, [SUSPECT_REASON_TAG]: action.reason },
      });
    } else if (action.kind === 'unmark') {
      changes.push({ kind: 'remove', arn, keys: [SUSPECT_SINCE_TAG, SUSPECT_REASON_TAG] });
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
 * Deletes due load balancers, oldest mark first, up to the limit. Each cluster
 * with candidates is read again first; a candidate is deleted only if that fresh
 * read still makes it due.
 */
async function applyDeletionPhase(
  plans: readonly Plan[],
  settings: SweepSettings,
  deps: SweepDependencies,
  tuning: SweepTuning,
  outOfTime: () => boolean,
  results: Map<string, EntryResult>,
  errors: string[],
): Promise<void> {
  const due = plans
    .filter((plan) => plan.action.kind === 'delete')
    .sort(
      (a, b) => sinceOf(a).localeCompare(sinceOf(b)) || a.loadBalancer.arn.localeCompare(b.loadBalancer.arn),
    );
  const attempted = due.slice(0, settings.maxDeletions);
  for (const plan of due.slice(settings.maxDeletions)) {
    results.set(plan.loadBalancer.arn, {
      outcome: 'deferred',
      detail: `at most ${settings.maxDeletions} deletions per sweep; left for the next sweep`,
    });
  }

  for (const cluster of [...new Set(attempted.map((plan) => plan.owner.cluster))].sort()) {
    const candidates = attempted.filter((plan) => plan.owner.cluster === cluster);
    if (outOfTime()) {
      deferAll(candidates, results);
      continue;
    }
    const fresh = await readCluster(deps.eks, cluster, readerOptions(deps, tuning));
    for (const plan of candidates) {
      const { arn } = plan.loadBalancer;
      if (outOfTime()) {
        deferAll([plan], results);
        continue;
      }
      const verdict = decideVerdict(plan.owner, plan.loadBalancer.dnsName, fresh.read);
      const action = planLifecycle(verdict, plan.tags, deps.clock(), settings);
      if (action.kind !== 'delete') {
        results.set(
          arn,
          verdict.kind === 'UNVERIFIED'
            ? { outcome: 'held', detail: `the read right before deleting failed: ${verdict.error}` }
            : { outcome: 'kept', detail: `the read right before deleting found ${describeVerdict(verdict)}` },
        );
        continue;
      }
      const result = await deleteOrphanedLoadBalancer(
        deps.elbv2,
        { arn, owner: plan.owner, suspectSince: action.since },
        {
          dryRun: settings.dryRun,
          sleep: deps.sleep,
          targetGroupRetryDelaysMs: tuning.targetGroupRetryDelaysMs,
        },
      );
      switch (result.kind) {
        case 'deleted':
          errors.push(...result.targetGroupErrors.map((error) => `${plan.loadBalancer.name}: ${error}`));
          results.set(arn, {
            outcome: 'deleted',
            detail: result.targetGroupErrors.length > 0 ? result.targetGroupErrors.join('; ') : undefined,
            tags: result.tags,
            deletedTargetGroups: result.targetGroups,
          });
          break;
        case 'already-gone':
          results.set(arn, { outcome: 'already-gone', detail: 'deleted by someone else before the janitor' });
          break;
        case 'kept':
        case 'needs-manual-action':
          results.set(arn, { outcome: result.kind, detail: result.detail });
          break;
        case 'failed':
          results.set(arn, { outcome: 'failed', detail: result.error });
          break;
      }
    }
  }
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

function deferAll(plans: readonly Plan[], results: Map<string, EntryResult>): void {
  for (const plan of plans) {
    results.set(plan.loadBalancer.arn, {
      outcome: 'deferred',
      detail: 'the time budget ran out before deleting',
    });
  }
}

function sinceOf(plan: Plan): string {
  return plan.action.kind === 'delete' ? plan.action.since : '';
}

function describeVerdict(verdict: ReturnType<typeof decideVerdict>): string {
  switch (verdict.kind) {
    case 'OWNED':
      return 'its Service again';
    case 'ORPHAN':
      return `it orphaned for another reason (${verdict.reason})`;
    case 'CLUSTER_NOT_FOUND':
      return 'its cluster gone';
    case 'UNVERIFIED':
      return `nothing certain (${verdict.error})`;
  }
}

function readerOptions(deps: SweepDependencies, tuning: SweepTuning) {
  return {
    region: deps.region,
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
