import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface NlbJanitorProps {
  /** EKS cluster names to sweep. */
  readonly clusters: readonly string[];
  /**
   * When sweeps run.
   * @default every hour
   */
  readonly schedule?: events.Schedule;
  /**
   * How long a load balancer stays marked before it is deleted, e.g. `7d` or `36h`.
   * @default '7d'
   */
  readonly gracePeriod?: string;
  /**
   * Deletions per sweep at most.
   * @default 10
   */
  readonly maxDeletions?: number;
  /**
   * Analyse and report only.
   * @default false
   */
  readonly dryRun?: boolean;
}

/** The scheduled janitor: a function that sweeps, and the topic it reports to. */
export class NlbJanitor extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly topic: sns.Topic;
  public readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: NlbJanitorProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { enforceSSL: true });
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(__dirname, '..', 'lambda', 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 1,
      logGroup,
      environment: {
        CLUSTERS: props.clusters.join(','),
        GRACE_PERIOD: props.gracePeriod ?? '7d',
        MAX_DELETIONS: String(props.maxDeletions ?? 10),
        DRY_RUN: String(props.dryRun ?? false),
        SNS_TOPIC_ARN: this.topic.topicArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        forceDockerBundling: false,
        externalModules: [],
      },
    });
    this.topic.grantPublish(this.function);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeTags',
          'eks:ListClusters',
        ],
        resources: ['*'],
      }),
    );
    this.schedule = new events.Rule(this, 'Schedule', {
      schedule: props.schedule ?? events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
