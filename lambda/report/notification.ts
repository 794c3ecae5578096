// Over 300 lines on purpose: the email is one byte budget (message-budget.ts) shared by all its
// sections, and what it names is decided where its parts are chosen; split, the budget and the
// `named` record would have to travel between files.
import { describeBreakerUnits, MAX_EMAILED_BREAKER_UNITS } from './breaker-units';
import { namedAs, waitsForOptIn } from './cluster-missing-opt-in';
import { describeFootprint, groupFootprint } from './footprint-groups';
import { ByteBudget, MAX_BODY_BYTES, SNS_MAX_SUBJECT_LENGTH, utf8Bytes } from './message-budget';
import { CADENCE, STOP_A_DELETION } from './stop-a-deletion';
import { summaryLine, unverifiedClusters } from './summary';
import type { FootprintEntry, LoadBalancerEntry, Outcome, SkippedEntry, SweepReport } from './sweep-report';

export { STOP_A_DELETION } from './stop-a-deletion';

/** News lines listed at most; the sections below carry the rest. */
const MAX_NEWS_LINES = 50;
/** The errors' and the news' shares of the body: promises come first, but these are always seen. */
const MAX_ERROR_BYTES = 32 * 1024;
const MAX_NEWS_BYTES = 16 * 1024;
/** Target groups deleted with a load balancer listed by ARN at most, in its block. */
const MAX_DELETED_TARGET_GROUPS = 20;

const LOGS = "the full JSON report is in the function's logs";
const LATER =
  'the promises among them are not announced by this message: a later message names them, and none is deleted before one does';

export interface Notification {
  readonly subject: string;
  readonly message: string;
  /** Counts, for subscription filter policies (e.g. only mail when deleted > 0). */
  readonly attributes: Readonly<Record<string, { DataType: 'Number' | 'String'; StringValue: string }>>;
  /**
   * Every resource the message names with a deletion date, by ID (a load
   * balancer's ARN, a footprint resource's ID), with the date it gives. Only
   * these may be recorded as announced or reminded once the message is delivered.
   */
  readonly named: ReadonlyMap<string, string>;
  /** Entries of its sections (load balancers, footprint, errors, …) it had no room for; lines of news not counted. */
  readonly omitted: number;
}

export interface ComposeOptions {
  /** The body's byte budget (UTF-8); smaller when SNS refused a message. @default MAX_BODY_BYTES */
  readonly maxBodyBytes?: number;
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

/** Skip reasons a person should look at: tags the janitor could not read as one owner. */
const SKIPS_TO_CHECK: readonly SkippedEntry['reason'][] = [
  'MALFORMED_OWNER_TAGS',
  'AMBIGUOUS_OWNER_TAGS',
  'TAGS_NOT_RETURNED',
];

/** One entry of a section: listed whole or not at all. */
interface Part {
  readonly text: string;
  /** The resources it names with the date it gives them. */
  readonly names: readonly (readonly [string, string])[];
  /** It carries what a delivery records (a new promise, a reminder): it has the first claim on the budget. */
  readonly promise: boolean;
  /** Lines under it (a load balancer's footprint), each listed only with it. */
  readonly children: Part[];
  taken: boolean;
}

interface Section {
  /** The lines before its entries; nothing is said of an empty section. */
  readonly head: readonly string[];
  readonly parts: Part[];
  /** The line for the entries that did not fit. */
  readonly more: (count: number) => string;
  readonly maxParts?: number;
  readonly maxBytes?: number;
}

/**
 * The email of one sweep: what changed first, then errors, the reminders of
 * deletions within a day, each load balancer with its deletion time and how to
 * stop it, the monthly cost deleted and pending. A digest (`notice.kind`
 * `digest`) lists everything pending by date and what a person should check.
 *
 * Every section counts against one byte budget: new promises and reminders are
 * listed first, then the rest; what does not fit is counted in a line of its
 * section. `named` says exactly which resources (and dates) the message names.
 */
export function composeNotification(report: SweepReport, options: ComposeOptions = {}): Notification {
  const digest = report.notice.kind === 'digest';
  const head: string[] = [
    digest
      ? `nlb-janitor daily digest for ${where(report)} at ${report.finishedAt}: ${summaryLine(report)}.`
      : `nlb-janitor swept ${where(report)} at ${report.finishedAt}: ${summaryLine(report)}.`,
  ];
  if (report.dryRun)
    head.push('This was a DRY RUN: nothing was changed; the report says what a real sweep would do.');
  head.push('');
  const news = report.notice.news;
  if (news.length === 0 && digest)
    head.push('Nothing changed since the last message; the janitor is running.', '');

  const sections = sectionsOf(report);
  const tail = [...costLines(report), '', STOP_A_DELETION, CADENCE];
  const overall = (count: number) => `This message had no room for ${count} entries (${LOGS}); ${LATER}.`;
  const parts = sections.flatMap((section) => section.parts);
  const fixed =
    bytesOf(head) +
    bytesOf(tail) +
    bytesOf([overall(countAll(parts))]) +
    sections
      .filter((section) => section.parts.length > 0)
      .reduce(
        (sum, section) => sum + bytesOf(section.head) + bytesOf([section.more(section.parts.length), '']),
        0,
      );
  const budget = new ByteBudget((options.maxBodyBytes ?? MAX_BODY_BYTES) - fixed);
  selectParts(sections, budget);

  const lines = [...head];
  for (const section of sections) {
    if (section.parts.length === 0) continue;
    lines.push(...section.head);
    for (const part of section.parts) if (part.taken) lines.push(render(part));
    const left = section.parts.filter((part) => !part.taken).length;
    if (left > 0) lines.push(section.more(left));
    lines.push('');
  }
  // Lines of news repeat what the sections say: only the sections' entries count as not shown.
  const omitted = sections
    .slice(1)
    .flatMap((section) => section.parts)
    .reduce(
      (sum, part) =>
        sum + (part.taken ? part.children.filter((child) => !child.taken).length : 1 + part.children.length),
      0,
    );
  if (omitted > 0) lines.push(overall(omitted));
  lines.push(...tail);

  const named = new Map<string, string>();
  for (const part of parts) {
    if (!part.taken) continue;
    for (const [id, date] of part.names) named.set(id, date);
    for (const child of part.children)
      if (child.taken) for (const [id, date] of child.names) named.set(id, date);
  }
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
    named,
    omitted,
  };
}

