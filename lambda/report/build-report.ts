// Over 300 lines on purpose: the one place a plan becomes what a person reads (outcome, date,
// detail) for load balancers and footprint alike; splitting it would put the wording of one
// outcome in two files.
import { DELETES_AT_TAG, SUSPECT_REASON_TAG, SUSPECT_SINCE_TAG } from '../../contract/tag-keys';
import type { BreakerMember } from '../decisions/circuit-breaker';
import type { FootprintAction } from '../decisions/footprint-plan';
import type { LifecycleAction } from '../decisions/lifecycle';
import { parseSuspectSince } from '../decisions/suspect-timestamp';
import type { LoadBalancer } from '../inventory/load-balancer';
import type { ClusterReadResult } from '../kubernetes/cluster-reader';
import { type Owner, ownerKey } from '../ownership/owner';
import {
  AWAITS_CLUSTER_MISSING_OPT_IN,
  awaitsClusterMissingOptIn,
  waitsForOptIn,
} from './cluster-missing-opt-in';
import { cents, monthlyCost, type Pricing } from './cost';
import { STOP_A_DELETION } from './stop-a-deletion';
import type {
  Announcement,
  ApiUsage,
  BreakerUnitEntry,
  ClusterEntry,
  FootprintEntry,
  GatewayGoneEntry,
  LoadBalancerEntry,
  Outcome,
  SkippedEntry,
  SweepCounts,
  SweepReport,
} from './sweep-report';

/** What the mutation phases did to one load balancer, where it differs from the plan. */
export interface EntryResult {
  readonly outcome: Outcome;
  readonly detail?: string | undefined;
  readonly tags?: Readonly<Record<string, string>>;
  readonly deletedTargetGroups?: readonly string[];
}

/**
 * A load balancer as the report tells it: what the sweep planned for it. The report
 * says what it reads; the sweep's own Plan (sweep/plan-sweep.ts) is one, so report/
 * needs nothing of sweep/, which calls it.
 */
export interface PlannedLoadBalancer {
  readonly loadBalancer: LoadBalancer;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: Owner;
  readonly action: LifecycleAction;
}

/** The settings a report states, and whether it was a dry run. */
export type ReportedSettings = SweepReport['settings'] & { readonly dryRun: boolean };

export interface ReportInput {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly region: string;
  readonly account?: string | undefined;
  readonly settings: ReportedSettings;
  readonly loadBalancerCount: number;
  readonly networkLoadBalancerCount: number;
  readonly plans: readonly PlannedLoadBalancer[];
  readonly results: ReadonlyMap<string, EntryResult>;
  readonly skipped: readonly SkippedEntry[];
  readonly clusters: readonly {
    name: string;
    result: ClusterReadResult | undefined;
    heldBack: string | undefined;
    /** When its breaker tripped: what it counted (plan-sweep.ts applyBreaker). */
    breakerUnits?: readonly BreakerMember[];
  }[];
  readonly errors: readonly string[];
  readonly announcement: Announcement;
  /** The footprint's entries (footprint-entries.ts). */
  readonly footprint: readonly FootprintEntry[];
  /** Facts to add to a load balancer's entry, by ARN (what evidence of use found at marking). */
  readonly notes: ReadonlyMap<string, string>;
  /** The Gateway behind a Service-owned load balancer, by ARN, as the report says it. */
  readonly gateways?: ReadonlyMap<string, string>;
  /** Services whose Gateway is gone. */
  readonly gatewaysGone?: readonly GatewayGoneEntry[];
  readonly api: ApiUsage;
  readonly pricing: Pricing;
  /** ARNs of pending load balancers this report reminds of: deleted within a day. */
  readonly reminders: ReadonlySet<string>;
}

/** The report before the engine decides whether it is news: everything but the notice and the savings record. */
export type ReportBody = Omit<SweepReport, 'notice' | 'savingsSoFar'>;

/** Outcomes whose monthly cost is still running and promised to stop: the "pending" total. */
const PROMISED: readonly Outcome[] = ['marked', 'announced', 'pending', 'deferred', 'needs-manual-action'];

