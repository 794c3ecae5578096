import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { composeNotification } from './notification';
import { worthTelling } from './summary';
import type { SweepReport } from './sweep-report';

/**
 * Publishes the sweep's email, when there is anything to say. Throws when SNS
 * refuses: the caller keeps the report in its logs and ends non-zero.
 */
export async function publishReport(sns: SNSClient, topicArn: string, report: SweepReport): Promise<boolean> {
  if (!worthTelling(report)) return false;
  const notification = composeNotification(report);
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: notification.subject,
      Message: notification.message,
      MessageAttributes: notification.attributes,
    }),
  );
  return true;
}
