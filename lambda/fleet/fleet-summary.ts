import { FLEET_CONTRACT } from '../../contract/fleet';
import { howToGrantAccess } from '../kubernetes/cluster-reader';
import type { SweepReport } from '../report/sweep-report';

/** The EventBridge source and detail type of a member's sweep summary on the fleet bus. */
export const SUMMARY_SOURCE = FLEET_CONTRACT.summarySource;
export const SUMMARY_DETAIL_TYPE = FLEET_CONTRACT.summaryDetailType;

/** Items of each list a summary carries at most: it stays far below EventBridge's 256 KB event. */
export const MAX_SUMMARY_ITEMS = 25;
/** Characters of one error or detail at most. */
export const MAX_TEXT = 400;
const DAY_MS = 86_400_000;
/** How howToGrantAccess begins, where a cluster's error carries it. */
const GRANT_LEAD = 'To let the janitor read it';

/** A resource a member will delete within 24 hours unless a person stops it. */
export interface DueDeletion {
  /** `load balancer`, `target group`, `security group`, `security group rule`. */
  readonly kind: string;
  readonly name: string;
  readonly cluster: string;
  readonly deletesAt: string;
}

export interface UnverifiedCluster {
  readonly name: string;
  readonly error: string;
  /** The commands that give the member's role read access. */
  readonly grant: string;
}

/**
 * One sweep of one member, compact, for the fleet digest: what it counted, what
 * it deletes within a day, which clusters it could not read, what failed, and
 * which code in which mode ran it.
 */
export interface FleetSummary {
  readonly schema: 1;
  readonly account: string;
  readonly region: string;
  readonly finishedAt: string;
  /** The janitor's version and the hash of the code that ran. */
  readonly version: string;
  readonly dryRun: boolean;
  readonly counts: {
    readonly marked: number;
    readonly pending: number;
    readonly deleted: number;
    readonly recovered: number;
    readonly failed: number;
    readonly held: number;
    readonly needsManualAction: number;
  };
  readonly estimatedMonthlyPendingUsd: number;
  readonly due: readonly DueDeletion[];
  readonly unverified: readonly UnverifiedCluster[];
  readonly errors: readonly string[];
  /** Items left out of the lists above to keep the event small. */
  readonly omitted: number;
}

const FOOTPRINT_KIND: Record<string, string> = {
  'target-group': 'target group',
  'security-group': 'security group',
  'node-rule': 'security group rule',
};

/** The summary of `report`; `roleArn` names the member's role in the grant command. */
export function summarizeSweep(
  report: SweepReport,
  member: { readonly account: string; readonly version: string; readonly roleArn: string | undefined },
): FleetSummary {
  const finished = Date.parse(report.finishedAt);
  const soon = (deletesAt: string | undefined): deletesAt is string =>
    deletesAt !== undefined && Date.parse(deletesAt) - finished <= DAY_MS;
  const waiting = new Set(['marked', 'announced', 'pending']);
  const due: DueDeletion[] = [
    ...report.loadBalancers
      .filter((entry) => !entry.dryRun && waiting.has(entry.outcome) && soon(entry.deletesAt))
      .map((entry) => ({
        kind: 'load balancer',
        name: entry.name,
        cluster: entry.cluster,
        deletesAt: entry.deletesAt ?? '',
      })),
    ...report.footprint
      .filter((entry) => !entry.dryRun && waiting.has(entry.outcome) && soon(entry.deletesAt))
      .map((entry) => ({
        kind: FOOTPRINT_KIND[entry.kind] ?? entry.kind,
        name: entry.name,
        cluster: entry.cluster,
        deletesAt: entry.deletesAt ?? '',
      })),
  ].sort((a, b) => a.deletesAt.localeCompare(b.deletesAt));
  const unverified = report.clusters
    .filter((cluster) => cluster.status === 'UNVERIFIED')
    .map((cluster) => ({
      name: cluster.name,
      // The grant command travels apart, whole; the error keeps what went wrong.
      error: clip((cluster.error ?? 'not read completely').split(GRANT_LEAD)[0]?.trim() ?? ''),
      grant: howToGrantAccess(cluster.name, member.roleArn),
    }));
  const errors = [
    ...report.errors,
    ...report.loadBalancers
      .filter((entry) => entry.outcome === 'failed')
      .map((entry) => `load balancer ${entry.name}: ${entry.detail ?? 'failed'}`),
  ].map(clip);
  const kept = <T>(items: readonly T[]) => items.slice(0, MAX_SUMMARY_ITEMS);
  const { counts } = report;
  return {
    schema: 1,
    account: member.account,
    region: report.region,
    finishedAt: report.finishedAt,
    version: member.version,
    dryRun: report.dryRun,
    counts: {
      marked: counts.marked + counts.announced,
      pending: counts.pending,
      deleted: counts.deleted,
      recovered: counts.recovered,
      failed: counts.failed,
      held: counts.held,
      needsManualAction: counts.needsManualAction,
    },
    estimatedMonthlyPendingUsd: report.estimatedMonthlyPendingUsd,
    due: kept(due),
    unverified: kept(unverified),
    errors: kept(errors),
    omitted: [due, unverified, errors].reduce(
      (sum, items) => sum + Math.max(0, items.length - MAX_SUMMARY_ITEMS),
      0,
    ),
  };
}

function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}
