import type { SweepReport } from './sweep-report';

/** Clusters whose read was incomplete: nothing of theirs was changed. */
export function unverifiedClusters(report: SweepReport): string[] {
  return report.clusters.filter((cluster) => cluster.status === 'UNVERIFIED').map((cluster) => cluster.name);
}

/** One line of counts, for an email subject, a log line or the end of the CLI table. */
export function summaryLine(report: SweepReport): string {
  const { counts } = report;
  const parts = [
    [counts.deleted, 'deleted'],
    [counts.marked, 'marked'],
    [counts.announced, 'announced again'],
    [counts.pending, 'pending'],
    [counts.reminded, 'to be deleted within 24 hours'],
    [counts.spared, "spared (not their cluster's)"],
    [counts.recovered, 'recovered'],
    [counts.deferred, 'deferred'],
    [counts.needsManualAction, 'need manual action'],
    [counts.failed, 'failed'],
    [unverifiedClusters(report).length, 'unverified clusters'],
  ]
    .filter(([count]) => Number(count) > 0)
    .map(([count, label]) => `${count} ${label}`);
  // Target groups, security groups and rules, counted apart: "3 deleted" stays about load balancers.
  const footprint = (outcome: string) => report.footprint.filter((entry) => entry.outcome === outcome).length;
  const footprintParts = [
    [footprint('deleted'), 'deleted'],
    [footprint('marked'), 'marked'],
    [footprint('announced'), 'announced again'],
    [report.footprint.filter((entry) => entry.reminder).length, 'to be deleted within 24 hours'],
    [footprint('needs-manual-action'), 'need manual action'],
    [footprint('failed'), 'failed'],
  ]
    .filter(([count]) => Number(count) > 0)
    .map(([count, label]) => `${count} ${label}`);
  if (footprintParts.length > 0) parts.push(`footprint ${footprintParts.join(', ')}`);
  if (report.announcement.status === 'failed') parts.push('report NOT delivered');
  const text = parts.length > 0 ? parts.join(', ') : 'nothing to do';
  return report.dryRun ? `[dry run] ${text}` : text;
}
