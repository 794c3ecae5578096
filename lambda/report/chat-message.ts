import { truncateUtf8 } from './message-budget';
import { summaryLine } from './summary';
import type { SweepReport } from './sweep-report';

/**
 * A custom notification as Amazon Q Developer in chat applications (formerly AWS
 * Chatbot) accepts it from an SNS topic mapped to a chat channel
 * (docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html): `version`
 * "1.0" and `source` "custom" are required, `content.textType` may only be
 * "client-markdown"; the rest is optional.
 */
export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id?: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: readonly string[];
    readonly keywords?: readonly string[];
  };
  readonly metadata?: {
    readonly threadId?: string;
    readonly summary?: string;
    readonly eventType?: string;
    readonly relatedResources?: readonly string[];
    readonly additionalContext?: Readonly<Record<string, string>>;
  };
}

/** Lines of news and pending deletions shown in chat; the email has them all. */
const MAX_CHAT_LINES = 10;
/** Chat platforms cut long messages (Slack at about 4,000 characters); stay well under, in bytes. */
const MAX_DESCRIPTION_BYTES = 3_000;

/** The short chat message of a sweep: what changed (or, in a digest, what is pending), and the totals. */
export function composeChatMessage(report: SweepReport): ChatNotification {
  const digest = report.notice.kind === 'digest';
  const lines: string[] = [];
  const bullets = (items: readonly string[]) => {
    lines.push(...items.slice(0, MAX_CHAT_LINES).map((item) => `• ${item}`));
    if (items.length > MAX_CHAT_LINES)
      lines.push(`• and ${items.length - MAX_CHAT_LINES} more: see the email`);
  };
  if (report.dryRun) lines.push('_Dry run: nothing was changed._');
  if (report.notice.news.length > 0) bullets(report.notice.news);
  else if (digest) lines.push('Nothing changed since the last message; the janitor is running.');
  if (digest) {
    const pending = report.loadBalancers
      .filter(
        (entry) =>
          entry.deletesAt !== undefined && entry.outcome !== 'deleted' && entry.outcome !== 'recovered',
      )
      .sort((a, b) => (a.deletesAt ?? '').localeCompare(b.deletesAt ?? ''))
      .map((entry) => `\`${entry.name}\` (${entry.cluster}, ${entry.owner}) deletes at ${entry.deletesAt}`);
    if (pending.length > 0) {
      lines.push('*Pending deletion*');
      bullets(pending);
    }
  }
  lines.push(
    `Monthly cost: *${report.estimatedMonthlySavingsUsd.toFixed(2)} USD* deleted in this sweep, ` +
      `*${report.estimatedMonthlyPendingUsd.toFixed(2)} USD* pending deletion` +
      (digest && report.savingsSoFar !== undefined
        ? `, *${report.savingsSoFar.monthlyUsd.toFixed(2)} USD* deleted since ${report.savingsSoFar.since}`
        : ''),
  );
  // Cut in UTF-8 bytes on a character boundary: the chat platforms' limit, well inside SNS's.
  const description = truncateUtf8(lines.join('\n'), MAX_DESCRIPTION_BYTES, '\n… (see the email)');
  const relatedResources = report.loadBalancers
    .filter((entry) => !['pending', 'held', 'deferred'].includes(entry.outcome) || entry.reminder)
    .slice(0, MAX_CHAT_LINES)
    .map((entry) => entry.arn);
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${digest ? ':calendar: nlb-janitor digest' : ':broom: nlb-janitor'} ${report.region}: ${summaryLine(report)}`,
      description,
      ...(report.stopDeletion === undefined ? {} : { nextSteps: [report.stopDeletion] }),
      keywords: ['nlb-janitor', report.region, report.notice.kind],
    },
    metadata: {
      summary: `nlb-janitor ${report.region}: ${summaryLine(report)}`,
      eventType: digest ? 'NlbJanitorDigest' : 'NlbJanitorChange',
      relatedResources,
    },
  };
}
