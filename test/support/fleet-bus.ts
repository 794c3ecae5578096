import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { createQueue, takeBodies } from './mailbox';
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
    if (EventBusArn === undefined) throw new Error('moto made no bus');
    const queueUrl = await createQueue(w, `${name}-catcher`);
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
    // Moto 5.2.1 leaves the envelope's account out of what it delivers to SQS; EventBridge
    // sets it to the sending account, which moto takes from the credentials: the world's.
    return (await takeBodies(this.w, this.queueUrl)).map((body) => ({
      account: ACCOUNT,
      ...(JSON.parse(body) as Record<string, unknown>),
    }));
  }
}
