import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { chunk, mapWithConcurrency } from '../util/concurrency';
import { errorText } from '../util/error-text';
import type { EvidenceFinding, EvidenceSource, EvidenceSubject } from './evidence';

/** GetMetricData takes at most 500 queries a call. */
export const MAX_QUERIES_PER_CALL = 500;
const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;

/**
 * What counts as use rather than the background every internet-facing address
 * receives. Scanners (Shodan, Censys, botnets probing for open ports) open a
 * handful of short flows an hour on each listener port of each of the load
 * balancer's addresses, and send a few hundred bytes each: on the order of 100
 * flows and well under 1 MiB a day for a typical two- or three-zone NLB. The
 * defaults sit an order of magnitude above that and far below the least used
 * real service (one client polling once a minute is 1,440 flows a day; a
 * health-checking upstream or a batch job moves megabytes):
 */
export interface TrafficThresholds {
  /** In use when NewFlowCount over the window averages more than this a day. @default 1000 */
  readonly newFlowsPerDay: number;
  /** In use when ProcessedBytes over the window averages more than this a day. @default 10 MiB */
  readonly processedBytesPerDay: number;
  /**
   * With `sustainedPeriodRatio`: in use when at least that share of the window's
   * periods had this many flows open at once (ActiveFlowCount Maximum). A
   * connection pool (a database or queue client holding 5 to 10 connections)
   * opens few flows and moves few bytes but is open all the time. A single
   * open flow is not enough: scanners hit a popular port every hour or so, and
   * their few-second flows make the hourly maximum 1 in most hours. @default 5
   */
  readonly sustainedActiveFlows: number;
  /** @default 0.5 */
  readonly sustainedPeriodRatio: number;
}

export const DEFAULT_TRAFFIC_THRESHOLDS: TrafficThresholds = {
  newFlowsPerDay: 1_000,
  processedBytesPerDay: 10 * MIB,
  sustainedActiveFlows: 5,
  sustainedPeriodRatio: 0.5,
};

export interface TrafficSettings {
  /** How far back to look; the grace period, so a load balancer idle that long is idle. */
  readonly lookbackMs: number;
  /** Seconds a datapoint; 3600 keeps a 455-day history available. @default 3600 */
  readonly periodSeconds?: number;
  /** @default DEFAULT_TRAFFIC_THRESHOLDS */
  readonly thresholds?: Partial<TrafficThresholds>;
  /** GetMetricData calls in flight. @default 2 */
  readonly concurrency?: number;
  readonly now: () => Date;
}

const METRICS = [
  { name: 'NewFlowCount', stat: 'Sum' },
  { name: 'ProcessedBytes', stat: 'Sum' },
  // A gauge of concurrent flows: a sum over an hour adds up samples and means nothing; the maximum is the peak.
  { name: 'ActiveFlowCount', stat: 'Maximum' },
] as const;
type MetricName = (typeof METRICS)[number]['name'];

/**
 * Traffic through a load balancer, from CloudWatch (namespace AWS/NetworkELB,
 * dimension LoadBalancer). NLB metrics are published only while something flows:
 * no datapoints is no traffic. Calls per collect: GetMetricData ⌈3 × subjects /
 * 500⌉ times (three queries a subject, packed 500 a call), plus a call per extra
 * page (NextToken). A failed call is `unknown` for the subjects it had queries in.
 */