export function buildReport(input: ReportInput): ReportBody {
  const loadBalancers = input.plans
    .filter((plan) => plan.action.kind !== 'keep')
    .map((plan) =>
      toEntry(
        plan,
        input.results.get(plan.loadBalancer.arn),
        input.settings.dryRun,
        input.notes.get(plan.loadBalancer.arn),
        input.gateways?.get(plan.loadBalancer.arn),
        input.pricing,
        input.reminders.has(plan.loadBalancer.arn),
        input.settings.deleteWhenClusterMissing,
      ),
    )
    .sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) || a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name),
    );
  const count = (outcome: Outcome) => loadBalancers.filter((entry) => entry.outcome === outcome).length;
  const counts: SweepCounts = {
    loadBalancers: input.loadBalancerCount,
    networkLoadBalancers: input.networkLoadBalancerCount,
    owned: input.plans.filter((plan) => plan.action.kind === 'keep').length,
    marked: count('marked'),
    announced: count('announced'),
    pending: count('pending'),
    spared: count('spared'),
    deleted: count('deleted'),
    recovered: count('recovered'),
    held: count('held'),
    deferred: count('deferred'),
    needsManualAction: count('needs-manual-action'),
    failed: count('failed'),
    skipped: input.skipped.length,
    reminded: loadBalancers.filter((entry) => entry.reminder).length,
  };
  const sum = (entries: readonly LoadBalancerEntry[]) =>
    cents(entries.reduce((total, entry) => total + entry.estimatedMonthlyCostUsd, 0));
  return {
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    region: input.region,
    account: input.account,
    dryRun: input.settings.dryRun,
    settings: {
      gracePeriod: input.settings.gracePeriod,
      maxDeletions: input.settings.maxDeletions,
      maxDeletionsPerCluster: input.settings.maxDeletionsPerCluster,
      deleteWhenClusterMissing: input.settings.deleteWhenClusterMissing,
      clusters: input.settings.clusters,
    },
    counts,
    api: input.api,
    announcement: input.announcement,
    clusters: input.clusters.map(({ name, result, heldBack, breakerUnits }) => ({
      ...toClusterEntry(name, result, heldBack, input.plans),
      ...(breakerUnits === undefined ? {} : { breakerUnits: breakerUnits.map(breakerUnitEntry) }),
    })),
    loadBalancers,
    footprint: [...input.footprint],
    gatewaysGone: [...(input.gatewaysGone ?? [])],
    skipped: [...input.skipped].sort(
      (a, b) => a.reason.localeCompare(b.reason) || a.name.localeCompare(b.name),
    ),
    errors: [...input.errors],
    estimatedMonthlySavingsUsd: sum(loadBalancers.filter((entry) => entry.outcome === 'deleted')),
    estimatedMonthlyPendingUsd: sum(
      loadBalancers.filter((entry) => PROMISED.includes(entry.outcome) && entry.deletesAt !== undefined),
    ),
    pricing: input.pricing,
    stopDeletion: [...loadBalancers, ...input.footprint].some(
      (entry) => entry.deletesAt !== undefined && entry.outcome !== 'deleted',
    )
      ? STOP_A_DELETION
      : undefined,
  };
}

function toEntry(
  plan: PlannedLoadBalancer,
  result: EntryResult | undefined,
  dryRun: boolean,
  note: string | undefined,
  gateway: string | undefined,
  pricing: Pricing,
  reminder: boolean,
  deleteWhenClusterMissing: boolean,
): LoadBalancerEntry {
  const { loadBalancer, owner, action } = plan;
  const planned = plannedOutcome(action);
  const outcome = result?.outcome ?? planned.outcome;
  const cost = monthlyCost(pricing, loadBalancer);
  return {
    arn: loadBalancer.arn,
    name: loadBalancer.name,
    dnsName: loadBalancer.dnsName,
    scheme: loadBalancer.scheme,
    vpcId: loadBalancer.vpcId,
    cluster: owner.cluster,
    owner: ownerKey(owner),
    ownerKind: owner.kind,
    gateway,
    controller: owner.controller,
    outcome,
    // Only what a real sweep would have changed is "dry": reads, holds and skips are the same.
    dryRun: dryRun && ['marked', 'announced', 'deleted', 'recovered'].includes(outcome),
    reason: 'reason' in action ? action.reason : undefined,
    suspectSince: 'since' in action ? action.since : plan.tags[SUSPECT_SINCE_TAG],
    deletesAt: deletesAtOf(plan.action, plan.tags, outcome, deleteWhenClusterMissing),
    estimatedMonthlyCostUsd: cost.totalUsd,
    estimatedMonthlyCost: cost,
    availabilityZones: loadBalancer.availabilityZones,
    reminder: reminder && outcome === 'pending',
    detail: detailOf(
      [result?.detail ?? planned.detail, note],
      markReason(action, plan.tags),
      outcome,
      deleteWhenClusterMissing,
    ),
    tags: outcome === 'deleted' ? (result?.tags ?? plan.tags) : undefined,
    deletedTargetGroups: outcome === 'deleted' ? (result?.deletedTargetGroups ?? []) : undefined,
  };
}

