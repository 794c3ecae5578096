import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SNSClient } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { EvidenceClients } from './evidence/default-sources';
import { createGlobalAcceleratorClient } from './evidence/global-accelerator';
import {
  DEFAULT_ELBV2_PACING,
  type Elbv2PacingOptions,
  type Elbv2Usage,
  paceElbv2DescribeCalls,
} from './inventory/elbv2-pacing';
import type { AwsCredentials } from './kubernetes/eks-token';

export interface AwsClients {
  /** Every describe call paced to a share of ELBv2's per-account bucket; see elbv2Usage. */
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** The pacing's counters: describe calls, throttled answers, time waited. */
  readonly elbv2Usage: () => Elbv2Usage;
  /** The Resource Groups Tagging API, for reading tags outside ELBv2's describe bucket. */
  readonly tagging: ResourceGroupsTaggingAPIClient;
  /** Security groups and their rules: the load balancers' footprint. */
  readonly ec2: EC2Client;
  readonly eks: EKSClient;
  readonly sns: SNSClient;
  /**
   * A client in the topic's region: SNS accepts a topic ARN only in its own region,
   * and an organization's central topic may be in another region than the function.
   */
  readonly snsFor: (topicArn: string) => Promise<SNSClient>;
  /** Read-only clients for evidence of use. */
  readonly evidenceClients: EvidenceClients;
  /** The janitor's own memory table (lambda/memory/table-memory.ts). */
  readonly dynamodb: DynamoDBClient;
  /** A client in the bus's region: the central event bus of an organization is in the administrator's region. */
  readonly eventsFor: (busArn: string) => Promise<EventBridgeClient>;
  readonly region: () => Promise<string>;
  /** The chain the clients use, for signing EKS tokens with the same identity. */
  readonly credentials: () => Promise<AwsCredentials>;
}

/** Limits on one attempt of one AWS call, in milliseconds. */
export interface AwsRequestTimeouts {
  /** TCP and TLS set-up with the endpoint. */
  readonly connectionTimeoutMs: number;
  /** From sending the request to the response's headers; also the most a response body may stall. */
  readonly requestTimeoutMs: number;
}

/**
 * The SDK waits forever by default; these make a call that hangs (a black-holed
 * route in a VPC, a connection stalled mid-response) fail and be retried
 * instead, so the sweep ends with an error of its own before Lambda's timeout
 * kills it silently. A connection to a regional AWS endpoint takes milliseconds;
 * 5 s only cuts one that will not come. The calls answer small pages (400 load
 * balancers, 20 ARNs' tags) and normally take well under a second; 15 s is far
 * above that, yet even ELBv2's 8 attempts of a call that always stalls give up
 * after about 8 x 20 s = 160 s plus backoff, inside the function's default
 * 5 minutes.
 */
export const AWS_REQUEST_TIMEOUTS: AwsRequestTimeouts = {
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
};

/** An HTTP handler for one SDK client that enforces the timeouts. One per client: destroying a client destroys its handler. */
export function awsRequestHandler(timeouts: AwsRequestTimeouts = AWS_REQUEST_TIMEOUTS): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: timeouts.connectionTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // Without it, a passed requestTimeout only logs a warning and the call keeps waiting.
    throwOnRequestTimeout: true,
    // requestTimeout stops counting once the headers arrive; an idle socket after that is cut here.
    socketTimeout: timeouts.requestTimeoutMs,
  });
}

/**
 * The SDK clients, configured from the standard chain (AWS_REGION, AWS_PROFILE,
 * AWS_ENDPOINT_URL, the Lambda role, ...), each with the request timeouts above.
 * ELBv2's describe calls share a per-account token bucket with every other tool
 * in the account: the client paces them to half the bucket's refill by default,
 * and uses adaptive retries, which slow down after a throttled answer instead of
 * hammering the bucket.
 */
export function createAwsClients(
  pacing: Partial<Omit<Elbv2PacingOptions, 'now' | 'sleep'>> = {},
): AwsClients {
  const elbv2 = new ElasticLoadBalancingV2Client({
    retryMode: 'adaptive',
    maxAttempts: 8,
    requestHandler: awsRequestHandler(),
  });
  const elbv2Usage = paceElbv2DescribeCalls(elbv2, {
    ...DEFAULT_ELBV2_PACING,
    ...pacing,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  // Its own rate limit; a few retries ride out a throttled page.
  const tagging = new ResourceGroupsTaggingAPIClient({
    retryMode: 'adaptive',
    maxAttempts: 5,
    requestHandler: awsRequestHandler(),
  });
  const eks = new EKSClient({ maxAttempts: 5, requestHandler: awsRequestHandler() });
  const sns = new SNSClient({ maxAttempts: 5, requestHandler: awsRequestHandler() });
  const ec2 = new EC2Client({ maxAttempts: 5, requestHandler: awsRequestHandler() });
  const evidenceClients: EvidenceClients = {
    elbv2,
    ec2,
    apiGateway: new APIGatewayClient({ maxAttempts: 5, requestHandler: awsRequestHandler() }),
    cloudWatch: new CloudWatchClient({ maxAttempts: 5, requestHandler: awsRequestHandler() }),
    globalAccelerator: createGlobalAcceleratorClient({ maxAttempts: 5, requestHandler: awsRequestHandler() }),
  };
  const snsByRegion = new Map<string, SNSClient>();
  const eventsByRegion = new Map<string, EventBridgeClient>();
  return {
    elbv2,
    elbv2Usage,
    tagging,
    ec2,
    eks,
    sns,
    snsFor: async (topicArn) => {
      const topicRegion = topicArn.split(':')[3];
      if (topicRegion === undefined || topicRegion === (await sns.config.region())) return sns;
      let client = snsByRegion.get(topicRegion);
      if (client === undefined) {
        client = new SNSClient({ region: topicRegion, maxAttempts: 5, requestHandler: awsRequestHandler() });
        snsByRegion.set(topicRegion, client);
      }
      return client;
    },
    evidenceClients,
    dynamodb: new DynamoDBClient({ maxAttempts: 5, requestHandler: awsRequestHandler() }),
    eventsFor: async (busArn) => {
      const region = busArn.split(':')[3] ?? (await eks.config.region());
      let client = eventsByRegion.get(region);
      if (client === undefined) {
        client = new EventBridgeClient({ region, maxAttempts: 5, requestHandler: awsRequestHandler() });
        eventsByRegion.set(region, client);
      }
      return client;
    },
    region: () => eks.config.region(),
    credentials: () => eks.config.credentials(),
  };
}