export function trafficEvidence(cloudWatch: CloudWatchClient, settings: TrafficSettings): EvidenceSource {
  const periodSeconds = settings.periodSeconds ?? 3600;
  const thresholds = { ...DEFAULT_TRAFFIC_THRESHOLDS, ...settings.thresholds };
  return {
    kind: 'traffic',
    async collect(subjects: readonly EvidenceSubject[]) {
      const findings = new Map<string, EvidenceFinding>();
      const end = settings.now();
      const start = new Date(end.getTime() - settings.lookbackMs);
      const queries: { query: MetricDataQuery; subject: number; metric: MetricName }[] = [];
      subjects.forEach((subject, index) => {
        const dimension = loadBalancerDimension(subject.arn);
        if (dimension === undefined) {
          findings.set(subject.arn, { kind: 'unknown', error: `no CloudWatch dimension for ${subject.arn}` });
          return;
        }
        for (const metric of METRICS) {
          queries.push({
            subject: index,
            metric: metric.name,
            query: {
              Id: `q${queries.length}`,
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/NetworkELB',
                  MetricName: metric.name,
                  Dimensions: [{ Name: 'LoadBalancer', Value: dimension }],
                },
                Period: periodSeconds,
                Stat: metric.stat,
              },
              ReturnData: true,
            },
          });
        }
      });

      const queryIds = new Map(queries.map((q) => [`${q.subject}/${q.metric}`, q.query.Id ?? '']));
      const values = new Map<string, number[]>();
      const failures = new Map<number, string>();
      await mapWithConcurrency(
        chunk(queries, MAX_QUERIES_PER_CALL),
        settings.concurrency ?? 2,
        async (batch) => {
          try {
            const incomplete = await readBatch(cloudWatch, batch, start, end, values);
            for (const item of batch) {
              const status = incomplete.get(item.query.Id ?? '');
              if (status !== undefined) failures.set(item.subject, `GetMetricData ${item.metric}: ${status}`);
            }
          } catch (error) {
            for (const item of batch) failures.set(item.subject, errorText(error));
          }
        },
      );

      const days = settings.lookbackMs / DAY_MS;
      const periods = Math.max(1, Math.floor(settings.lookbackMs / (periodSeconds * 1000)));
      subjects.forEach((subject, index) => {
        if (findings.has(subject.arn)) return;
        const failure = failures.get(index);
        if (failure !== undefined) {
          findings.set(subject.arn, { kind: 'unknown', error: failure });
          return;
        }
        const of = (metric: MetricName) => values.get(queryIds.get(`${index}/${metric}`) ?? '') ?? [];
        const newFlows = sum(of('NewFlowCount'));
        const bytes = sum(of('ProcessedBytes'));
        const activePeriods = of('ActiveFlowCount').filter(
          (value) => value >= thresholds.sustainedActiveFlows,
        ).length;
        const reasons: string[] = [];
        if (newFlows / days > thresholds.newFlowsPerDay) {
          reasons.push(
            `${Math.round(newFlows / days)} new flows a day (threshold ${thresholds.newFlowsPerDay})`,
          );
        }
        if (bytes / days > thresholds.processedBytesPerDay) {
          reasons.push(
            `${(bytes / days / MIB).toFixed(1)} MiB processed a day (threshold ${(thresholds.processedBytesPerDay / MIB).toFixed(1)} MiB)`,
          );
        }
        if (activePeriods / periods >= thresholds.sustainedPeriodRatio) {
          reasons.push(
            `${thresholds.sustainedActiveFlows} or more flows open at once in ${activePeriods} of ${periods} periods of ${periodSeconds} s`,
          );
        }
        findings.set(
          subject.arn,
          reasons.length === 0
            ? { kind: 'clear' }
            : {
                kind: 'in-use',
                uses: [
                  `traffic over the last ${formatDays(days)}: ${reasons.join(', ')}: something still connects to it`,
                ],
              },
        );
      });
      return findings;
    },
  };
}

/**
 * One call's queries, every page. Returns the queries whose final status is
 * not Complete (Forbidden, InternalError, PartialData without a next page).
 */
async function readBatch(
  cloudWatch: CloudWatchClient,
  batch: readonly { query: MetricDataQuery }[],
  start: Date,
  end: Date,
  into: Map<string, number[]>,
): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  let nextToken: string | undefined;
  do {
    const output = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: batch.map((item) => item.query),
        StartTime: start,
        EndTime: end,
        NextToken: nextToken,
      }),
    );
    for (const result of output.MetricDataResults ?? []) {
      if (result.Id === undefined) continue;
      into.set(result.Id, [...(into.get(result.Id) ?? []), ...(result.Values ?? [])]);
      status.set(result.Id, result.StatusCode ?? 'Complete');
    }
    nextToken = output.NextToken;
  } while (nextToken !== undefined);
  const incomplete = new Map<string, string>();
  for (const { query } of batch) {
    const code = status.get(query.Id ?? '') ?? 'no result';
    if (code !== 'Complete') incomplete.set(query.Id ?? '', code);
  }
  return incomplete;
}

/**
 * The LoadBalancer dimension: the ARN after `:loadbalancer/`, which for a network
 * load balancer is `net/<name>/<id>` (the form CloudWatch documents).
 */
export function loadBalancerDimension(arn: string): string | undefined {
  const match = /:loadbalancer\/((?:net|app|gwy)\/[^/]+\/[^/]+)$/.exec(arn);
  return match?.[1];
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? `${days}d` : `${(days * 24).toFixed(0)}h`;
}
