import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { errorText } from '../util/error-text';
import { composeChatMessage } from './chat-message';
import { composeNotification } from './notification';
import type { SweepReport } from './sweep-report';

export interface ReportTopics {
  /** The email topic: the report's channel of record. */
  readonly email: string;
  /** An optional topic mapped to a chat channel by Amazon Q Developer in chat applications. */
  readonly chat?: string | undefined;
}

/** What went wrong after the email was published; the promises it carried still count. */
export interface PublishOutcome {
  readonly warnings: readonly string[];
}

/**
 * Publishes the sweep's email, then its chat message, when the report is news or
 * the digest; a `quiet` report publishes nothing. Throws when the email cannot be
 * published: the caller keeps the report in its logs and ends non-zero. A chat
 * message that cannot be published is a warning: the email was the announcement.
 */
export async function publishReport(
  sns: SNSClient,
  topics: ReportTopics,
  report: SweepReport,
): Promise<PublishOutcome> {
  if (report.notice.kind === 'quiet') return { warnings: [] };
  const notification = composeNotification(report);
  await sns.send(
    new PublishCommand({
      TopicArn: topics.email,
      Subject: notification.subject,
      Message: notification.message,
      MessageAttributes: notification.attributes,
    }),
  );
  if (topics.chat === undefined) return { warnings: [] };
  try {
    await sns.send(
      new PublishCommand({ TopicArn: topics.chat, Message: JSON.stringify(composeChatMessage(report)) }),
    );
    return { warnings: [] };
  } catch (error) {
    return { warnings: [`the chat message could not be published to ${topics.chat}: ${errorText(error)}`] };
  }
}
