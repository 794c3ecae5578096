import { EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { AwsCredentials } from './kubernetes/eks-token';

export interface AwsClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly eks: EKSClient;
  readonly sns: SNSClient;
  readonly region: () => Promise<string>;
  /** The chain the clients use, for signing EKS tokens with the same identity. */
  readonly credentials: () => Promise<AwsCredentials>;
}

/**
 * The SDK clients, configured from the standard chain (AWS_REGION, AWS_PROFILE,
 * AWS_ENDPOINT_URL, the Lambda role, ...). ELBv2 uses adaptive retries: describe
 * calls share a per-account token bucket with every other tool in the account,
 * and adaptive mode slows down instead of hammering it.
 */
export function createAwsClients(): AwsClients {
  const elbv2 = new ElasticLoadBalancingV2Client({ retryMode: 'adaptive', maxAttempts: 8 });
  const eks = new EKSClient({ maxAttempts: 5 });
  const sns = new SNSClient({ maxAttempts: 5 });
  return {
    elbv2,
    eks,
    sns,
    region: () => eks.config.region(),
    credentials: () => eks.config.credentials(),
  };
}
