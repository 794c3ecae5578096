import { awaitsClusterMissingOptIn } from './cluster-missing-opt-in';
import { describeFootprint, groupFootprint } from './footprint-groups';
import { CADENCE, STOP_A_DELETION } from './stop-a-deletion';
import { summaryLine, unverifiedClusters } from './summary';
import type { FootprintEntry, LoadBalancerEntry, Outcome, SkippedEntry, SweepReport } from './sweep-report';

export { STOP_A_DELETION } from './stop-a-deletion';

/** SNS subjects: at most 100 ASCII characters, no line breaks. */
const MAX_SUBJECT_LENGTH = 100;
/** SNS messages may be 256 KiB; stop well before, and say the rest is in the logs. */
const MAX_BODY_BYTES = 200 * 1024;
/** News lines listed at most; the sections below carry the rest. */
const MAX_NEWS_LINES = 50;

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

/** Where the marks of clusters EKS does not know go while `deleteWhenClusterMissing` is off. */
const AWAITING_OPT_IN_TITLE =
  'MARKED, NOT DELETED WITHOUT --delete-when-cluster-missing: EKS DOES NOT KNOW THEIR CLUSTER';
const WAITING_OUTCOMES: readonly Outcome[] = ['marked', 'announced', 'pending', 'deferred'];

/** Skip reasons a person should look at: tags the janitor could not read as one owner. */
const SKIPS_TO_CHECK: readonly SkippedEntry['reason'][] = [
  'MALFORMED_OWNER_TAGS',
  'AMBIGUOUS_OWNER_TAGS',
  'TAGS_NOT_RETURNED',
];

/**
 * The email of one sweep: what changed first, then errors, the reminders of
 * deletions within a day, each load balancer with its deletion time and how to
 * stop it, the monthly cost deleted and pending. A digest (`notice.kind`
 * `digest`) lists everything pending by date and what a person should check.
 */
export function composeNotification(report: SweepReport): Notification {
  const digest = report.notice.kind === 'digest';
  const lines: string[] = [];
  lines.push(
    digest
      ? `nlb-janitor daily digest for ${where(report)} at ${report.finishedAt}: ${summaryLine(report)}.`
      : `nlb-janitor swept ${where(report)} at ${report.finishedAt}: ${summaryLine(report)}.`,
  );
  if (report.dryRun)
    lines.push('This was a DRY RUN: nothing was changed; the report says what a real sweep would do.');
  lines.push('');

  const news = report.notice.news;
  if (news.length > 0) {
    lines.push(digest ? 'NEW SINCE THE LAST MESSAGE' : 'WHAT CHANGED');
    lines.push(...news.slice(0, MAX_NEWS_LINES).map((line) => `- ${line}`));
    if (news.length > MAX_NEWS_LINES) lines.push(`- and ${news.length - MAX_NEWS_LINES} more, listed below`);
    lines.push('');
  } else if (digest) {
    lines.push('Nothing changed since the last message; the janitor is running.', '');
  }

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
  const footprint = groupFootprint(report.loadBalancers, report.footprint);
  const section = (title: string, entries: readonly LoadBalancerEntry[]) => {
    if (entries.length === 0) return;
    lines.push(`${title} (${entries.length})`);
    for (const entry of entries) {
      const block = describeEntry(entry, footprint.under.get(entry.arn) ?? []);
      const blockBytes = Buffer.byteLength(block) + 1;
      if (bytes + blockBytes > MAX_BODY_BYTES) {
        truncated += 1;
        continue;
      }
      bytes += blockBytes;
      lines.push(block);
    }
    lines.push('');
  };
  section(
    'REMINDER: DELETED WITHIN 24 HOURS UNLESS STOPPED',
    report.loadBalancers.filter((entry) => entry.reminder),
  );
  // Marks the janitor will not act on without the opt-in get a section of their own: the
  // sections of marked and pending load balancers promise a deletion time.
  const awaiting = (entry: LoadBalancerEntry) =>
    WAITING_OUTCOMES.includes(entry.outcome) &&
    awaitsClusterMissingOptIn(entry.reason, report.settings.deleteWhenClusterMissing);
  for (const { outcome, title } of SECTIONS) {
    const entries = report.loadBalancers.filter(
      (entry) => entry.outcome === outcome && !entry.reminder && !awaiting(entry),
    );
    section(title, digest && outcome === 'pending' ? byDeletionTime(entries) : entries);
    if (outcome === 'announced') section(AWAITING_OPT_IN_TITLE, report.loadBalancers.filter(awaiting));
  }
  const gatewaysGone = report.gatewaysGone ?? [];
  if (gatewaysGone.length > 0) {
    lines.push(`SERVICES WHOSE GATEWAY IS GONE (${gatewaysGone.length}; report only, nothing is deleted)`);
    for (const entry of gatewaysGone) {
      lines.push(`* cluster ${entry.cluster}, Service ${entry.service}: ${entry.detail}`);
    }
    lines.push('');
  }
  if (footprint.alone.length > 0) {
    lines.push(
      `TARGET GROUPS, SECURITY GROUPS AND NODE RULES WITHOUT A LOAD BALANCER (${footprint.alone.length})`,
    );
    for (const entry of footprint.alone) {
      lines.push(`* ${describeFootprint(entry)}`, `  cluster ${entry.cluster}, made for ${entry.owner}`);
    }
    lines.push('');
  }
  if (truncated > 0) {
    lines.push(
      `${truncated} more load balancers are not listed here; the full JSON report is in the function's logs.`,
    );
  }
  if (digest) {
    const toCheck = report.skipped.filter((skipped) => SKIPS_TO_CHECK.includes(skipped.reason));
    if (toCheck.length > 0) {
      lines.push(
        `SKIPPED, TO CHECK (${toCheck.length}): tags the janitor cannot read as one owner`,
        ...toCheck.map((skipped) => `* ${skipped.name}: ${skipped.reason}\n  ${skipped.arn}`),
        '',
      );
    }
  }
  lines.push(...costLines(report), '');
  lines.push(STOP_A_DELETION, CADENCE);

  const counts = report.counts;
  const number = (value: number) => ({ DataType: 'Number' as const, StringValue: String(value) });
  return {
    subject: subjectFor(report),
    message: lines.join('\n'),
    attributes: {
      notice: { DataType: 'String', StringValue: report.notice.kind },
      marked: number(counts.marked),
      pending: number(counts.pending),
      reminded: number(counts.reminded),
      deleted: number(counts.deleted),
      recovered: number(counts.recovered),
      failed: number(counts.failed + counts.needsManualAction),
      unverifiedClusters: number(unverifiedClusters(report).length),
      dryRun: { DataType: 'String', StringValue: String(report.dryRun) },
    },
  };
}

