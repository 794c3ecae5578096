import {
  announcementChanges,
  applyMarkTagChanges,
  changesTags,
  deliveryDetail,
  markTagChanges,
  namedAnnouncements,
} from '../actions/mark-tags';
import { applyTagChanges, elbv2TagWriter, type TagChange } from '../actions/tagging';
import { gateDeletion } from '../decisions/deletion-gate';
import { footprintCluster } from '../decisions/footprint-verdict';
import { owedReminders } from '../decisions/reminder';
import { formatSuspectSince } from '../decisions/suspect-timestamp';
import type { SweepReads } from '../decisions/verdict';
import { collectEvidence } from '../evidence/collect-evidence';
import type { EvidenceFinding, EvidenceKind } from '../evidence/evidence';
import { describeTags } from '../inventory/describe-tags';
import type { Elbv2Usage } from '../inventory/elbv2-pacing';
import { readFootprint } from '../inventory/footprint-inventory';
import { readInventory, type TagSource } from '../inventory/load-balancer-inventory';
import { readClusterTags } from '../inventory/vpc-clusters';
import { discoverClusters } from '../kubernetes/cluster-discovery';
import { readCluster } from '../kubernetes/cluster-reader';
import { clustersToRead, readKnownCluster, sameNamedSelfManaged } from '../kubernetes/known-clusters';
import {
  describeGateway,
  gatewayFromLabels,
  gatewayFromServiceName,
} from '../ownership/gateway-behind-service';
import { type Owner, ownerKey } from '../ownership/owner';
import { namedInReport } from '../report/announced-names';
import { buildReport, type EntryResult } from '../report/build-report';
import { pricingFor } from '../report/cost';
import { buildFootprintEntries } from '../report/footprint-entries';
import { addSavings, decideNotice, nextSaidState, type SaidState } from '../report/notice';
import type { Delivery } from '../report/publish-report';
import type { Announcement, ApiUsage, GatewayGoneEntry, Notice, SweepReport } from '../report/sweep-report';
import { errorText } from '../util/error-text';
import { assertClockAgrees, watchAwsClock } from './clock-check';
import { ClusterReads } from './cluster-reads';
import { DeletionBudget } from './deletion-budget';
import { applyDeletionPhase, evidenceSubject } from './deletion-phase';
import {
  deleteFootprint,
  type FootprintPhaseInput,
  readFootprintUses,
  recordFootprintAnnouncements,
  tagFootprint,
} from './footprint-phase';
import { arnScopeOf, classifyFootprint, type FootprintFacts, planFootprintItem } from './plan-footprint';
import { applyBreaker, classifyInventory, confirmPlan, type Plan, planOne } from './plan-sweep';
import type { SweepContext } from './sweep-context';
import type { DecisionLogger, SweepDependencies } from './sweep-dependencies';
import { DEFAULT_TUNING, type SweepSettings, type SweepTuning } from './sweep-settings';

export type { DecisionLogger, SweepDependencies } from './sweep-dependencies';

/**
 * One sweep: read every load balancer and the clusters, decide, mark and unmark,
 * delete what was promised and announced — each deletion re-proven right before
 * it by fresh reads — then deliver the report and record which promises it carried.
 */
