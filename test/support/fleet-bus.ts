import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { sqs, unescapeXml } from './mailbox';
import { ACCOUNT, REGION, TEST_CREDENTIALS, type TestWorld } from './test-world';

/**
 * The organization's fleet bus in the emulator, with a rule that copies every
 * event to an SQS queue: what the fleet function would receive, as EventBridge
 * delivers it (the envelope's account is the sender's, set by EventBridge).
 */
export class FleetBusCatcher {
  private constructor(
    private readonly w: TestWorld,
    private readonly queueUrl: string,
    readonly busArn: string,
  ) {}

  static async create(w: TestWorld, name = 'nlb-janitor-fleet'): Promise<FleetBusCatcher> {
    const events = new EventBridgeClient({
      endpoint: w.moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: name }));
    const created = await sqs(w, { Action: 'CreateQueue', QueueName: `${name}-catcher` });
    const queueUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(created)?.[1];
    if (queueUrl === undefined || EventBusArn === undefined)
      throw new Error(`moto made no bus or queue: ${created}`);
    await events.send(
      new PutRuleCommand({
        Name: 'catch-all',
        EventBusName: name,
        EventPattern: JSON.stringify({ source: [{ prefix: '' }] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'catch-all',
        EventBusName: name,
        Targets: [{ Id: 'queue', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}-catcher` }],
      }),
    );
    events.destroy();
    return new FleetBusCatcher(w, queueUrl, EventBusArn);
  }

  /** Every event delivered since the last call, oldest first. */
  async take(): Promise<Record<string, unknown>[]> {
    const events: Record<string, unknown>[] = [];
    for (;;) {
      const answer = await sqs(this.w, {
        Action: 'ReceiveMessage',
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: '10',
      });
      const found = [
        ...answer.matchAll(
          /<Message>[\s\S]*?<ReceiptHandle>([^<]+)<\/ReceiptHandle>[\s\S]*?<Body>([\s\S]*?)<\/Body>/g,
        ),
      ];
      if (found.length === 0) return events;
      for (const [, receipt, body] of found) {
        const event = JSON.parse(unescapeXml(body ?? '')) as Record<string, unknown>;
        // Moto 5.2.1 leaves the envelope's account out of what it delivers to SQS; EventBridge
        // sets it to the sending account, which moto takes from the credentials: the world's.
        events.push({ account: ACCOUNT, ...event });
        await sqs(this.w, { Action: 'DeleteMessage', QueueUrl: this.queueUrl, ReceiptHandle: receipt ?? '' });
      }
    }
  }
}
