import { Aws, type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SETTING_DEFAULTS as DEFAULT } from '../contract/settings';
import { evidencePolicyStatements } from './evidence-permissions';
import { handlerCode } from './handler-asset';
import { janitorMemoryTable } from './janitor-memory';
import { JanitorMonitoring } from './janitor-monitoring';
import { janitorPolicyStatements } from './janitor-permissions';
import type { NlbJanitorProps } from './nlb-janitor-props';
import { validateProps } from './validate-props';

/** The Kubernetes group deploy/gateway-api/rbac.yaml lets list Gateways. */
export const GATEWAY_READERS_GROUP = 'nlb-janitor:gateway-readers';

export type { NlbJanitorProps } from './nlb-janitor-props';

/**
 * The scheduled janitor: a function that sweeps the account's network load
 * balancers, a role mapped into each cluster, the report topic, alarms and a dashboard.
 */
export class NlbJanitor extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  /** Where reports go: the topic this construct created, or the existing `reportTopic`. */
  public readonly topic: sns.ITopic;
  /** The topic of the short chat messages, when `chatTopicArn` or `createChatTopic` asks for one. */
  public readonly chatTopic: sns.ITopic | undefined;
  public readonly schedule: scheduler.Schedule;
  /** The daily digest's schedule; undefined when `digestSchedule` is false. */
  public readonly digestSchedule: scheduler.Schedule | undefined;
  public readonly logGroup: logs.LogGroup;
  public readonly alarms: readonly cloudwatch.Alarm[];
  public readonly dashboard: cloudwatch.Dashboard;
  /** The EKS access entries, one per cluster; empty when `createAccessEntries` is false. */
  public readonly accessEntries: readonly eks.CfnAccessEntry[];
  /** What the janitor has said and its savings so far, in its own account and region; only its role reads or writes it. */
  public readonly memoryTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: NlbJanitorProps) {
    super(scope, id);
    validateProps(props);

    this.topic = props.reportTopic
      ? sns.Topic.fromTopicAttributes(this, 'Topic', props.reportTopic)
      : this.createTopic(props.alertEmails ?? []);
    this.chatTopic = props.createChatTopic
      ? new sns.Topic(this, 'ChatTopic', {
          displayName: 'nlb-janitor chat',
          masterKey: this.topicKey,
          enforceSSL: true,
        })
      : props.chatTopicArn === undefined
        ? undefined
        : sns.Topic.fromTopicArn(this, 'ImportedChatTopic', props.chatTopicArn);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'nlb-janitor: reads load balancers and cluster Services, marks and deletes orphaned NLBs',
    });
    const permissions = janitorPolicyStatements(props.clusters, { discoverClusters: props.discoverClusters });
    for (const statement of permissions) this.role.addToPolicy(statement);
    for (const statement of evidencePolicyStatements(props.skipEvidence ?? []))
      this.role.addToPolicy(statement);
    // What was said lives in a table of its own (speak on change), not on the report
    // topic: an organization's central topic is not the members' to tag.
    this.memoryTable = janitorMemoryTable(this, 'Memory', this.role);
    this.logGroup.grantWrite(this.role);

    const functionProps: lambda.FunctionOptions = {
      description: 'Sweeps network load balancers left behind by deleted Kubernetes Services',
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      // Sweeps never overlap.
      reservedConcurrentExecutions: 1,
      role: this.role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpc === undefined ? undefined : props.vpcSubnets,
      securityGroups: props.securityGroups === undefined ? undefined : [...props.securityGroups],
      environment: {
        CLUSTERS: props.clusters.join(','),
        GRACE_PERIOD: props.gracePeriod ?? DEFAULT.gracePeriod,
        MAX_DELETIONS: String(props.maxDeletions ?? DEFAULT.maxDeletions),
        MAX_DELETIONS_PER_CLUSTER: String(props.maxDeletionsPerCluster ?? DEFAULT.maxDeletionsPerCluster),
        DRY_RUN: String(props.dryRun ?? DEFAULT.dryRun),
        DELETE_WHEN_CLUSTER_MISSING: String(
          props.deleteWhenClusterMissing ?? DEFAULT.deleteWhenClusterMissing,
        ),
        MAX_ORPHAN_RATIO: String(props.maxOrphanRatio ?? DEFAULT.maxOrphanRatio),
        SNS_TOPIC_ARN: this.topic.topicArn,
        MEMORY_TABLE: this.memoryTable.tableName,
        SKIP_EVIDENCE: (props.skipEvidence ?? []).join(','),
        ...(props.discoverClusters ? { DISCOVER_CLUSTERS: 'true' } : {}),
        ...((props.ignoreUnreadableClusters ?? []).length > 0
          ? { IGNORE_UNREADABLE_CLUSTERS: (props.ignoreUnreadableClusters ?? []).join(',') }
          : {}),
        ROLE_ARN: this.role.roleArn,
        ...(this.chatTopic === undefined ? {} : { CHAT_TOPIC_ARN: this.chatTopic.topicArn }),
        NODE_OPTIONS: '--enable-source-maps',
      },
    };
    this.function = new lambda.Function(this, 'Function', {
      ...functionProps,
      // The handler prebuilt when the package was built: a user's synth runs no bundler.
      code: props.code ?? handlerCode(),
      handler: 'index.handler',
      runtime: JANITOR_RUNTIME,
    });
    this.topic.grantPublish(this.function);
    this.chatTopic?.grantPublish(this.function);

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets EventBridge Scheduler start nlb-janitor sweeps',
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Runs an nlb-janitor sweep',
      schedule: props.schedule ?? scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new targets.LambdaInvoke(this.function, {
        role: schedulerRole,
        // An empty payload: the sweep the function's environment configures.
        input: scheduler.ScheduleTargetInput.fromObject({}),
        // A failed sweep is not retried; the next scheduled one starts from a fresh read.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(15),
      }),
    });
    const digestSchedule =
      props.digestSchedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '8' });
    this.digestSchedule =
      digestSchedule === false
        ? undefined
        : new scheduler.Schedule(this, 'DigestSchedule', {
            description: 'Runs an nlb-janitor sweep that sends the digest, even when nothing changed',
            schedule: digestSchedule,
            target: new targets.LambdaInvoke(this.function, {
              role: schedulerRole,
              input: scheduler.ScheduleTargetInput.fromObject({ digest: true }),
              // Retried, unlike a sweep: the digest is once a day, and may meet a sweep
              // running at the same moment (reserved concurrency 1 throttles the second).
              retryAttempts: 3,
              maxEventAge: Duration.hours(1),
            }),
          });

    this.accessEntries =
      props.createAccessEntries === false || props.clusters.length === 0
        ? []
        : props.clusters.map(
            (clusterName) =>
              new eks.CfnAccessEntry(this, `AccessEntry-${clusterName}`, {
                clusterName,
                principalArn: this.role.roleArn,
                type: 'STANDARD',
                // AmazonEKSViewPolicy does not cover Gateway API objects; deploy/gateway-api/rbac.yaml
                // lets this group read Gateways.
                kubernetesGroups: [GATEWAY_READERS_GROUP],
                accessPolicies: [
                  {
                    policyArn: `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`,
                    accessScope: { type: 'cluster' },
                  },
                ],
              }),
          );

    const monitoring = new JanitorMonitoring(this, 'Monitoring', {
      function: this.function,
      // CloudWatch alarm actions reach topics of their own region only.
      topic: props.reportTopic ? undefined : this.topic,
    });
    this.alarms = [monitoring.errorsAlarm, monitoring.unverifiedClustersAlarm];
    this.dashboard = monitoring.dashboard;

    const logicalId = (construct: Construct) =>
      Stack.of(this).getLogicalId(construct.node.defaultChild as CfnResource);
    acknowledgeNagFindings(this.role, [
      [
        'Resource::*',
        'ELBv2 and EC2 Describe* actions (and tag:GetResources, eks:ListClusters) support no resource-level permissions.',
      ],
      [
        'Resource::arn:<AWS::Partition>:elasticloadbalancing:<AWS::Region>:<AWS::AccountId>:loadbalancer/net/*/*',
        "Any network load balancer may be orphaned; conditions narrow it: tagging needs an owner tag and the janitor's own marking keys, deleting needs the nlb-janitor/suspect-since mark and no nlb-janitor/ignore tag.",
      ],
      [
        'Resource::arn:<AWS::Partition>:elasticloadbalancing:<AWS::Region>:<AWS::AccountId>:targetgroup/*/*',
        "Target groups are tagged only with the janitor's own keys and deleted only when they carry an owner tag and no nlb-janitor/ignore tag (conditions on aws:ResourceTag).",
      ],
      [
        'Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:security-group/*',
        "Security groups are tagged only with the janitor's own keys and deleted only when they carry a controller's cluster tag and no nlb-janitor/ignore tag; rules are revoked only on groups of a configured cluster (kubernetes.io/cluster/<name>), or, with discovered clusters, on any group not tagged nlb-janitor/ignore: revokes authorize against the group, and no condition key names the rule.",
      ],
      [
        'Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:security-group-rule/*',
        "Node rules are tagged only with the janitor's own marking keys; a rule carries no owner tag to condition on.",
      ],
      [
        'Resource::arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster/*',
        'Every cluster that could claim a load balancer is read, and those EKS lists or whose tags are in the VPCs cannot be named ahead; DescribeCluster is a read of one account and region.',
      ],
      [
        'Action::kms:GenerateDataKey*',
        'Publishing to the encrypted topic needs data keys of its KMS key (topic.grantPublish).',
      ],
      [
        `Resource::<${logicalId(this.logGroup)}.Arn>:*`,
        'Log streams of its own log group are created at run time.',
      ],
    ]);
    acknowledgeNagFindings(schedulerRole, [
      [
        `Resource::<${logicalId(this.function)}.Arn>:*`,
        "EventBridge Scheduler's Lambda target grants invoke on the function and its versions.",
      ],
    ]);
  }

  /** A key of our own: CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key. */
  private topicKey: kms.IKey | undefined;

  private createTopic(alertEmails: readonly string[]): sns.Topic {
    const topicKey = new kms.Key(this, 'TopicKey', {
      description: 'nlb-janitor report topic',
      enableKeyRotation: true,
      // It encrypts only transient notifications: nothing to keep after uninstall.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topicKey = topicKey;
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'nlb-janitor',
      masterKey: topicKey,
      enforceSSL: true,
    });
    for (const email of alertEmails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}

/**
 * Pinned, not NODEJS_LATEST: a runtime change is a reviewed change. 24.x is the
 * newest Lambda offers, supported well past 22.x.
 */
export const JANITOR_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** cdk-nag AwsSolutions findings that are deliberate, each acknowledged with its reason. */
function acknowledgeNagFindings(
  scope: Construct,
  findings: readonly [finding: string, reason: string][],
): void {
  for (const [finding, reason] of findings) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
  }
}
