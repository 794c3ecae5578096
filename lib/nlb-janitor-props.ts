import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';

/** A topic that already exists, such as an organization's central report topic. */
export interface ExistingReportTopic {
  /** The topic's ARN; it may be in another account and region. */
  readonly topicArn: string;
  /** The KMS key that encrypts it, which publishing needs. */
  readonly keyArn: string;
}

export interface NlbJanitorProps {
  /**
   * EKS cluster names to sweep; the function's role is mapped into each of them.
   * May be empty when `discoverClusters` is true.
   */
  readonly clusters: readonly string[];
  /**
   * Let `clusters` be empty (organization mode): every sweep reads every EKS
   * cluster of the account and region for claims anyway (eks:ListClusters, and
   * eks:DescribeCluster on all of them), but only configured clusters get an access
   * entry; with this, none do: grant the role access in each (see README
   * "Organization"), and node rules are revoked on any security group.
   * @default false
   */
  readonly discoverClusters?: boolean;
  /**
   * Self-managed clusters (EKS does not know them; their `kubernetes.io/cluster/<name>`
   * tags are on subnets, security groups or instances of a load balancer's VPC)
   * that the janitor, unable to read them, should not let hold that VPC's load
   * balancers: list one only when none of its Services can use another cluster's.
   * @default none: every such cluster holds its VPC
   */
  readonly ignoreUnreadableClusters?: readonly string[];
  /**
   * Publish reports to this topic instead of creating one. Alarms then have no
   * actions: CloudWatch notifies topics of its own region only.
   * @default a new KMS-encrypted topic in this stack
   */
  readonly reportTopic?: ExistingReportTopic;
  /**
   * The role's name, for cluster access entries written ahead of time.
   * @default a name CloudFormation generates
   */
  readonly roleName?: string;
  /**
   * The function's code, already bundled (`index.handler`), e.g. from an S3 bucket.
   * @default the handler bundled into this package when it was built
   */
  readonly code?: lambda.Code;
  /**
   * When sweeps run.
   * @default ScheduleExpression.rate(Duration.hours(1))
   */
  readonly schedule?: scheduler.ScheduleExpression;
  /**
   * When the digest is sent: a sweep invoked with `{"digest": true}` that mails a
   * summary of everything pending, to check and unverified, even when nothing
   * changed, so silence never means the janitor stopped. `false`: no digest.
   * @default ScheduleExpression.cron({ minute: '0', hour: '8' }): daily at 08:00 UTC
   */
  readonly digestSchedule?: scheduler.ScheduleExpression | false;
  /**
   * An SNS topic, mapped to a chat channel in Amazon Q Developer in chat
   * applications, that gets a short custom notification beside each email.
   * If the topic is encrypted with a customer managed key, grant the function's role use of it.
   * @default no chat message (see `createChatTopic`)
   */
  readonly chatTopicArn?: string;
  /**
   * Create the chat topic (encrypted with the report topic's key): map it to a
   * channel in Amazon Q Developer in chat applications. Not with `chatTopicArn`.
   * @default false
   */
  readonly createChatTopic?: boolean;
  /**
   * How long a load balancer stays marked before it may be deleted: `7d`, `36h`, `1d12h`; from `1h` to `365d`.
   * @default '7d'
   */
  readonly gracePeriod?: string;
  /**
   * Deletions per sweep at most (0 to 1000); the rest wait for the next sweep.
   * @default 10
   */
  readonly maxDeletions?: number;
  /**
   * Deletions per cluster and sweep at most (0 to 1000), within `maxDeletions`:
   * one misread cluster cannot use the whole allowance.
   * @default 3
   */
  readonly maxDeletionsPerCluster?: number;
  /**
   * Analyse and report only; nothing is tagged or deleted.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Email addresses subscribed to the report topic (each must confirm the subscription).
   * @default no subscriptions
   */
  readonly alertEmails?: readonly string[];
  /**
   * Also delete load balancers of clusters EKS does not know. Off because
   * self-managed clusters run the AWS Load Balancer Controller too.
   * @default false
   */
  readonly deleteWhenClusterMissing?: boolean;
  /**
   * Circuit breaker: a cluster where the sweep would mark or delete more than
   * this share of its load balancers (and at least 2) is left untouched.
   * @default 0.5
   */
  readonly maxOrphanRatio?: number;
  /**
   * Evidence of use not to read, where a policy (an SCP denying Global
   * Accelerator or us-west-2, say) refuses it: `privatelink`, `vpc-link`,
   * `global-accelerator`. The role gets no permission for them, and every
   * deletion report says they were not checked.
   * @default [] every kind is read
   */
  readonly skipEvidence?: readonly string[];
  /**
   * Create an EKS access entry with AmazonEKSViewPolicy for the function's role in
   * each cluster, in the Kubernetes group `nlb-janitor:gateway-readers` that
   * `deploy/gateway-api/rbac.yaml` lets read Gateways. Needs the cluster's authentication mode to include `API`; set
   * false for clusters on the aws-auth ConfigMap and apply `deploy/aws-auth/` instead.
   * @default true
   */
  readonly createAccessEntries?: boolean;
  /**
   * The VPC to run in, for clusters whose API endpoint is private.
   * @default not in a VPC: the function reaches public cluster endpoints
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets within `vpc`; they need a route to the cluster endpoints and to the ELBv2, EKS and SNS APIs.
   * @default the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups for the function in `vpc`; the cluster's must allow 443 from them.
   * @default a new security group allowing all outbound traffic
   */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * Memory of the function. A sweep of 5,000 load balancers, their 15,000 target
   * groups and 5,000 security groups, and 50,000 Services peaks at about 340 MB
   * (docs/performance.md); 1,024 MB keeps it under half, and buys the CPU that
   * Lambda gives with memory. An hourly sweep of a few seconds costs cents a month.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * The function's timeout; sweeps stop starting changes 30 s before it.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs, which hold every report, are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}
