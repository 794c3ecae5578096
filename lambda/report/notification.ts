import { summaryLine, unverifiedClusters } from './summary';
import type { LoadBalancerEntry, Outcome, SweepReport } from './sweep-report';

/** SNS subjects: at most 100 ASCII characters, no line breaks. */
const MAX_SUBJECT_LENGTH = 100;
/** SNS messages may be 256 KiB; stop well before, and say the rest is in the logs. */
const MAX_BODY_BYTES = 200 * 1024;

export interface Notification {
  readonly subject: string;
  readonly message: string;
  /** Counts, for subscription filter policies (e.g. only mail when deleted > 0). */
  readonly attributes: Readonly<Record<string, { DataType: 'Number' | 'String'; StringValue: string }>>;
}

const SECTIONS: readonly { outcome: Outcome; title: string }[] = [
  { outcome: 'failed', title: 'FAILED' },
  { outcome: 'needs-manual-action', title: 'NEEDS MANUAL ACTION' },
  { outcome: 'deleted', title: 'DELETED' },
  { outcome: 'marked', title: 'NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN' },
  { outcome: 'announced', title: 'ANNOUNCED AGAIN WITH A NEW DELETION TIME' },
  { outcome: 'pending', title: 'PENDING DELETION' },
  { outcome: 'deferred', title: 'DEFERRED TO THE NEXT SWEEP' },
  { outcome: 'recovered', title: 'RECOVERED (owner is back)' },
  { outcome: 'held', title: 'HELD (cluster not verified: nothing changed)' },
  { outcome: 'kept', title: 'KEPT (the read before deleting found a change)' },
  { outcome: 'already-gone', title: 'ALREADY GONE' },
  { outcome: 'spared', title: 'SPARED (its tags name a cluster it does not belong to: check them)' },
];

/** How a person stops a deletion; every report says it. */
export const STOP_A_DELETION =
  'To stop a deletion: restore the Service (its status must name the load balancer), or tag the load balancer ' +
  'nlb-janitor/ignore with any value but false (e.g. nlb-janitor/ignore=true).';

/** One email per sweep: errors first, then each load balancer with what to do to stop its deletion. */
export function composeNotification(report: SweepReport): Notification {
  const lines: string[] = [];
  lines.push(`nlb-janitor swept ${where(report)} at ${report.finishedAt}: ${summaryLine(report)}.`);
  if (report.dryRun)
    lines.push('This was a DRY RUN: nothing was changed; the report says what a real sweep would do.');
  lines.push('');

  const problems = [
    ...report.clusters
      .filter((cluster) => cluster.status === 'UNVERIFIED')
      .map(
        (cluster) =>
          `Cluster ${cluster.name} could not be read completely, so none of its load balancers were changed: ${cluster.error}`,
      ),
    ...report.clusters.flatMap((cluster) => (cluster.heldBack ? [cluster.heldBack] : [])),
    ...report.errors,
  ];
  if (problems.length > 0) {
    lines.push('ERRORS', ...problems.map((problem) => `- ${problem}`), '');
  }

  let truncated = 0;
  let bytes = Buffer.byteLength(lines.join('\n'));
  for (const { outcome, title } of SECTIONS) {
    const entries = report.loadBalancers.filter((entry) => entry.outcome === outcome);
    if (entries.length === 0) continue;
    lines.push(`${title} (${entries.length})`);
    for (const entry of entries) {
      const block = describeEntry(entry);
      const blockBytes = Buffer.byteLength(block) + 1;
      if (bytes + blockBytes > MAX_BODY_BYTES) {
        truncated += 1;
        continue;
      }
      bytes += blockBytes;
      lines.push(block);
    }
    lines.push('');
  }
  if (report.targetGroups.length > 0) {
    lines.push(`TARGET GROUPS LEFT BEHIND BY EARLIER DELETIONS (${report.targetGroups.length})`);
    for (const group of report.targetGroups) {
      const outcome = group.dryRun ? `would be ${group.outcome}` : group.outcome;
      lines.push(`* ${group.name}: ${outcome}${group.detail ? ` (${group.detail})` : ''}`, `  ${group.arn}`);
    }
    lines.push('');
  }
  if (truncated > 0) {
    lines.push(
      `${truncated} more load balancers are not listed here; the full JSON report is in the function's logs.`,
    );
  }
  lines.push(STOP_A_DELETION);

  const counts = report.counts;
  const number = (value: number) => ({ DataType: 'Number' as const, StringValue: String(value) });
  return {
    subject: subjectFor(report),
    message: lines.join('\n'),
    attributes: {
      marked: number(counts.marked),
      pending: number(counts.pending),
      deleted: number(counts.deleted),
      recovered: number(counts.recovered),
      failed: number(counts.failed + counts.needsManualAction),
      unverifiedClusters: number(unverifiedClusters(report).length),
      dryRun: { DataType: 'String', StringValue: String(report.dryRun) },
    },
  };
}

function describeEntry(entry: LoadBalancerEntry): string {
  const lines = [
    `* ${entry.name} (${entry.scheme}, ${entry.vpcId})`,
    `  tags name cluster ${entry.cluster}, owner ${entry.ownerKind} ${entry.owner} (${entry.controller})`,
  ];
  if (entry.gateway) lines.push(`  the Service was ${entry.gateway}`);
  if (entry.reason) lines.push(`  reason: ${entry.reason}`);
  if (entry.suspectSince) lines.push(`  marked since: ${entry.suspectSince}`);
  if (entry.outcome === 'deleted')
    lines.push(entry.dryRun ? '  would be deleted now' : '  deleted in this sweep');
  else if (entry.deletesAt)
    lines.push(`  WILL BE DELETED AT: ${entry.deletesAt} (unless stopped, see below)`);
  lines.push(`  estimated cost: ${entry.estimatedMonthlyCostUsd.toFixed(2)} USD a month`);
  if (entry.detail) lines.push(`  ${entry.detail}`);
  if (entry.deletedTargetGroups && entry.deletedTargetGroups.length > 0) {
    lines.push(`  target groups: ${entry.deletedTargetGroups.join(', ')}`);
  }
  lines.push(`  ${entry.arn}`, `  ${entry.dnsName}`);
  return lines.join('\n');
}

function subjectFor(report: SweepReport): string {
  const ascii = `nlb-janitor ${where(report)}: ${summaryLine(report)}`.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

/** Account and region, so reports from many accounts can share one topic. */
function where(report: SweepReport): string {
  return report.account === undefined ? report.region : `${report.account} ${report.region}`;
}
