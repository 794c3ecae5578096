import type { FootprintEntry, LoadBalancerEntry, Notice, Savings, SweepReport } from './sweep-report';

/** A cluster condition that is news when it begins and when it ends. */
export type ClusterCondition = 'unverified' | 'breaker';
/** Outcomes that need a person and repeat every sweep until one acts: news once. */
export type AttentionOutcome = 'needs-manual-action' | 'spared';
const ATTENTION: readonly string[] = ['needs-manual-action', 'spared'] satisfies AttentionOutcome[];

/** What the janitor last told people, kept between sweeps (lambda/report/said-memory.ts). */
export interface SaidState {
  /** Clusters last reported in trouble, by name. */
  readonly clusters: Readonly<Record<string, readonly ClusterCondition[]>>;
  /** Load balancers last reported as needing a person, by name. */
  readonly attention: Readonly<Record<string, AttentionOutcome>>;
  readonly savings: Savings | undefined;
}

export const NOTHING_SAID: SaidState = { clusters: {}, attention: {}, savings: undefined };

/** The cluster conditions and attention items of this report: what will have been said once it is delivered. */
export function stateOf(report: Pick<SweepReport, 'clusters' | 'loadBalancers'>): Omit<SaidState, 'savings'> {
  const clusters: Record<string, ClusterCondition[]> = {};
  for (const cluster of report.clusters) {
    const conditions: ClusterCondition[] = [];
    if (cluster.status === 'UNVERIFIED') conditions.push('unverified');
    if (cluster.heldBack !== undefined) conditions.push('breaker');
    if (conditions.length > 0) clusters[cluster.name] = conditions;
  }
  const attention: Record<string, AttentionOutcome> = {};
  for (const entry of report.loadBalancers) {
    if (ATTENTION.includes(entry.outcome)) attention[entry.name] = entry.outcome as AttentionOutcome;
  }
  return { clusters, attention };
}

/**
 * Decides whether a report is news. New promises (marks, re-announcements),
 * deletions, recoveries, failures, reminders and errors always are; something
 * needing a person is news the first time; a cluster that became unverified or
 * readable again, a breaker that tripped or released, is news on the change.
 * Load balancers only waiting for their date are not. Without a memory of what
 * was said (`said` undefined), everything current is told again: never less.
 */
export function decideNotice(
  report: Pick<SweepReport, 'clusters' | 'loadBalancers' | 'errors' | 'footprint'>,
  said: SaidState | undefined,
  digest: boolean,
): Notice {
  const before = said ?? NOTHING_SAID;
  const news: string[] = [];
  const now = stateOf(report);

  for (const cluster of report.clusters) {
    const was = before.clusters[cluster.name] ?? [];
    const is = now.clusters[cluster.name] ?? [];
    if (is.includes('unverified') && !was.includes('unverified')) {
      news.push(
        `cluster ${cluster.name} could not be read, so none of its load balancers change: ${cluster.error}`,
      );
    }
    if (!is.includes('unverified') && was.includes('unverified')) {
      news.push(`cluster ${cluster.name} can be read again`);
    }
    if (is.includes('breaker') && !was.includes('breaker')) {
      news.push(`the circuit breaker tripped on cluster ${cluster.name}: ${cluster.heldBack}`);
    }
    if (!is.includes('breaker') && was.includes('breaker')) {
      news.push(`the circuit breaker on cluster ${cluster.name} released`);
    }
  }
  // A cluster said to be in trouble that this sweep did not read at all says nothing: it may be out of scope.
  for (const entry of report.loadBalancers) {
    const line = entryNews(entry, before);
    if (line !== undefined) news.push(line);
  }
  // The footprint speaks on the same changes: new promises, deletions, recoveries, failures.
  for (const entry of report.footprint) {
    const line = footprintNews(entry);
    if (line !== undefined) news.push(line);
  }
  for (const error of report.errors) news.push(error);
  return { kind: digest ? 'digest' : news.length > 0 ? 'change' : 'quiet', news };
}

/** A mark's promise: its date, or, with none (a cluster EKS does not know, no opt-in), that it waits. */
function promise(deletesAt: string | undefined): string {
  return deletesAt === undefined
    ? 'it will not be deleted unless --delete-when-cluster-missing is set (EKS does not know its cluster)'
    : `it will be deleted at ${deletesAt}`;
}

function footprintNews(entry: FootprintEntry): string | undefined {
  if (entry.dryRun) return undefined;
  const what = `${entry.kind.replace('-', ' ')} ${entry.name} (${entry.id})`;
  switch (entry.outcome) {
    case 'marked':
      return `${what} is newly marked as orphaned: ${promise(entry.deletesAt)}`;
    case 'announced':
      return `${what} is announced again: ${promise(entry.deletesAt)}`;
    case 'deleted':
      return `${what} was deleted`;
    case 'recovered':
      return `${what} has its owner again; its marks were removed`;
    case 'failed':
      return `${what}: an action failed: ${entry.detail}`;
    case 'pending':
      return entry.reminder ? `${what} will be deleted at ${entry.deletesAt}, within 24 hours` : undefined;
    default:
      return undefined;
  }
}

function entryNews(entry: LoadBalancerEntry, said: SaidState): string | undefined {
  // A dry run changes nothing: what it would do is in the digest, not news.
  if (entry.dryRun) return undefined;
  const { name, deletesAt, detail } = entry;
  switch (entry.outcome) {
    case 'marked':
      return `${name} is newly marked as orphaned: ${promise(deletesAt)}`;
    case 'announced':
      return `${name} is announced again: ${promise(deletesAt)}`;
    case 'deleted':
      return `${name} was deleted`;
    case 'recovered':
      return `${name} is owned by its Service again; its marks were removed`;
    case 'failed':
      return `${name}: an action failed: ${detail}`;
    case 'kept':
      return `${name} was not deleted: ${detail}`;
    case 'already-gone':
      return `${name} was already deleted by someone else`;
    case 'pending':
      return entry.reminder ? `${name} will be deleted at ${deletesAt}, within 24 hours` : undefined;
    case 'needs-manual-action':
    case 'spared':
      return said.attention[name] === entry.outcome ? undefined : `${name} needs a person: ${detail}`;
    case 'held':
    case 'deferred':
      return undefined;
  }
}

/**
 * The state to remember after this report. A delivered report, or a quiet one (it
 * had nothing unsaid, so its state is what was said, less what went away),
 * replaces what was said; a failed delivery keeps it, so the news is told again.
 */
export function nextSaidState(
  said: SaidState | undefined,
  report: Pick<SweepReport, 'clusters' | 'loadBalancers'>,
  told: boolean,
  savings: Savings | undefined,
): SaidState {
  if (!told) return { ...(said ?? NOTHING_SAID), savings };
  return { ...stateOf(report), savings };
}

/** The savings record after a sweep that deleted `deleted` load balancers costing `monthlyUsd` a month. */
export function addSavings(
  savings: Savings | undefined,
  deleted: number,
  monthlyUsd: number,
  now: string,
): Savings | undefined {
  if (deleted === 0) return savings;
  const base = savings ?? { deleted: 0, monthlyUsd: 0, since: now };
  return {
    deleted: base.deleted + deleted,
    monthlyUsd: Math.round((base.monthlyUsd + monthlyUsd) * 100) / 100,
    since: base.since,
  };
}
