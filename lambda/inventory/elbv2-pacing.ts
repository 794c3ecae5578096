import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { TokenBucket } from '../util/token-bucket';

/**
 * ELBv2's describe calls (DescribeLoadBalancers, DescribeTags, DescribeListeners,
 * DescribeLoadBalancerAttributes, DescribeTargetGroups, DescribeTargetHealth, ...)
 * share one token bucket per account and region: 40 calls, refilling 10 a second,
 * with every AWS Load Balancer Controller in the account
 * (../shared/reference/ownership.md, "ELBv2 limits").
 */
export const ELBV2_DESCRIBE_BUCKET = { capacity: 40, refillPerSecond: 10 } as const;

export interface Elbv2PacingOptions {
  /** Describe calls a second at most, over time. */
  readonly callsPerSecond: number;
  /** Calls that may go at once after a quiet spell. */
  readonly burst: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Half the bucket's refill, so the controllers keep the other half; a burst of 5
 * takes an eighth of the bucket's 40 at most.
 */
export const DEFAULT_ELBV2_PACING: Omit<Elbv2PacingOptions, 'now' | 'sleep'> = {
  callsPerSecond: ELBV2_DESCRIBE_BUCKET.refillPerSecond / 2,
  burst: 5,
};

/** What the paced client sent, counted since it was made: every attempt, retries included. */
export interface Elbv2Usage {
  readonly describeCalls: number;
  /** Describe attempts answered `Throttling`; the SDK's retries ride them out. */
  readonly throttled: number;
  /** Milliseconds describe calls waited for the client's own bucket. */
  readonly waitedMs: number;
}

/** The error codes ELBv2 and the SDK use for a call refused by a rate limit. */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING_CODES.has(error.name);
}

const DESCRIBE_COMMAND = /^Describe\w*Command$/;

/**
 * Paces every describe call of an ELBv2 client through one client-side token
 * bucket, as SDK middleware inside the retry loop: each attempt, retries
 * included, takes a token. Mutations (AddTags, RemoveTags, DeleteLoadBalancer)
 * are limited by other buckets and go unpaced. Returns the client's usage
 * counters, which live as long as the client (a warm Lambda reuses both).
 */
export function paceElbv2DescribeCalls(
  client: ElasticLoadBalancingV2Client,
  options: Elbv2PacingOptions,
): () => Elbv2Usage {
  const bucket = new TokenBucket({
    ratePerSecond: options.callsPerSecond,
    burst: options.burst,
    now: options.now,
    sleep: options.sleep,
  });
  const usage = { describeCalls: 0, throttled: 0, waitedMs: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!DESCRIBE_COMMAND.test(context.commandName ?? '')) return next(args);
      // Awaited first: `usage.waitedMs += await ...` would read the counter before the wait, losing concurrent waits.
      const waited = await bucket.take();
      usage.waitedMs += waited;
      usage.describeCalls += 1;
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(error)) usage.throttled += 1;
        throw error;
      }
    },
    // finalizeRequest runs inside the retry middleware (priority high), once per attempt.
    { step: 'finalizeRequest', priority: 'low', name: 'nlbJanitorElbv2DescribePacing', override: true },
  );
  return () => ({ ...usage });
}
