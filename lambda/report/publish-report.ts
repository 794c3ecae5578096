import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { errorText } from '../util/error-text';
import { composeChatMessage } from './chat-message';
import { MAX_BODY_BYTES } from './message-budget';
import { composeNotification, type Notification } from './notification';
import type { SweepReport } from './sweep-report';

export interface ReportTopics {
  /** The email topic: the report's channel of record. */
  readonly email: string;
  /** An optional topic mapped to a chat channel by Amazon Q Developer in chat applications. */
  readonly chat?: string | undefined;
}

/**
 * What a delivery told people: exactly the resources the published email named,
 * with the date it gave each (only those count as announced or reminded), what
 * failed around it (the chat message), and what a person should know about the
 * delivery itself (a shorter message than composed).
 */
export interface Delivery {
  readonly named: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
  readonly detail?: string | undefined;
}

/**
 * The budgets tried, largest first, when SNS refuses a message as too long (its
 * limit counts what this code cannot see exactly, such as its own encoding): the
 * last lists no entry at all, only the counts of what it had no room for.
 */
export const FALLBACK_BODY_BYTES: readonly number[] = [MAX_BODY_BYTES, 64 * 1024, 0];

/**
 * Publishes the sweep's email, then its chat message, when the report is news or
 * the digest; a `quiet` report publishes nothing. A message SNS refuses as too
 * long is composed again, shorter, down to a summary: never lost. Throws when the
 * email cannot be published: the caller keeps the report in its logs and ends
 * non-zero. A chat message that cannot be published is a warning: the email was
 * the announcement.
 */
export async function publishReport(
  sns: SNSClient,
  topics: ReportTopics,
  report: SweepReport,
): Promise<Delivery> {
  if (report.notice.kind === 'quiet') return { named: new Map(), warnings: [] };
  const { notification, refused } = await publishEmail(sns, topics.email, report);
  const detail =
    refused === undefined
      ? undefined
      : `SNS refused the email as too long (${refused}); a shorter one was published, ${notification.omitted} entries left out`;
  if (topics.chat === undefined) return { named: notification.named, warnings: [], detail };
  try {
    await sns.send(
      new PublishCommand({ TopicArn: topics.chat, Message: JSON.stringify(composeChatMessage(report)) }),
    );
    return { named: notification.named, warnings: [], detail };
  } catch (error) {
    return {
      named: notification.named,
      warnings: [`the chat message could not be published to ${topics.chat}: ${errorText(error)}`],
      detail,
    };
  }
}

async function publishEmail(
  sns: SNSClient,
  topicArn: string,
  report: SweepReport,
): Promise<{ notification: Notification; refused: string | undefined }> {
  let refused: string | undefined;
  for (const maxBodyBytes of FALLBACK_BODY_BYTES) {
    const notification = composeNotification(report, { maxBodyBytes });
    try {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: notification.subject,
          Message: notification.message,
          MessageAttributes: notification.attributes,
        }),
      );
      return { notification, refused };
    } catch (error) {
      if (!isTooLong(error) || maxBodyBytes === FALLBACK_BODY_BYTES.at(-1)) throw error;
      refused ??= errorText(error);
    }
  }
  throw new Error('no budget to publish with');
}

/** SNS's answer to a message over its size limit: InvalidParameter, "Message too long". */
export function isTooLong(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = error.name;
  return (
    (name === 'InvalidParameterException' ||
      name === 'InvalidParameter' ||
      name === 'InvalidParameterValue') &&
    /too long|too large|size|length/i.test(error.message)
  );
}