function byDeletionTime(entries: readonly LoadBalancerEntry[]): LoadBalancerEntry[] {
  return [...entries].sort((a, b) => (a.deletesAt ?? '~').localeCompare(b.deletesAt ?? '~'));
}

function costLines(report: SweepReport): string[] {
  const { pricing } = report;
  const lines = [
    `ESTIMATED MONTHLY COST (${pricing.priceRegion} prices of ${pricing.asOf}: ${pricing.nlbHourlyUsd} USD per NLB-hour, ` +
      `${pricing.publicIpv4HourlyUsd} USD per public IPv4 address-hour, ${pricing.hoursPerMonth} hours; capacity units not included)`,
    `- deleted in this sweep: ${report.estimatedMonthlySavingsUsd.toFixed(2)} USD a month`,
    `- pending deletion: ${report.estimatedMonthlyPendingUsd.toFixed(2)} USD a month`,
  ];
  if (report.notice.kind === 'digest') {
    const savings = report.savingsSoFar;
    lines.push(
      savings === undefined
        ? '- deleted so far: nothing recorded yet'
        : `- deleted so far: ${savings.deleted} load balancers since ${savings.since}, ${savings.monthlyUsd.toFixed(2)} USD a month`,
    );
  }
  if (pricing.note !== undefined) lines.push(`- note: ${pricing.note}`);
  return lines;
}

function describeEntry(entry: LoadBalancerEntry, footprint: readonly FootprintEntry[]): string {
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
  lines.push(`  estimated cost: ${costText(entry)}`);
  if (entry.detail) lines.push(`  ${entry.detail}`);
  if (entry.deletedTargetGroups && entry.deletedTargetGroups.length > 0) {
    lines.push(`  target groups: ${entry.deletedTargetGroups.join(', ')}`);
  }
  for (const resource of footprint) lines.push(`  with ${describeFootprint(resource)}`);
  lines.push(`  ${entry.arn}`, `  ${entry.dnsName}`);
  return lines.join('\n');
}

function costText(entry: LoadBalancerEntry): string {
  const { loadBalancerUsd, publicIpv4Usd } = entry.estimatedMonthlyCost;
  const total = `${entry.estimatedMonthlyCostUsd.toFixed(2)} USD a month`;
  if (publicIpv4Usd === 0) return total;
  const addresses =
    entry.availabilityZones === 1
      ? '1 public IPv4 address'
      : `${entry.availabilityZones} public IPv4 addresses`;
  return `${total} (${loadBalancerUsd.toFixed(2)} load balancer + ${publicIpv4Usd.toFixed(2)} for ${addresses})`;
}

function subjectFor(report: SweepReport): string {
  const kind = report.notice.kind === 'digest' ? ' digest' : '';
  const ascii = `nlb-janitor ${where(report)}${kind}: ${summaryLine(report)}`.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

/** Account and region, so reports from many accounts can share one topic. */
function where(report: SweepReport): string {
  return report.account === undefined ? report.region : `${report.account} ${report.region}`;
}
