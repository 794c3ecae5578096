import { SubscribeCommand } from '@aws-sdk/client-sns';
import { ACCOUNT, REGION, type TestWorld } from './test-world';

/** One message as an SQS subscriber of an SNS topic receives it. */
export interface DeliveredMessage {
  readonly subject: string | undefined;
  readonly message: string;
  readonly attributes: Readonly<Record<string, { Type: string; Value: string }>>;
}

/**
 * An SQS queue subscribed to a topic in the emulator: what a person's mailbox (or
 * a chat channel) would receive, through SNS's real fan-out. SQS is spoken with its
 * Query API over fetch; moto reads the region from the credential scope.
 */
export class Mailbox {
  private constructor(
    private readonly w: TestWorld,
    private readonly queueUrl: string,
  ) {}

  static async subscribe(w: TestWorld, topicArn: string, name: string): Promise<Mailbox> {
    const queueUrl = await createQueue(w, name);
    await w.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
      }),
    );
    return new Mailbox(w, queueUrl);
  }

  /** Every message delivered since the last call, oldest first; each is taken out of the queue. */
  async take(): Promise<DeliveredMessage[]> {
    return (await takeBodies(this.w, this.queueUrl)).map((body) => {
      const envelope = JSON.parse(body) as {
        Subject?: string;
        Message: string;
        MessageAttributes?: Record<string, { Type: string; Value: string }>;
      };
      return {
        subject: envelope.Subject,
        message: envelope.Message,
        attributes: envelope.MessageAttributes ?? {},
      };
    });
  }
}

/** Creates an SQS queue in the emulator and returns its URL. */
export async function createQueue(w: TestWorld, name: string): Promise<string> {
  const created = await sqs(w, { Action: 'CreateQueue', QueueName: name });
  const queueUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(created)?.[1];
  if (queueUrl === undefined) throw new Error(`moto created no queue: ${created}`);
  return queueUrl;
}

/** Every message body on the queue, oldest first; each is taken out of the queue. */
export async function takeBodies(w: TestWorld, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const answer = await sqs(w, { Action: 'ReceiveMessage', QueueUrl: queueUrl, MaxNumberOfMessages: '10' });
    const found = [
      ...answer.matchAll(
        /<Message>[\s\S]*?<ReceiptHandle>([^<]+)<\/ReceiptHandle>[\s\S]*?<Body>([\s\S]*?)<\/Body>/g,
      ),
    ];
    if (found.length === 0) return bodies;
    for (const [, receipt, body] of found) {
      bodies.push(unescapeXml(body ?? ''));
      await sqs(w, { Action: 'DeleteMessage', QueueUrl: queueUrl, ReceiptHandle: receipt ?? '' });
    }
  }
}

/** One SQS Query API call to the emulator, answered as XML. */
export async function sqs(w: TestWorld, params: Record<string, string>): Promise<string> {
  const response = await fetch(`${w.moto.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAJANITORTEST00001/20260101/${REGION}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`SQS ${params.Action}: HTTP ${response.status} ${text}`);
  return text;
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x?([0-9a-f]+);/gi, (_, code: string) =>
      String.fromCodePoint(Number.parseInt(code, /^x/i.test(_.slice(2)) ? 16 : 10)),
    )
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
