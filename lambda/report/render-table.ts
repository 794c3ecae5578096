import { describeBreakerUnits } from './breaker-units';
import { groupFootprint } from './footprint-groups';
import { summaryLine } from './summary';
import type { FootprintEntry, SweepReport } from './sweep-report';

/** The CLI's human-readable report: clusters, then every load balancer with something to say. */
export function renderTable(report: SweepReport): string {
  const lines: string[] = [];
  lines.push(
    `nlb-janitor sweep of ${report.region}${report.dryRun ? ' (dry run: nothing was changed)' : ''}, ` +
      `grace period ${report.settings.gracePeriod}, at most ${report.settings.maxDeletions} deletions`,
  );
  lines.push('');
  lines.push(
    ...table(
      ['CLUSTER', 'STATUS', 'SERVICES', 'NLBS', 'NOTE'],
      report.clusters.map((c) => [
        c.name,
        c.status,
        c.services === undefined ? '-' : String(c.services),
        String(c.loadBalancers),
        c.error ?? c.heldBack ?? '',
      ]),
    ),
  );
  lines.push('');
  // What each tripped breaker counted: the note above says why, these say what.
  const breakers = report.clusters.flatMap((cluster) => describeBreakerUnits(cluster));
  if (breakers.length > 0) lines.push(...breakers, '');
  const { under, alone } = groupFootprint(report.loadBalancers, report.footprint);
  if (report.loadBalancers.length > 0 || alone.length > 0) {
    // Each load balancer, then the target groups, security groups and node rules made with it.
    const rows = report.loadBalancers.flatMap((lb) => [
      [
        lb.dryRun ? `would be ${lb.outcome}` : lb.reminder ? 'pending (reminder)' : lb.outcome,
        lb.name,
        lb.cluster,
        lb.owner,
        lb.reason ?? '',
        lb.suspectSince ?? '',
        lb.deletesAt ?? '',
        lb.detail ?? '',
      ],
      ...(under.get(lb.arn) ?? []).map((entry) => footprintRow(entry, '  └ ')),
    ]);
    lines.push(
      ...table(
        ['OUTCOME', 'NAME', 'CLUSTER', 'OWNER', 'REASON', 'SUSPECT SINCE', 'DELETES AT', 'DETAIL'],
        [...rows, ...alone.map((entry) => footprintRow(entry, ''))],
      ),
    );
    lines.push('');
  }
  for (const error of report.errors) lines.push(`error: ${error}`);
  if (report.stopDeletion !== undefined) lines.push(report.stopDeletion);
  lines.push(costLine(report));
  const { counts } = report;
  lines.push(
    `${counts.loadBalancers} load balancers, ${counts.networkLoadBalancers} network, ${counts.owned} owned, ` +
      `${counts.skipped} skipped: ${summaryLine(report)}`,
  );
  return lines.join('\n');
}

function footprintRow(entry: FootprintEntry, indent: string): string[] {
  return [
    `${indent}${entry.dryRun ? `would be ${entry.outcome}` : entry.outcome}`,
    `${entry.kind.replace('-', ' ')} ${entry.name === entry.id ? entry.id : `${entry.name} (${entry.id})`}`,
    entry.cluster,
    entry.owner,
    entry.reason ?? '',
    '',
    entry.deletesAt ?? '',
    entry.detail ?? '',
  ];
}

function costLine(report: SweepReport): string {
  const { pricing } = report;
  return (
    `estimated monthly cost (${pricing.priceRegion} prices of ${pricing.asOf}): ` +
    `${report.estimatedMonthlySavingsUsd.toFixed(2)} USD deleted, ${report.estimatedMonthlyPendingUsd.toFixed(2)} USD pending deletion` +
    (pricing.note === undefined ? '' : ` (${pricing.note})`)
  );
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)];
}
