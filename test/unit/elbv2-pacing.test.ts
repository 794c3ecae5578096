import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  AddTagsCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DEFAULT_ELBV2_PACING, paceElbv2DescribeCalls } from '../../lambda/inventory/elbv2-pacing';
import { TokenBucket } from '../../lambda/util/token-bucket';

/** A clock that only moves when someone sleeps on it. */
function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst go at once, then one call per 1/rate seconds, in order', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 5, burst: 3, ...time });
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async () => {
        await bucket.take();
        at.push(time.now());
      }),
    );
    assert.deepEqual(at, [0, 0, 0, 200, 400, 600, 800]);
  });

  it('refills while idle, never beyond the burst', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2, ...time });
    for (let i = 0; i < 2; i++) await bucket.take();
    await time.sleep(10_000);
    const waits = [];
    for (let i = 0; i < 3; i++) waits.push(await bucket.take());
    assert.deepEqual(waits, [0, 0, 100]);
  });

  it('refuses a shape that could never give a token', () => {
    assert.throws(() => new TokenBucket({ ratePerSecond: 0, burst: 5, ...fakeTime() }), /ratePerSecond > 0/);
    assert.throws(() => new TokenBucket({ ratePerSecond: 5, burst: 0, ...fakeTime() }), /burst >= 1/);
  });
});

const OK_BODIES: Record<string, string> = {
  DescribeTags:
    '<DescribeTagsResponse><DescribeTagsResult><TagDescriptions/></DescribeTagsResult></DescribeTagsResponse>',
  DescribeLoadBalancers:
    '<DescribeLoadBalancersResponse><DescribeLoadBalancersResult><LoadBalancers/></DescribeLoadBalancersResult></DescribeLoadBalancersResponse>',
  AddTags: '<AddTagsResponse><AddTagsResult/></AddTagsResponse>',
};
const THROTTLED =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>';

/** An ELBv2 client whose "network" records the fake time of each request and throttles the first `throttle`. */
function fakeElbv2(time: ReturnType<typeof fakeTime>, throttle = 0, maxAttempts = 1) {
  const sent: { action: string; at: number }[] = [];
  let refused = 0;
  const client = new ElasticLoadBalancingV2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
    maxAttempts,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const action = /Action=(\w+)/.exec(String(request.body))?.[1] ?? '?';
        sent.push({ action, at: time.now() });
        const throttled = action !== 'AddTags' && refused < throttle;
        if (throttled) refused += 1;
        return {
          // An HttpResponse in all but name (the SDK checks its shape).
          response: {
            statusCode: throttled ? 400 : 200,
            headers: { 'content-type': 'text/xml' },
            body: Readable.from([Buffer.from(throttled ? THROTTLED : (OK_BODIES[action] ?? ''))]),
          },
        };
      },
    } as never,
  });
  return { client, sent };
}

describe('ELBv2 describe pacing (SDK middleware)', () => {
  it('defaults to half the account bucket’s refill (5 a second), with a small burst', () => {
    assert.deepEqual(DEFAULT_ELBV2_PACING, { callsPerSecond: 5, burst: 5 });
  });

  it('paces every describe command through one bucket, and leaves mutations alone', async () => {
    const time = fakeTime();
    const { client, sent } = fakeElbv2(time);
    const usage = paceElbv2DescribeCalls(client, { callsPerSecond: 5, burst: 2, ...time });
    await Promise.all([
      client.send(new DescribeLoadBalancersCommand({})),
      client.send(new DescribeTagsCommand({ ResourceArns: ['a'] })),
      client.send(new DescribeTagsCommand({ ResourceArns: ['b'] })),
      client.send(new DescribeLoadBalancersCommand({})),
    ]);
    await client.send(new AddTagsCommand({ ResourceArns: ['a'], Tags: [{ Key: 'k', Value: 'v' }] }));
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 0, 200, 400, 400],
    );
    assert.equal(sent.at(-1)?.action, 'AddTags');
    assert.deepEqual(usage(), { describeCalls: 4, throttled: 0, waitedMs: 400 });
  });

  it('counts throttled answers, and each retry takes its own token', async () => {
    const time = fakeTime();
    const { client, sent } = fakeElbv2(time, 1, 3);
    const usage = paceElbv2DescribeCalls(client, { callsPerSecond: 5, burst: 1, ...time });
    await client.send(new DescribeTagsCommand({ ResourceArns: ['a'] }));
    assert.equal(sent.length, 2);
    assert.equal(usage().describeCalls, 2);
    assert.equal(usage().throttled, 1);
    // The retry waited for a token of its own (the SDK's backoff runs on the real clock, not this one).
    assert.equal(sent[1]?.at, 200);
  });
});