/** Every section of the email, in the order a person reads them. */
function sectionsOf(report: SweepReport): Section[] {
  const digest = report.notice.kind === 'digest';
  const line = (text: string): Part => ({ text, names: [], promise: false, children: [], taken: false });
  const sections: Section[] = [];
  sections.push({
    head: [digest ? 'NEW SINCE THE LAST MESSAGE' : 'WHAT CHANGED'],
    parts: report.notice.news.map((news) => line(`- ${news}`)),
    more: (count) => `- and ${count} more not shown here`,
    maxParts: MAX_NEWS_LINES,
    maxBytes: MAX_NEWS_BYTES,
  });
  const problems = [
    ...report.clusters
      .filter((cluster) => cluster.status === 'UNVERIFIED')
      .map(
        (cluster) =>
          `Cluster ${cluster.name} could not be read completely, so none of its load balancers were changed: ${cluster.error}`,
      ),
    ...report.clusters.flatMap((cluster) =>
      cluster.heldBack
        ? [[cluster.heldBack, ...describeBreakerUnits(cluster, MAX_EMAILED_BREAKER_UNITS)].join('\n  ')]
        : [],
    ),
    ...report.errors,
  ];
  sections.push({
    head: ['ERRORS'],
    parts: problems.map((problem) => line(`- ${problem}`)),
    more: (count) => `- and ${count} more errors not shown here; ${LOGS}`,
    maxBytes: MAX_ERROR_BYTES,
  });

  const footprint = groupFootprint(report.loadBalancers, report.footprint);
  const blocks = (title: string, entries: readonly LoadBalancerEntry[], promises: boolean): Section => ({
    head: [`${title} (${entries.length})`],
    parts: entries.map((entry) => blockOf(entry, footprint.under.get(entry.arn) ?? [])),
    more: (count) => `… and ${count} more not shown here; ${promises ? `${LATER}; ` : ''}${LOGS}.`,
  });
  sections.push(
    blocks(
      'REMINDER: DELETED WITHIN 24 HOURS UNLESS STOPPED',
      report.loadBalancers.filter((entry) => entry.reminder),
      true,
    ),
  );
  // Marks the janitor will not act on without the opt-in get a section of their own: the
  // sections of marked and pending load balancers promise a deletion time.
  const awaiting = (entry: LoadBalancerEntry) =>
    waitsForOptIn(entry, report.settings.deleteWhenClusterMissing);
  for (const { outcome, title } of SECTIONS) {
    const entries = report.loadBalancers.filter(
      (entry) => entry.outcome === outcome && !entry.reminder && !awaiting(entry),
    );
    sections.push(
      blocks(
        title,
        digest && outcome === 'pending' ? byDeletionTime(entries) : entries,
        outcome === 'marked' || outcome === 'announced',
      ),
    );
    if (outcome === 'announced')
      sections.push(blocks(AWAITING_OPT_IN_TITLE, report.loadBalancers.filter(awaiting), true));
  }
  const gatewaysGone = report.gatewaysGone ?? [];
  sections.push({
    head: [`SERVICES WHOSE GATEWAY IS GONE (${gatewaysGone.length}; report only, nothing is deleted)`],
    parts: gatewaysGone.map((entry) =>
      line(`* cluster ${entry.cluster}, Service ${entry.service}: ${entry.detail}`),
    ),
    more: (count) => `… and ${count} more not shown here; ${LOGS}.`,
  });
  sections.push({
    head: [
      `TARGET GROUPS, SECURITY GROUPS AND NODE RULES WITHOUT A LOAD BALANCER (${footprint.alone.length})`,
    ],
    parts: footprint.alone.map((entry) => ({
      ...footprintPart(entry, '* '),
      text: `* ${describeFootprint(entry)}\n  cluster ${entry.cluster}, made for ${entry.owner}`,
    })),
    more: (count) => `… and ${count} more not shown here; ${LATER}; ${LOGS}.`,
  });
  if (digest) {
    const toCheck = report.skipped.filter((skipped) => SKIPS_TO_CHECK.includes(skipped.reason));
    sections.push({
      head: [`SKIPPED, TO CHECK (${toCheck.length}): tags the janitor cannot read as one owner`],
      parts: toCheck.map((skipped) => line(`* ${skipped.name}: ${skipped.reason}\n  ${skipped.arn}`)),
      more: (count) => `… and ${count} more not shown here; ${LOGS}.`,
    });
  }
  return sections;
}

