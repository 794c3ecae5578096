import type { EKSClient } from '@aws-sdk/client-eks';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { applyTagChanges, type TagChange } from '../actions/tagging';
import { reminderDue } from '../decisions/reminder';
import { formatSuspectSince } from '../decisions/suspect-timestamp';
import type { EvidenceSource } from '../evidence/evidence';
import { readInventory } from '../inventory/load-balancer-inventory';
import { type ClusterReadResult, readCluster } from '../kubernetes/cluster-reader';
import type { AwsCredentials } from '../kubernetes/eks-token';
import { ownerKey } from '../ownership/owner';
import {
  ANNOUNCED_AT_TAG,
  DELETES_AT_TAG,
  JANITOR_MARK_TAGS,
  REMINDED_AT_TAG,
  SUSPECT_REASON_TAG,
  SUSPECT_SINCE_TAG,
} from '../ownership/tag-keys';
import { buildReport, type EntryResult } from '../report/build-report';
import { pricingFor } from '../report/cost';
import { addSavings, decideNotice, type Notice, nextSaidState, type SaidState } from '../report/notice';
import type { SaidMemory } from '../report/said-memory';
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
  /** The same credentials the SDK clients use, to sign EKS tokens. */
  readonly credentials: () => Promise<AwsCredentials>;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: DecisionLogger;
  /**
   * Delivers the report to people (SNS email, the CLI's output). Only a delivered
   * report makes its promises count; without one, nothing is ever deleted. The
   * report's `notice` says whether it is news: a `quiet` one is not published.
   * Warnings say what failed beside a delivered report (a chat message).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an announcer that only prints returns nothing
  readonly announce?: (report: SweepReport) => Promise<void | { readonly warnings: readonly string[] }>;
  /** What the janitor last told people, kept between sweeps; undefined: everything current is news. */
  readonly memory?: SaidMemory;
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
  const { judged, skipped } = classifyInventory(inventory, settings.clusters);

  // Every configured cluster is read, not only those the tags name: a Service in
  // any of them may name a load balancer whose tags name another cluster.
  const clusterNames = [
    ...new Set([...judged.map((item) => item.owner.cluster), ...(settings.clusters ?? [])]),
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

  const reminders = settings.dryRun ? new Set<string>() : dueReminders(plans, results, plannedAt);
  const body = buildReport({
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
    announcement: announcementFor(deps),
    pricing: pricingFor(deps.region),
    reminders,
  });

  // Speak on change: what is news depends on what was already said.
  const memory = await recall(deps);
  let notice: Notice = decideNotice(body, memory.said, settings.digest ?? false);
  if (memory.problem !== undefined) {
    notice = { kind: notice.kind === 'digest' ? 'digest' : 'change', news: [...notice.news, memory.problem] };
  }
  const savings = settings.dryRun
    ? memory.said?.savings
    : addSavings(memory.said?.savings, body.counts.deleted, body.estimatedMonthlySavingsUsd, body.finishedAt);
  let report: SweepReport = { ...body, notice, savingsSoFar: savings };
  if (deps.announce !== undefined) {
    const announcement = await deliver(report, plans, results, reminders, plannedAt, settings, deps);
    report = { ...report, announcement, finishedAt: deps.clock().toISOString() };
  }
  report = await remember(report, memory.said, savings, deps);
  logDecisions(deps.logger, plans, report);
  return report;
}

/** Pending load balancers owed their one reminder: deleted within a day, not reminded of this promise yet. */
function dueReminders(
  plans: readonly Plan[],
  results: ReadonlyMap<string, EntryResult>,
  now: Date,
): Set<string> {
  const due = new Set<string>();
  for (const plan of plans) {
    const { action } = plan;
    if (action.kind !== 'wait' || action.deletesAt === undefined) continue;
    if (results.get(plan.loadBalancer.arn) !== undefined) continue;
    if (reminderDue(plan.tags, action.deletesAt, now)) due.add(plan.loadBalancer.arn);
  }
  return due;
}

