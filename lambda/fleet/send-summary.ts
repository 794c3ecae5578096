import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type FleetSummary, SUMMARY_DETAIL_TYPE, SUMMARY_SOURCE } from './fleet-summary';

/**
 * Puts the summary on the organization's fleet bus. PutEvents answers 200 with
 * failed entries inside: a failed entry throws, as a failed call does.
 */
export async function sendSummary(
  events: EventBridgeClient,
  busArn: string,
  summary: FleetSummary,
): Promise<void> {
  const output = await events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busArn,
          Source: SUMMARY_SOURCE,
          DetailType: SUMMARY_DETAIL_TYPE,
          Detail: JSON.stringify(summary),
        },
      ],
    }),
  );
  const failed = output.Entries?.find((entry) => entry.ErrorCode !== undefined);
  if ((output.FailedEntryCount ?? 0) > 0 || failed !== undefined) {
    throw new Error(
      `the sweep summary was refused by ${busArn}: ${failed?.ErrorCode ?? 'failed'} ${failed?.ErrorMessage ?? ''}`.trim(),
    );
  }
}
