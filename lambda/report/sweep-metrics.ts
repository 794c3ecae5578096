import { unverifiedClusters } from './summary';
import type { SweepReport } from './sweep-report';

/** CloudWatch namespace of the sweep metrics; the stack's alarms and dashboard read it. */
export const METRICS_NAMESPACE = 'NlbJanitor';

/** The metric names, shared with the stack through this one list. */
export const SWEEP_METRICS = {
  unverifiedClusters: 'UnverifiedClusters',
  marked: 'LoadBalancersMarked',
  pending: 'LoadBalancersPending',
  deleted: 'LoadBalancersDeleted',
  recovered: 'LoadBalancersRecovered',
  failed: 'ActionsFailed',
  savings: 'EstimatedMonthlySavingsUsd',
  /** ELBv2 describe attempts: the janitor's share of the account's describe bucket. */
  elbv2DescribeCalls: 'Elbv2DescribeCalls',
  /** Describe attempts answered Throttling: the bucket ran dry, for the janitor and so for the controllers. */
  elbv2Throttled: 'Elbv2Throttled',
  /** 1 when the tagging API was denied and the inventory read its tags with DescribeTags. */
  taggingApiFallback: 'TaggingApiFallback',
} as const;

/** The slice of Powertools Metrics the handler uses. */
export interface MetricsSink {
  addMetric(name: string, unit: 'Count' | 'None', value: number): unknown;
  publishStoredMetrics(): void;
}

/**
 * One data point per metric per sweep, written as CloudWatch embedded metric
 * format to the log: no PutMetricData permission needed. A dry run emits
 * nothing, so its would-be deletions never show up as deletions.
 */
export function publishSweepMetrics(metrics: MetricsSink, report: SweepReport): void {
  if (report.dryRun) return;
  const { counts } = report;
  metrics.addMetric(SWEEP_METRICS.unverifiedClusters, 'Count', unverifiedClusters(report).length);
  metrics.addMetric(SWEEP_METRICS.marked, 'Count', counts.marked);
  metrics.addMetric(SWEEP_METRICS.pending, 'Count', counts.pending);
  metrics.addMetric(SWEEP_METRICS.deleted, 'Count', counts.deleted);
  metrics.addMetric(SWEEP_METRICS.recovered, 'Count', counts.recovered);
  metrics.addMetric(SWEEP_METRICS.failed, 'Count', counts.failed + counts.needsManualAction);
  metrics.addMetric(SWEEP_METRICS.savings, 'None', report.estimatedMonthlySavingsUsd);
  if (report.api.elbv2DescribeCalls !== undefined) {
    metrics.addMetric(SWEEP_METRICS.elbv2DescribeCalls, 'Count', report.api.elbv2DescribeCalls);
  }
  if (report.api.elbv2Throttled !== undefined) {
    metrics.addMetric(SWEEP_METRICS.elbv2Throttled, 'Count', report.api.elbv2Throttled);
  }
  metrics.addMetric(
    SWEEP_METRICS.taggingApiFallback,
    'Count',
    report.api.tagSource === 'describe-tags' ? 1 : 0,
  );
  metrics.publishStoredMetrics();
}
