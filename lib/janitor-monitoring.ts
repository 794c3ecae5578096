import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

// Must match lambda/report/sweep-metrics.ts: the handler writes, this reads.
const NAMESPACE = 'NlbJanitor';
const SERVICE_DIMENSION = { service: 'nlb-janitor' };

export interface JanitorMonitoringProps {
  readonly function: lambda.IFunction;
  /** Where alarms notify; undefined: alarms without actions (their state is on the dashboards). */
  readonly topic?: sns.ITopic;
}

/** Alarms to the report topic, and the dashboard that shows what the janitor has done. */
export class JanitorMonitoring extends Construct {
  /** The function failed: bad configuration, a sweep that stopped, or a report not published. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** A sweep left a cluster unverified: its load balancers are not being looked after. */
  public readonly unverifiedClustersAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: JanitorMonitoringProps) {
    super(scope, id);
    const metric = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: NAMESPACE,
        metricName,
        dimensionsMap: SERVICE_DIMENSION,
        statistic,
        period: Duration.hours(1),
      });

    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription:
        'nlb-janitor failed: see the function log for the error; no sweep result for this run.',
      metric: props.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.unverifiedClustersAlarm = new cloudwatch.Alarm(this, 'UnverifiedClustersAlarm', {
      alarmDescription:
        'nlb-janitor could not read a cluster completely, so none of its load balancers were looked after. The report names the cluster and the error.',
      metric: metric('UnverifiedClusters', 'Maximum'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.topic !== undefined) {
      const action = new actions.SnsAction(props.topic);
      for (const alarm of [this.errorsAlarm, this.unverifiedClustersAlarm]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(30),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Load balancers the janitor acted on (per hour)',
            width: 12,
            left: [
              metric('LoadBalancersMarked').with({ label: 'marked' }),
              metric('LoadBalancersDeleted').with({ label: 'deleted' }),
              metric('LoadBalancersRecovered').with({ label: 'recovered' }),
              metric('ActionsFailed').with({ label: 'failed or need manual action' }),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Waiting for deletion',
            width: 6,
            left: [metric('LoadBalancersPending', 'Maximum').with({ label: 'pending' })],
          }),
          new cloudwatch.SingleValueWidget({
            title: 'Estimated monthly cost removed (USD, period)',
            width: 6,
            metrics: [metric('EstimatedMonthlySavingsUsd')],
            setPeriodToTimeRange: true,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'ELBv2 describe calls (shared with the controllers) and throttled answers',
            width: 12,
            left: [
              metric('Elbv2DescribeCalls').with({ label: 'describe calls' }),
              metric('Elbv2Throttled').with({ label: 'throttled' }),
            ],
            right: [metric('TaggingApiFallback').with({ label: 'tagging API denied: DescribeTags' })],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Unverified clusters',
            width: 8,
            left: [metric('UnverifiedClusters', 'Maximum').with({ label: 'unverified' })],
          }),
          new cloudwatch.GraphWidget({
            title: 'Sweeps',
            width: 8,
            left: [
              props.function.metricInvocations({ period: Duration.hours(1) }),
              props.function.metricErrors({ period: Duration.hours(1) }),
            ],
            right: [props.function.metricDuration({ period: Duration.hours(1), statistic: 'Maximum' })],
          }),
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            width: 8,
            alarms: [this.errorsAlarm, this.unverifiedClustersAlarm],
          }),
        ],
      ],
    });
  }
}
