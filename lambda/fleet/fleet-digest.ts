import { STOP_A_DELETION } from '../report/stop-a-deletion';
import { type FleetMember, memberKey, silentMembers } from './fleet-member';
import type { FleetSummary } from './fleet-summary';

/** SNS's subject limit, in characters. */
const MAX_SUBJECT = 100;

export interface FleetDigest {
  readonly subject: string;
  readonly message: string;
  /** The members listed as silent. */
  readonly silent: readonly FleetMember[];
}

/**
 * One digest for the whole organization, from the latest summary of each member:
 * totals first, then what needs a person (silent members, deletions within 24
 * hours, clusters the janitor cannot read, errors), then one line per account and
 * region with anything to say. A member with nothing to say is only counted.
 */
export function composeFleetDigest(
  members: readonly FleetMember[],
  options: { readonly now: Date; readonly silentAfterMs: number },
): FleetDigest {
  const silent = silentMembers(members, options.now, options.silentAfterMs);
  const silentKeys = new Set(silent.map((member) => memberKey(member.summary)));
  const where = (summary: FleetSummary) => `${summary.account} ${summary.region}`;
  const accounts = new Set(members.map((member) => member.summary.account));
  const regions = new Set(members.map((member) => member.summary.region));
  const sum = (pick: (member: FleetMember) => number) =>
    members.reduce((total, member) => total + pick(member), 0);
  const due = members
    .flatMap((member) => member.summary.due.map((item) => ({ member, item })))
    .sort((a, b) => a.item.deletesAt.localeCompare(b.item.deletesAt));
  const unverified = members.flatMap((member) =>
    member.summary.unverified.map((cluster) => ({ member, cluster })),
  );
  const errors = members.flatMap((member) => member.summary.errors.map((error) => ({ member, error })));
  const dryRun = members.filter((member) => member.summary.dryRun).length;
  const versions = new Set(members.map((member) => member.summary.version));

  const lines: string[] = [
    `nlb-janitor fleet digest at ${options.now.toISOString()}: ${members.length} member janitors ` +
      `in ${accounts.size} accounts and ${regions.size} regions.`,
    '',
    'TOTALS (since the last digest; pending as of each latest sweep)',
    `- deleted: ${sum((m) => m.sinceDigest.deleted)}, newly marked: ${sum((m) => m.sinceDigest.marked)}, ` +
      `failed actions: ${sum((m) => m.sinceDigest.failed)}`,
    `- pending deletion: ${sum((m) => m.summary.counts.pending)}, due within 24 hours: ${due.length}, ` +
      `estimated pending cost: ${sum((m) => m.summary.estimatedMonthlyPendingUsd).toFixed(2)} USD a month`,
    `- unverified clusters: ${unverified.length}, errors: ${errors.length}, silent members: ${silent.length}`,
    `- in dry run: ${dryRun} of ${members.length}; versions: ${[...versions].sort().join(', ') || 'none'}`,
  ];
  if (silent.length > 0) {
    lines.push(
      '',
      `SILENT: NO SUMMARY FOR MORE THAN ${hours(options.silentAfterMs)} (stopped, failing, or its stack instance broken)`,
    );
    for (const member of silent) {
      lines.push(
        `- ${where(member.summary)}: last summary ${member.receivedAt} ` +
          `(${hours(options.now.getTime() - Date.parse(member.receivedAt))} ago); what it said then is below`,
      );
    }
  }
  if (due.length > 0) {
    lines.push('', 'DELETED WITHIN 24 HOURS UNLESS STOPPED');
    for (const { member, item } of due) {
      lines.push(
        `- ${item.deletesAt} ${where(member.summary)}: ${item.kind} ${item.name} (cluster ${item.cluster})`,
      );
    }
    lines.push(STOP_A_DELETION);
  }
  if (unverified.length > 0) {
    lines.push('', 'CLUSTERS THE JANITOR CANNOT READ (nothing of theirs is changed)');
    for (const { member, cluster } of unverified) {
      lines.push(
        `- ${where(member.summary)}: cluster ${cluster.name}: ${cluster.error}`,
        `  ${cluster.grant}`,
      );
    }
  }
  if (errors.length > 0) {
    lines.push('', 'ERRORS');
    for (const { member, error } of errors) lines.push(`- ${where(member.summary)}: ${error}`);
  }
  const speaking = members.filter(
    (member) => silentKeys.has(memberKey(member.summary)) || somethingToSay(member),
  );
  lines.push('', 'BY ACCOUNT AND REGION (those with anything to say)');
  for (const member of speaking) lines.push(`- ${memberLine(member, silentKeys)}`);
  if (speaking.length === 0) lines.push('- none');
  lines.push(
    `${members.length - speaking.length} other member janitors have nothing to say.`,
    '',
    'Each member janitor sends a summary of every sweep; this digest comes once a day, and a member silent ' +
      'for more than two sweep intervals also raises the fleet alarm. News of a member (a new mark, a deletion) ' +
      'and its alarms reach this topic the hour they happen.',
  );

  const needs = [
    due.length > 0 ? `${due.length} due within 24 h` : '',
    unverified.length > 0 ? `${unverified.length} unverified clusters` : '',
    silent.length > 0 ? `${silent.length} silent` : '',
    errors.length > 0 ? `${errors.length} errors` : '',
  ].filter((part) => part !== '');
  const subject = `nlb-janitor fleet: ${members.length} janitors, ${accounts.size} accounts${
    needs.length > 0 ? `: ${needs.join(', ')}` : ', nothing to act on'
  }`;
  return { subject: subject.slice(0, MAX_SUBJECT), message: lines.join('\n'), silent };
}

function somethingToSay(member: FleetMember): boolean {
  const { summary, sinceDigest } = member;
  return (
    summary.due.length > 0 ||
    summary.unverified.length > 0 ||
    summary.errors.length > 0 ||
    summary.counts.pending > 0 ||
    summary.counts.needsManualAction > 0 ||
    sinceDigest.deleted > 0 ||
    sinceDigest.marked > 0 ||
    sinceDigest.failed > 0
  );
}

function memberLine(member: FleetMember, silent: ReadonlySet<string>): string {
  const { summary, sinceDigest } = member;
  const parts = [
    silent.has(memberKey(summary)) ? `SILENT since ${member.receivedAt}` : '',
    sinceDigest.deleted > 0 ? `${sinceDigest.deleted} deleted` : '',
    sinceDigest.marked > 0 ? `${sinceDigest.marked} newly marked` : '',
    summary.counts.pending > 0 ? `${summary.counts.pending} pending` : '',
    summary.due.length > 0 ? `${summary.due.length} due within 24 h` : '',
    summary.unverified.length > 0 ? `${summary.unverified.length} unverified clusters` : '',
    summary.counts.needsManualAction > 0 ? `${summary.counts.needsManualAction} need manual action` : '',
    sinceDigest.failed > 0 ? `${sinceDigest.failed} failed actions` : '',
    summary.errors.length > 0 ? `${summary.errors.length} errors` : '',
    summary.omitted > 0 ? `${summary.omitted} more items not sent` : '',
  ].filter((part) => part !== '');
  return `${summary.account} ${summary.region}: ${parts.join(', ')}; ${summary.dryRun ? 'dry run' : 'live'}, ${summary.version}`;
}

function hours(ms: number): string {
  // One decimal, and none when it is whole: "2 h", "5 h", "1.5 h".
  return `${Math.round(ms / 360_000) / 10} h`;
}