/** What was last said; an unreadable memory is news itself, and everything current is told again. */
async function recall(deps: SweepDependencies): Promise<{ said: SaidState | undefined; problem?: string }> {
  if (deps.memory === undefined) return { said: undefined };
  try {
    return { said: await deps.memory.read() };
  } catch (error) {
    return {
      said: undefined,
      problem: `the janitor could not read what it said before (${errorText(error)}), so it tells everything current again`,
    };
  }
}

/**
 * Records what people now know: after a delivered or a quiet report, its
 * clusters' conditions and what needs a person; after a failed delivery only the
 * savings (the deletions happened), so the news is told again.
 */
async function remember(
  report: SweepReport,
  said: SaidState | undefined,
  savings: SaidState['savings'],
  deps: SweepDependencies,
): Promise<SweepReport> {
  if (deps.memory === undefined) return report;
  // The memory could not be read: leave it as it is (the savings record included); the next sweep tells the news again.
  if (said === undefined) return report;
  const told = report.announcement.status === 'delivered' || report.announcement.status === 'quiet';
  try {
    await deps.memory.write(nextSaidState(said, report, told, savings));
    return report;
  } catch (error) {
    const warning = `what was said could not be recorded, so the next sweep may repeat it: ${errorText(error)}`;
    return {
      ...report,
      announcement: { ...report.announcement, warnings: [...(report.announcement.warnings ?? []), warning] },
    };
  }
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
 * person was told (`announced-at`, the time the promise was decided), and on each
 * reminded one that the reminder went out (`reminded-at`). A failed delivery
 * records nothing: the next sweep announces those promises, and reminds, again.
 * A quiet report (nothing new) was not published, so it records nothing either;
 * it cannot carry a new promise, as every new promise is news.
 */
async function deliver(
  report: SweepReport,
  plans: readonly Plan[],
  results: ReadonlyMap<string, EntryResult>,
  reminders: ReadonlySet<string>,
  plannedAt: Date,
  settings: SweepSettings,
  deps: SweepDependencies,
): Promise<Announcement> {
  let warnings: readonly string[] = [];
  try {
    warnings = (await deps.announce?.(report))?.warnings ?? [];
  } catch (error) {
    return { status: 'failed', detail: errorText(error) };
  }
  const delivered = (detail: string | undefined): Announcement =>
    report.notice.kind === 'quiet'
      ? { status: 'quiet', detail: 'nothing new since the last message: nothing was published', warnings }
      : { status: 'delivered', detail, warnings };
  if (settings.dryRun || report.notice.kind === 'quiet') return delivered(undefined);
  const value = formatSuspectSince(plannedAt);
  const announced = plans
    .filter((plan) => plan.action.kind === 'mark' || plan.action.kind === 'announce')
    .map((plan) => plan.loadBalancer.arn)
    .filter((arn) => results.get(arn) === undefined);
  const changes: TagChange[] = [
    ...announced.map((arn): TagChange => ({ kind: 'add', arn, tags: { [ANNOUNCED_AT_TAG]: value } })),
    ...[...reminders].map((arn): TagChange => ({ kind: 'add', arn, tags: { [REMINDED_AT_TAG]: value } })),
  ];
  if (changes.length === 0) return delivered(undefined);
  const failures = await applyTagChanges(deps.elbv2, changes);
  if (failures.size === 0) return delivered(undefined);
  return delivered(
    `announced-at or reminded-at could not be recorded on ${failures.size} load balancers; the next sweep announces or reminds them again: ${[...failures.values()][0]}`,
  );
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
      // Until this report is delivered, nobody has heard of the new promise, nor been reminded of it.
      const heard = [ANNOUNCED_AT_TAG, REMINDED_AT_TAG].filter((key) => key in plan.tags);
      if (heard.length > 0) changes.push({ kind: 'remove', arn, keys: heard });
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