export async function runSweep(settings: SweepSettings, deps: SweepDependencies): Promise<SweepReport> {
  const tuning: SweepTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const startedAt = deps.clock();
  const usageAtStart = deps.elbv2Usage?.();
  // The host clock against AWS's, from the inventory's own answers, before any change.
  const awsClock = watchAwsClock(deps.elbv2, deps.clock);
  const inventory = await readInventory(deps.elbv2, {
    concurrency: tuning.describeConcurrency,
    tagging: deps.tagging,
  }).finally(awsClock.stop);
  assertClockAgrees(awsClock.reading());
  // Like the inventory, all or nothing: a failed list throws before any change. On unless switched off.
  const discovered =
    settings.discoverClusters === false ? [] : await discoverClusters(deps.eks, tuning.listClustersPageSize);
  const { judged, skipped } = classifyInventory(inventory, settings.clusters);
  const errors: string[] = [];
  // Narrowing limits what changes, never what is read: the owners of every load balancer are read.
  const everyJudged = classifyInventory(inventory, undefined).judged;

  // Every configured or discovered cluster is read, not only those the tags name:
  // a Service in any of them may name a load balancer whose tags name another cluster.
  const namedClusters = [
    ...new Set([
      ...everyJudged.map((item) => item.owner.cluster),
      ...(settings.clusters ?? []),
      ...discovered,
    ]),
  ];
  // The footprint beside the load balancers: target groups no load balancer uses,
  // the controllers' security groups, the in-tree node rules of these clusters.
  const footprintRead = await readFootprint(deps, namedClusters, tuning.describeConcurrency);
  const footprint = classifyFootprint(footprintRead, settings.clusters);
  errors.push(...footprint.errors);
  const everyFootprint = classifyFootprint(footprintRead, undefined).judged;
  // Clusters EKS may not know, from the tags they leave in the VPCs judged here (throws before any change).
  const sightings = await readClusterTags(deps.ec2, [
    ...everyJudged.map((item) => item.loadBalancer.vpcId),
    ...everyFootprint.map((item) => item.item.vpcId),
  ]);
  const clusterNames = clustersToRead({
    owners: [...namedClusters, ...everyFootprint.map((item) => footprintCluster(item.owner))],
    configured: settings.clusters,
    discovered,
    sightings,
  });
  // Services always; Ingresses and Gateways only when some load balancer's or footprint's owner is one.
  const kinds = kindsToRead([
    ...everyJudged.map((item) => item.owner),
    ...everyFootprint.flatMap((item) => (item.owner.kind === 'object' ? [item.owner.owner] : [])),
  ]);
  const reads = new ClusterReads(
    (name) =>
      readKnownCluster(name, sightings, settings, (known) =>
        readCluster(deps.eks, known, { ...readerOptions(deps, tuning), kinds }),
      ),
    deps.clock,
  );
  await reads.readAll(clusterNames, tuning.clusterConcurrency);
  // A self-managed cluster beside a same-named EKS cluster of another VPC: unread, under its own key.
  reads.addUnread(sameNamedSelfManaged(sightings, reads.all(), settings));
  const sweepReads = reads.current();

  const plannedAt = deps.clock();
  const planned = judged.map((item) => planOne(item, sweepReads, plannedAt, settings));
  const facts: FootprintFacts = {
    loadBalancerArns: new Set(inventory.allLoadBalancers.keys()),
    arnScope: arnScopeOf(inventory.allLoadBalancers.keys(), deps.region, deps.account) ?? {
      partition: 'aws',
      region: deps.region,
      account: '',
    },
    securityGroupUsers: inventory.securityGroupUsers,
    loadBalancersByName: new Map([...inventory.allLoadBalancers].map(([arn, name]) => [name, arn])),
    portsInUse: footprintRead.portsInUse,
    promised: promisedOwners(planned),
  };
  const ctx: SweepContext = {
    settings,
    tuning,
    deps,
    plannedAt,
    reads,
    results: new Map<string, EntryResult>(),
    budget: new DeletionBudget(settings),
    errors,
    outOfTime: () => deps.remainingTimeMs !== undefined && deps.remainingTimeMs() < tuning.safetyMarginMs,
  };
  const { results } = ctx;
  const plannedFootprint = footprint.judged.map((item) =>
    planFootprintItem(item, sweepReads, facts, plannedAt, settings),
  );
  // What each footprint candidate uses, read once before the breaker: what nothing can depend on is not counted.
  const footprintUses = await readFootprintUses({ ...ctx, plans: plannedFootprint, facts });
  const { plans, footprintPlans, heldBack, counted } = applyBreaker(
    planned,
    plannedFootprint,
    settings,
    tuning.breakerMinimum,
    footprintUses,
  );

  // Evidence of use for every candidate, read once: marks say what still uses them, and deletions wait for none.
  const candidates = plans.filter((plan) => CANDIDATE_ACTIONS.has(plan.action.kind));
  const evidence = await collectEvidence(
    (deps.evidence ?? []).filter((source) => !source.needsTargetGroups),
    candidates.map(evidenceSubject),
  );
  const footprintPhase: FootprintPhaseInput = { ...ctx, plans: footprintPlans, facts };

  await applyTagPhase(ctx, plans);
  await tagFootprint(footprintPhase);
  await applyDeletionPhase(ctx, plans, evidence);
  // Then the footprint, in its order, within the same budget: a load balancer and its footprint count once.
  await deleteFootprint(footprintPhase, footprintUses);

  // Pending resources owed their one reminder: deleted within a day, not reminded of this promise yet.
  const reminders = settings.dryRun
    ? new Set<string>()
    : owedReminders(
        plans.map((plan) => ({ id: plan.loadBalancer.arn, action: plan.action, tags: plan.tags })),
        results,
        plannedAt,
      );
  const footprintReminded = settings.dryRun
    ? new Set<string>()
    : owedReminders(
        footprintPlans.map((plan) => ({ id: plan.item.id, action: plan.action, tags: plan.item.tags })),
        results,
        plannedAt,
      );
  const body = buildReport({
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
    clusters: reads.names().map((name) => ({
      name,
      result: reads.result(name),
      heldBack: heldBack.get(name),
      breakerUnits: counted.get(name),
    })),
    errors,
    footprint: buildFootprintEntries({
      plans: footprintPlans,
      results,
      uses: footprintUses,
      dryRun: settings.dryRun,
      securityGroupUsers: inventory.securityGroupUsers,
      reminders: footprintReminded,
      deleteWhenClusterMissing: settings.deleteWhenClusterMissing,
    }),
    notes: evidenceNotes(candidates, evidence),
    gateways: gatewaysBehindServices(plans, reads.current()),
    gatewaysGone: servicesWithoutTheirGateway(reads.current()),
    announcement: announcementFor(deps),
    api: apiUsage(inventory.tagSource, usageAtStart, deps),
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
    const announcement = await deliver(
      report,
      { plans, results, reminders, footprint: footprintPhase, footprintReminders: footprintReminded },
      plannedAt,
      settings,
      deps,
    );
    report = {
      ...report,
      announcement,
      finishedAt: deps.clock().toISOString(),
      api: apiUsage(inventory.tagSource, usageAtStart, deps),
    };
  }
  report = await remember(report, memory.said, savings, deps);
  logDecisions(deps.logger, plans, report);
  return report;
}

/**
 * Which kinds beyond Services the sweep reads, in every cluster it reads: a
 * Gateway or an Ingress of any cluster may name a Gateway- or Ingress-owned load
 * balancer whose tags name another cluster, so all are read once one is judged.
 */
function kindsToRead(owners: readonly Owner[]): {
  ingresses: boolean;
  gateways: boolean;
} {
  return {
    ingresses: owners.some((owner) => owner.kind === 'Ingress' || owner.kind === 'IngressGroup'),
    gateways: owners.some((owner) => owner.kind === 'Gateway'),
  };
}

/**
 * Load balancers the janitor promised (or keeps promising) to delete, with the
 * owner they were promised for; `held` for those whose read was incomplete.
 */
function promisedOwners(plans: readonly Plan[]): FootprintFacts['promised'] {
  const promised = new Map<string, { cluster: string; owner: Owner } | 'held'>();
  for (const plan of plans) {
    if (plan.action.kind === 'hold') promised.set(plan.loadBalancer.arn, 'held');
    else if (PROMISING_ACTIONS.has(plan.action.kind)) {
      promised.set(plan.loadBalancer.arn, { cluster: plan.owner.cluster, owner: plan.owner });
    }
  }
  return promised;
}

const PROMISING_ACTIONS: ReadonlySet<Plan['action']['kind']> = new Set([
  'mark',
  'announce',
  'wait',
  'delete',
]);

/**
 * For load balancers whose owner is a Service a Gateway implementation made, the
 * Gateway: from the live Service's labels, or from the name of a Service that is
 * gone (verified, never guessed). Report only: it decides nothing.
 */
function gatewaysBehindServices(plans: readonly Plan[], reads: SweepReads): Map<string, string> {
  const gateways = new Map<string, string>();
  for (const plan of plans) {
    const { owner } = plan;
    if (owner.kind !== 'Service' || owner.namespace === undefined || plan.action.kind === 'keep') continue;
    const read = reads.byCluster.get(owner.cluster);
    const live = read?.kind === 'complete' ? read.services.get(ownerKey(owner)) : undefined;
    const gateway =
      live !== undefined
        ? gatewayFromLabels(owner.namespace, live.labels)
        : gatewayFromServiceName(owner.namespace, owner.name);
    if (gateway !== undefined) gateways.set(plan.loadBalancer.arn, describeGateway(gateway));
  }
  return gateways;
}

/**
 * Services a Gateway implementation made whose Gateway is gone (Envoy Gateway makes
 * the GatewayClass their owner, so they outlive a Gateway deleted while the
 * controller was down). Report only: the janitor never deletes an NLB whose Service exists.
 */
function servicesWithoutTheirGateway(reads: SweepReads): GatewayGoneEntry[] {
  const gone: GatewayGoneEntry[] = [];
  for (const [cluster, read] of reads.byCluster) {
    if (read.kind !== 'complete' || read.gateways?.kind !== 'complete') continue;
    for (const service of read.services.values()) {
      const made = gatewayFromLabels(service.namespace, service.labels);
      if (made?.gateway === undefined || read.gateways.items.has(made.gateway)) continue;
      gone.push({
        cluster,
        service: `${service.namespace}/${service.name}`,
        gateway: made.gateway,
        detail: `${describeGateway(made)}, which no longer exists; its Service (and load balancer) remain`,
      });
    }
  }
  return gone;
}

/** Plans that promise or carry out a deletion: the ones evidence of use is read for. */
const CANDIDATE_ACTIONS: ReadonlySet<Plan['action']['kind']> = new Set(['mark', 'announce', 'delete']);

/** What evidence of use says of each newly promised load balancer, for its report entry. */
function evidenceNotes(
  candidates: readonly Plan[],
  evidence: ReadonlyMap<string, ReadonlyMap<EvidenceKind, EvidenceFinding>>,
): Map<string, string> {
  const notes = new Map<string, string>();
  for (const plan of candidates) {
    if (plan.action.kind === 'delete') continue;
    const gate = gateDeletion(evidence.get(plan.loadBalancer.arn) ?? new Map());
    if (gate.kind === 'in-use') {
      notes.set(
        plan.loadBalancer.arn,
        `orphaned in Kubernetes, but ${gate.uses.join('; ')}: it will not be deleted while that lasts`,
      );
    } else if (gate.kind === 'unknown') {
      notes.set(plan.loadBalancer.arn, `evidence of use could not be read yet: ${gate.errors.join('; ')}`);
    }
  }
  return notes;
}

/** This sweep's share of the paced client's counters, and where the tags came from. */
function apiUsage(tagSource: TagSource, atStart: Elbv2Usage | undefined, deps: SweepDependencies): ApiUsage {
  const now = deps.elbv2Usage?.();
  return {
    tagSource: tagSource.kind,
    tagSourceDetail: tagSource.kind === 'describe-tags' ? tagSource.reason : undefined,
    taggingApiCalls: tagSource.kind === 'tagging-api' ? tagSource.calls : 0,
    elbv2DescribeCalls: now === undefined ? undefined : now.describeCalls - (atStart?.describeCalls ?? 0),
    elbv2Throttled: now === undefined ? undefined : now.throttled - (atStart?.throttled ?? 0),
    elbv2PacingWaitMs: now === undefined ? undefined : now.waitedMs - (atStart?.waitedMs ?? 0),
  };
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

/** What a delivered report told people, to be recorded on the resources. */
interface Told {
  readonly plans: readonly Plan[];
  readonly results: ReadonlyMap<string, EntryResult>;
  /** Load balancers it reminded of. */
  readonly reminders: ReadonlySet<string>;
  readonly footprint: FootprintPhaseInput;
  /** Footprint resources it reminded of. */
  readonly footprintReminders: ReadonlySet<string>;
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
  told: Told,
  plannedAt: Date,
  settings: SweepSettings,
  deps: SweepDependencies,
): Promise<Announcement> {
  const { plans, results, reminders, footprint } = told;
  let delivery: Partial<Delivery> | undefined;
  try {
    delivery = (await deps.announce?.(report)) ?? undefined;
  } catch (error) {
    return { status: 'failed', detail: errorText(error) };
  }
  const warnings = delivery?.warnings ?? [];
  const named = delivery?.named ?? namedInReport(report);
  const delivered = (detail: string | undefined): Announcement =>
    report.notice.kind === 'quiet'
      ? { status: 'quiet', detail: 'nothing new since the last message: nothing was published', warnings }
      : { status: 'delivered', detail, warnings };
  if (settings.dryRun || report.notice.kind === 'quiet') return delivered(delivery?.detail);
  const value = formatSuspectSince(plannedAt);
  const record = namedAnnouncements(
    plans.map((plan) => ({ id: plan.loadBalancer.arn, action: plan.action })),
    reminders,
    results,
    named,
  );
  const changes = announcementChanges(record.announced, record.reminded, value);
  const failures =
    changes.length === 0 ? new Map() : await applyTagChanges(elbv2TagWriter(deps.elbv2), changes);
  const footprintRecord = await recordFootprintAnnouncements(
    footprint,
    value,
    told.footprintReminders,
    named,
  );
  const failed = [...[...failures.values()].filter((error) => error !== 'gone'), ...footprintRecord.failed];
  return delivered(deliveryDetail(delivery?.detail, record.unnamed.length + footprintRecord.unnamed, failed));
}

/**
 * Writes new promises (and clears a stale announcement), unmarks recovered ones:
 * batched, one failure isolated. The inventory's tags may be stale, so the
 * candidates' tags are read again first (DescribeTags, 20 a call) and each plan
 * decided again on them; only those decided the same way are tagged.
 */
async function applyTagPhase(input: SweepContext, plans: readonly Plan[]): Promise<void> {
  const { settings, deps, results } = input;
  const candidates = plans.filter((plan) => changesTags(plan.action));
  if (candidates.length === 0) return;
  if (settings.dryRun) return;
  if (input.outOfTime()) {
    for (const plan of candidates) {
      results.set(plan.loadBalancer.arn, {
        outcome: 'deferred',
        detail: 'the time budget ran out before tagging',
      });
    }
    return;
  }
  let fresh: Map<string, Record<string, string>>;
  try {
    fresh = await describeTags(
      deps.elbv2,
      candidates.map((plan) => plan.loadBalancer.arn),
      input.tuning.describeConcurrency,
    );
  } catch (error) {
    for (const plan of candidates) {
      results.set(plan.loadBalancer.arn, {
        outcome: 'deferred',
        detail: `its tags could not be read again right before tagging; left for the next sweep: ${errorText(error)}`,
      });
    }
    return;
  }
  const changes: TagChange[] = [];
  for (const candidate of candidates) {
    const { arn } = candidate.loadBalancer;
    const confirmation = confirmPlan(
      candidate,
      fresh.get(arn),
      input.reads.current(),
      input.plannedAt,
      settings,
    );
    if (confirmation.kind === 'changed') {
      results.set(arn, { outcome: confirmation.outcome, detail: confirmation.detail });
    } else {
      changes.push(...markTagChanges(arn, confirmation.plan.action, confirmation.plan.tags));
    }
  }
  if (changes.length === 0) return;
  const failures = await applyMarkTagChanges(elbv2TagWriter(deps.elbv2), changes);
  for (const [arn, error] of failures) {
    results.set(
      arn,
      error === 'gone'
        ? { outcome: 'already-gone', detail: 'deleted by someone else before the janitor could tag it' }
        : { outcome: 'failed', detail: error },
    );
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
