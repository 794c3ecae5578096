import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { FLEET_CONTRACT } from '../../contract/fleet';
import { ConfigurationError } from '../config/configuration-error';
import { parseSnsTopicArn, parseTableName } from '../config/setting-parsers';
import type { MetricsSink } from '../report/sweep-metrics';
import { errorText } from '../util/error-text';
import { composeFleetDigest } from './fleet-digest';
import { summaryFromEvent } from './fleet-event';
import { silentMembers } from './fleet-member';
import type { FleetStore } from './fleet-store';

/** CloudWatch namespace and metrics of the fleet function; lib/organization/fleet-digest.ts alarms on them. */
export const FLEET_METRICS_NAMESPACE = FLEET_CONTRACT.metricsNamespace;
export const FLEET_METRICS = { silent: FLEET_CONTRACT.silentMetric, reporting: 'ReportingMembers' } as const;

/** What the schedules send: the daily digest, or the hourly look for silent members. */
export type FleetTask = { readonly fleet: 'digest' } | { readonly fleet: 'watch' };

export interface FleetConfig {
  readonly topicArn: string;
  readonly tableName: string;
  /** A member silent longer than this is named: two of its sweep intervals. */
  readonly silentAfterMs: number;
}

/** Reads FLEET_TABLE, TOPIC_ARN and SILENT_AFTER_MINUTES; throws naming the variable. */
export function readFleetConfig(env: Readonly<Record<string, string | undefined>>): FleetConfig {
  const topicArn = parseSnsTopicArn('TOPIC_ARN', env.TOPIC_ARN ?? '');
  const tableName = parseTableName('FLEET_TABLE', env.FLEET_TABLE ?? '');
  const minutes = Number(env.SILENT_AFTER_MINUTES ?? '120');
  if (topicArn === undefined) throw new ConfigurationError('TOPIC_ARN is required: the central topic');
  if (tableName === undefined) throw new ConfigurationError('FLEET_TABLE is required: the fleet table');
  if (!Number.isInteger(minutes) || minutes < 10 || minutes > 10 * 24 * 60) {
    throw new ConfigurationError(
      `SILENT_AFTER_MINUTES ${JSON.stringify(env.SILENT_AFTER_MINUTES)} is not a whole number of minutes from 10 to 14400`,
    );
  }
  return { topicArn, tableName, silentAfterMs: minutes * 60_000 };
}

export interface FleetHandlerDependencies {
  readonly config: () => FleetConfig;
  readonly store: (config: FleetConfig) => FleetStore;
  readonly sns: SNSClient;
  readonly metrics: MetricsSink;
  readonly clock: () => Date;
  readonly logger: {
    info(message: string, attributes: Record<string, unknown>): void;
    error(message: string, attributes: Record<string, unknown>): void;
  };
}

export type FleetOutcome =
  | { readonly kind: 'recorded'; readonly member: string }
  | { readonly kind: 'digest'; readonly members: number; readonly silent: readonly string[] }
  | { readonly kind: 'watched'; readonly members: number; readonly silent: readonly string[] };

/**
 * The administrator's fleet function: keeps each member's latest sweep summary
 * (an event of the fleet bus), sends one digest a day for the whole organization,
 * and every hour counts the members gone silent (the SilentMembers metric, whose
 * alarm tells the central topic). Throws after logging, so its Errors alarm fires.
 */
export function createFleetHandler(deps: FleetHandlerDependencies) {
  let config: FleetConfig | undefined;
  return async (event: unknown): Promise<FleetOutcome> => {
    try {
      config ??= deps.config();
      const store = deps.store(config);
      const now = deps.clock();
      const task = (event as Partial<FleetTask> | undefined)?.fleet;
      if (task === 'digest' || task === 'watch') {
        const members = await store.members();
        const silent = silentMembers(members, now, config.silentAfterMs);
        deps.metrics.addMetric(FLEET_METRICS.silent, 'Count', silent.length);
        deps.metrics.addMetric(FLEET_METRICS.reporting, 'Count', members.length - silent.length);
        deps.metrics.publishStoredMetrics();
        const names = silent.map((member) => `${member.summary.account}/${member.summary.region}`);
        if (task === 'watch') return { kind: 'watched', members: members.length, silent: names };
        const digest = composeFleetDigest(members, { now, silentAfterMs: config.silentAfterMs });
        await deps.sns.send(
          new PublishCommand({ TopicArn: config.topicArn, Subject: digest.subject, Message: digest.message }),
        );
        await store.digestSent(members);
        deps.logger.info(`fleet digest sent: ${digest.subject}`, { members: members.length, silent: names });
        return { kind: 'digest', members: members.length, silent: names };
      }
      const summary = summaryFromEvent(event);
      await store.record(summary, now);
      return { kind: 'recorded', member: `${summary.account}/${summary.region}` };
    } catch (error) {
      deps.logger.error(`fleet function failed: ${errorText(error)}`, { error: errorText(error) });
      throw error;
    }
  };
}