/**
 * When a resource's promise says it goes: the plan's date, or, for one held
 * while its cluster cannot be read, the date its mark carries (the mark stands).
 * None for a mark that waits for the opt-in to delete what EKS does not know:
 * its deletes-at tag is the lifecycle's, not a date anything will happen.
 */
export function deletesAtOf(
  action: FootprintAction,
  tags: Readonly<Record<string, string>>,
  outcome: Outcome,
  deleteWhenClusterMissing: boolean,
): string | undefined {
  if (outcome === 'recovered') return undefined;
  if (awaitsClusterMissingOptIn(markReason(action, tags), deleteWhenClusterMissing)) return undefined;
  if ('deletesAt' in action) return action.deletesAt;
  const tagged = tags[DELETES_AT_TAG];
  if (action.kind === 'hold' && tagged !== undefined && parseSuspectSince(tagged) !== undefined)
    return tagged;
  return undefined;
}

/** The reason a resource is (or is about to be) marked for: the plan's, or its standing mark's. */
export function markReason(
  action: FootprintAction,
  tags: Readonly<Record<string, string>>,
): string | undefined {
  return 'reason' in action ? action.reason : tags[SUSPECT_REASON_TAG];
}

/** An entry's detail: its parts, and, for a mark that waits for the opt-in, that it does (once). */
export function detailOf(
  parts: readonly (string | undefined)[],
  reason: string | undefined,
  outcome: Outcome,
  deleteWhenClusterMissing: boolean,
): string | undefined {
  const said = parts.filter((part): part is string => part !== undefined);
  if (
    waitsForOptIn({ outcome, reason }, deleteWhenClusterMissing) &&
    !said.includes(AWAITS_CLUSTER_MISSING_OPT_IN)
  ) {
    said.push(AWAITS_CLUSTER_MISSING_OPT_IN);
  }
  return said.join('; ') || undefined;
}

/** The outcome a plan has when no step changed it, for a load balancer or a footprint resource. */
export function plannedOutcome(action: FootprintAction): { outcome: Outcome; detail: string | undefined } {
  switch (action.kind) {
    case 'keep':
    case 'hold':
      return { outcome: 'held', detail: action.kind === 'hold' ? action.error : undefined };
    case 'spare':
      return {
        outcome: 'spared',
        detail:
          action.unmark === true
            ? `${action.detail}; the janitor's marks were removed: they are no longer a promise`
            : `${action.detail}; nothing changes`,
      };
    case 'mark':
      return {
        outcome: 'marked',
        detail: action.replaces === undefined ? undefined : `${action.replaces}; a new grace period starts`,
      };
    case 'announce':
      return { outcome: 'announced', detail: `${action.why}; announced again with a new date` };
    case 'wait':
      return {
        outcome: 'pending',
        detail: action.deletesAt === undefined ? AWAITS_CLUSTER_MISSING_OPT_IN : undefined,
      };
    case 'delete':
      return { outcome: 'deleted', detail: undefined };
    case 'unmark':
      return { outcome: 'recovered', detail: 'its owner exists again; the marks were removed' };
    case 'finish':
      return { outcome: 'deleted', detail: `left behind when the janitor deleted ${action.deletedWith}` };
    case 'leave':
      return { outcome: 'kept', detail: action.detail };
  }
}

function toClusterEntry(
  name: string,
  result: ClusterReadResult | undefined,
  heldBack: string | undefined,
  plans: readonly PlannedLoadBalancer[],
): ClusterEntry {
  const read = result?.read;
  return {
    name,
    status:
      read?.kind === 'complete'
        ? 'VERIFIED'
        : read?.kind === 'cluster-not-found'
          ? 'NOT_FOUND'
          : 'UNVERIFIED',
    services: read?.kind === 'complete' ? read.services.size : undefined,
    loadBalancers: plans.filter((plan) => plan.owner.cluster === name).length,
    kubernetesRequests: result?.kubernetesRequests ?? 0,
    error: read?.kind === 'unverified' ? read.error : undefined,
    heldBack,
  };
}

function breakerUnitEntry(member: BreakerMember): BreakerUnitEntry {
  const { kind, id, name, owner, action, tags } = member;
  return { kind, id, name, owner, action, tags: { ...tags } };
}