/**
 * Chooses what is listed: the errors and the news within their shares first (a
 * person must see them), then every part that carries a promise or a reminder,
 * then the rest, each in the order it is read; a part is listed whole or not at all.
 */
function selectParts(sections: readonly Section[], budget: ByteBudget): void {
  const capped = sections.filter((section) => section.maxBytes !== undefined);
  for (const section of capped) {
    let spent = 0;
    let count = 0;
    for (const part of section.parts) {
      const bytes = partBytes(part);
      if (count >= (section.maxParts ?? Number.POSITIVE_INFINITY)) break;
      if (spent + bytes > (section.maxBytes ?? 0) || !budget.take(bytes)) continue;
      part.taken = true;
      spent += bytes;
      count += 1;
    }
  }
  const rest = sections
    .filter((section) => section.maxBytes === undefined)
    .flatMap((section) => section.parts);
  const claims = (part: Part) => part.promise || part.children.some((child) => child.promise);
  for (const first of [true, false]) {
    for (const part of rest) {
      if (!part.taken && (claims(part) || !first) && budget.take(partBytes(part))) part.taken = true;
      if (!part.taken) continue;
      for (const child of part.children) {
        if (!child.taken && (child.promise || !first) && budget.take(partBytes(child))) child.taken = true;
      }
    }
  }
}

/** A part's bytes with its newline, and room for the line saying what of its children did not fit. */
function partBytes(part: Part): number {
  return (
    bytesOf([part.text]) + (part.children.length > 0 ? bytesOf([childrenMore(part.children.length)]) : 0)
  );
}

function childrenMore(count: number): string {
  return `  … and ${count} more of its target groups, security groups and node rules not shown here`;
}

function render(part: Part): string {
  if (part.children.length === 0) return part.text;
  const lines = [part.text, ...part.children.filter((child) => child.taken).map((child) => child.text)];
  const left = part.children.filter((child) => !child.taken).length;
  if (left > 0) lines.push(childrenMore(left));
  return lines.join('\n');
}

function bytesOf(lines: readonly string[]): number {
  return lines.reduce((sum, text) => sum + utf8Bytes(text) + 1, 0);
}

function countAll(parts: readonly Part[]): number {
  return parts.reduce((sum, part) => sum + 1 + part.children.length, 0);
}

/** A resource with a date a delivery may record: a new promise, or the reminder of one. */
function isPromise(entry: LoadBalancerEntry | FootprintEntry): boolean {
  return entry.reminder || entry.outcome === 'marked' || entry.outcome === 'announced';
}

/** The date the message gives a resource, when it gives one. */
function namedDate(id: string, entry: LoadBalancerEntry | FootprintEntry): (readonly [string, string])[] {
  const as = namedAs(entry);
  return as === undefined ? [] : [[id, as]];
}

function blockOf(entry: LoadBalancerEntry, footprint: readonly FootprintEntry[]): Part {
  return {
    text: describeEntry(entry),
    names: namedDate(entry.arn, entry),
    promise: isPromise(entry),
    children: footprint.map((resource) => footprintPart(resource, '  with ')),
    taken: false,
  };
}

function footprintPart(entry: FootprintEntry, prefix: string): Part {
  return {
    text: `${prefix}${describeFootprint(entry)}`,
    names: namedDate(entry.id, entry),
    promise: isPromise(entry),
    children: [],
    taken: false,
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

/** A load balancer's block; the footprint made with it follows it (blockOf). */
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
  lines.push(`  estimated cost: ${costText(entry)}`);
  if (entry.detail) lines.push(`  ${entry.detail}`);
  const deleted = entry.deletedTargetGroups ?? [];
  if (deleted.length > 0) {
    const more = deleted.length - MAX_DELETED_TARGET_GROUPS;
    lines.push(
      `  target groups: ${deleted.slice(0, MAX_DELETED_TARGET_GROUPS).join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    );
  }
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
  return ascii.length <= SNS_MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, SNS_MAX_SUBJECT_LENGTH - 3)}...`;
}

/** Account and region, so reports from many accounts can share one topic. */
function where(report: SweepReport): string {
  return report.account === undefined ? report.region : `${report.account} ${report.region}`;
}
