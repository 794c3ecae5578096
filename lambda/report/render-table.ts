import { describeBreakerUnits } from './breaker-units';
import { waitsForOptIn } from './cluster-missing-opt-in';
import { groupFootprint } from './footprint-groups';
import { summaryLine } from './summary';
import type { FootprintEntry, Outcome, SweepReport } from './sweep-report';
import { formatTable, shortenArns, TABLE_WIDTH, type TableRow, wrap } from './text-table';

/** Outcomes of marked resources: what may carry a deletion date, or wait for the opt-in instead. */

/**
 * The CLI's human-readable report: clusters, then every load balancer with
 * something to say, at most TABLE_WIDTH columns: names and ids, no ARNs (the
 * JSON report and the email have them), details on a wrapped line beneath.
 */
export function renderTable(report: SweepReport): string {
  const lines: string[] = [];
  lines.push(
    `nlb-janitor sweep of ${report.region}${report.dryRun ? ' (dry run: nothing was changed)' : ''}, ` +
      `grace period ${report.settings.gracePeriod}, at most ${report.settings.maxDeletions} deletions`,
  );
  lines.push('');
  lines.push(
    ...formatTable(
      ['CLUSTER', 'STATUS', 'SERVICES', 'NLBS'],
      report.clusters.map((c) => ({
        cells: [
          c.name,
          c.status,
          c.services === undefined ? '-' : String(c.services),
          String(c.loadBalancers),
        ],
        note: c.error ?? c.heldBack,
      })),
    ),
  );
  lines.push('');
  // What each tripped breaker counted: the note above says why, these say what.
  const breakers = report.clusters.flatMap((cluster) => describeBreakerUnits(cluster));
  if (breakers.length > 0) lines.push(...breakers, '');
  const { under, alone } = groupFootprint(report.loadBalancers, report.footprint);
  const deletesAt = (entry: {
    deletesAt: string | undefined;
    reason: string | undefined;
    outcome: Outcome;
  }) =>
    entry.deletesAt ?? (waitsForOptIn(entry, report.settings.deleteWhenClusterMissing) ? 'needs opt-in' : '');
  if (report.loadBalancers.length > 0 || alone.length > 0) {
    // Each load balancer, then the target groups, security groups and node rules made with it.
    const rows: TableRow[] = report.loadBalancers.flatMap((lb) => [
      {
        cells: [
          lb.dryRun ? `would be ${lb.outcome}` : lb.reminder ? 'pending (reminder)' : lb.outcome,
          lb.name,
          lb.cluster,
          lb.owner,
          lb.reason ?? '',
          deletesAt(lb),
        ],
        note: lb.detail && shortenArns(lb.detail),
      },
      ...(under.get(lb.arn) ?? []).map((entry) => footprintRow(entry, '  └ ', deletesAt(entry))),
    ]);
    lines.push(
      ...formatTable(
        ['OUTCOME', 'NAME', 'CLUSTER', 'OWNER', 'REASON', 'DELETES AT'],
        [...rows, ...alone.map((entry) => footprintRow(entry, '', deletesAt(entry)))],
        // Owners and names lose their middle before anything else would push the table past its width.
        { elidable: [3, 1, 2] },
      ),
    );
    lines.push('');
  }
  for (const error of report.errors) lines.push(...wrap(`error: ${error}`, TABLE_WIDTH));
  if (report.stopDeletion !== undefined) lines.push(...wrap(report.stopDeletion, TABLE_WIDTH));
  lines.push(...wrap(costLine(report), TABLE_WIDTH));
  const { counts } = report;
  lines.push(
    `${counts.loadBalancers} load balancers, ${counts.networkLoadBalancers} network, ${counts.owned} owned, ` +
      `${counts.skipped} skipped: ${summaryLine(report)}`,
  );
  return lines.join('\n');
}

function footprintRow(entry: FootprintEntry, indent: string, deletesAt: string): TableRow {
  return {
    cells: [
      `${indent}${entry.dryRun ? `would be ${entry.outcome}` : entry.outcome}`,
      `${entry.kind.replace('-', ' ')} ${shortFootprintName(entry)}`,
      entry.cluster,
      shortenArns(entry.owner),
      entry.reason ?? '',
      deletesAt,
    ],
    note: entry.detail && shortenArns(entry.detail),
  };
}

/** A target group by its name (its id is an ARN); a security group or rule by its short id. */
function shortFootprintName(entry: FootprintEntry): string {
  return entry.kind === 'target-group' ? entry.name : entry.id;
}

function costLine(report: SweepReport): string {
  const { pricing } = report;
  return (
    `estimated monthly cost (${pricing.priceRegion} prices of ${pricing.asOf}): ` +
    `${report.estimatedMonthlySavingsUsd.toFixed(2)} USD deleted, ${report.estimatedMonthlyPendingUsd.toFixed(2)} USD pending deletion` +
    (pricing.note === undefined ? '' : ` (${pricing.note})`)
  );
}
