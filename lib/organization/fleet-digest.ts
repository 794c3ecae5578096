import * as path from 'node:path';
import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FLEET_CONTRACT } from '../../contract/fleet';
import { JANITOR_RUNTIME } from '../nlb-janitor';

export { FLEET_CONTRACT };

export interface FleetDigestProps {
  /** Where members' summaries arrive. */
  readonly bus: events.IEventBus;
  /** Where the digest and the silent-member alarm go. */
  readonly topic: sns.ITopic;
  /** The members' sweep interval: a member silent for more than two of them is named. */
  readonly sweepInterval: Duration;
  /**
   * When the fleet digest goes out.
   * @default 08:00 UTC every day
   */
  readonly digestSchedule?: scheduler.ScheduleExpression;
}

/**
 * The administrator's view of the fleet: a table with the latest summary of each
 * member janitor (account and region), a function that records each summary from
 * the fleet bus, sends one digest a day for the whole organization and, every hour,
 * counts the members gone silent; an alarm on that count tells the central topic
 * the hour a member falls silent.
 */
export class FleetDigest extends Construct {
  public readonly table: dynamodb.Table;
  public readonly function: nodejs.NodejsFunction;
  public readonly summaryRule: events.Rule;
  public readonly digestSchedule: scheduler.Schedule;
  public readonly watchSchedule: scheduler.Schedule;
  public readonly silentMembersAlarm: cloudwatch.Alarm;
  public readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FleetDigestProps) {
    super(scope, id);
    const silentAfter = props.sweepInterval.toMinutes() * 2;
    this.table = new dynamodb.Table(this, 'Members', {
      partitionKey: { name: FLEET_CONTRACT.keyAttribute, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // An account that left the organization is forgotten after 30 days of silence.
      timeToLiveAttribute: FLEET_CONTRACT.expiryAttribute,
      // Rebuilt by the next sweep of every member.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "nlb-janitor fleet: keeps the members' summaries, sends the fleet digest",
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeepMemberSummaries',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Scan'],
        resources: [this.table.tableArn],
      }),
    );
    logGroup.grantWrite(role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: "nlb-janitor fleet: the members' summaries, the daily fleet digest, silent members",
      entry: path.join(__dirname, '..', '..', 'lambda', 'fleet', 'fleet-lambda.ts'),
      handler: 'handler',
      runtime: JANITOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(2),
      // One at a time: recording a summary reads, then writes, its member's counters.
      reservedConcurrentExecutions: 1,
      role,
      logGroup,
      environment: {
        FLEET_TABLE: this.table.tableName,
        TOPIC_ARN: props.topic.topicArn,
        SILENT_AFTER_MINUTES: String(silentAfter),
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        externalModules: [],
        mainFields: ['module', 'main'],
        forceDockerBundling: false,
      },
    });
    props.topic.grantPublish(this.function);

    this.summaryRule = new events.Rule(this, 'Summaries', {
      eventBus: props.bus,
      description: "nlb-janitor fleet: a member's sweep summary, kept as its latest",
      eventPattern: {
        source: [FLEET_CONTRACT.summarySource],
        detailType: [FLEET_CONTRACT.summaryDetailType],
      },
      targets: [
        new eventTargets.LambdaFunction(this.function, { retryAttempts: 8, maxEventAge: Duration.hours(6) }),
      ],
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets EventBridge Scheduler run the nlb-janitor fleet digest and watch',
    });
    const invoke = (task: 'digest' | 'watch', retryAttempts: number) =>
      new targets.LambdaInvoke(this.function, {
        role: schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ fleet: task }),
        retryAttempts,
        maxEventAge: Duration.hours(1),
      });
    this.digestSchedule = new scheduler.Schedule(this, 'DigestSchedule', {
      description: 'Sends the nlb-janitor fleet digest',
      schedule: props.digestSchedule ?? scheduler.ScheduleExpression.cron({ minute: '0', hour: '8' }),
      target: invoke('digest', 3),
    });
    this.watchSchedule = new scheduler.Schedule(this, 'WatchSchedule', {
      description: 'Counts nlb-janitor members gone silent',
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: invoke('watch', 0),
    });

    const action = new actions.SnsAction(props.topic);
    this.silentMembersAlarm = new cloudwatch.Alarm(this, 'SilentMembersAlarm', {
      alarmDescription: `nlb-janitor members sent no sweep summary for more than ${silentAfter} minutes (two sweep intervals): stopped, failing, or their stack instance is broken. The fleet digest names them.`,
      metric: new cloudwatch.Metric({
        namespace: FLEET_CONTRACT.metricsNamespace,
        metricName: FLEET_CONTRACT.silentMetric,
        dimensionsMap: { service: 'nlb-janitor-fleet' },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        'The nlb-janitor fleet function failed: summaries may be lost or the digest not sent; see its log.',
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [this.silentMembersAlarm, this.errorsAlarm]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    const logicalId = (construct: Construct) =>
      Stack.of(this).getLogicalId(construct.node.defaultChild as CfnResource);
    const acknowledge = (scopeOf: Construct, finding: string, reason: string) =>
      Validations.of(scopeOf).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    acknowledge(
      role,
      `Resource::<${logicalId(logGroup)}.Arn>:*`,
      'Log streams of its own log group are created at run time.',
    );
    acknowledge(
      role,
      'Action::kms:GenerateDataKey*',
      'Publishing to the encrypted central topic needs data keys of its KMS key (topic.grantPublish).',
    );
    acknowledge(
      schedulerRole,
      `Resource::<${logicalId(this.function)}.Arn>:*`,
      "EventBridge Scheduler's Lambda target grants invoke on the function and its versions.",
    );
  }
}
