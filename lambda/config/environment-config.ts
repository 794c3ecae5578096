import type { SkippableEvidenceKind } from '../../contract/evidence-kinds';
import { SETTING_DEFAULTS as DEFAULT } from '../../contract/settings';
import type { SweepSettings } from '../sweep/sweep-settings';
import { ConfigurationError } from './configuration-error';
import {
  parseBoolean,
  parseClusterList,
  parseEventBusArn,
  parseGracePeriod,
  parseKubernetesClusterList,
  parseMaxDeletions,
  parseRatio,
  parseRoleArn,
  parseSkippedEvidence,
  parseSnsTopicArn,
  parseTableName,
} from './setting-parsers';

/** The function's configuration: sweep settings plus where to report. */
export interface JanitorConfig {
  readonly settings: SweepSettings;
  readonly snsTopicArn: string | undefined;
  /** Evidence-of-use kinds switched off (the report says they were not checked). */
  readonly skipEvidence: readonly SkippableEvidenceKind[];
  /** The function's own role, named in the report when a cluster refuses it. */
  readonly roleArn: string | undefined;
  /** A topic for a short chat message (Amazon Q Developer in chat applications), beside the email. */
  readonly chatTopicArn: string | undefined;
  /** The janitor's own DynamoDB table of what it said; undefined: tags on the report topic (lambda/memory/). */
  readonly memoryTable: string | undefined;
  /** The organization's central event bus, for each sweep's summary; undefined: no summary sent. */
  readonly fleetBusArn: string | undefined;
  /** Which code runs, for the fleet digest. */
  readonly janitorVersion: string;
}

/**
 * The environment variables the stack sets on the function. Each is optional;
 * the defaults are the safe ones.
 */
export const ENVIRONMENT_VARIABLES = {
  CLUSTERS:
    'comma-separated EKS cluster names to sweep; empty: every cluster the load balancers\u2019 tags name',
  GRACE_PERIOD: `how long a load balancer stays marked before deletion, e.g. 7d or 36h (default ${DEFAULT.gracePeriod}, from 1h to 365d)`,
  MAX_DELETIONS: `deletions per sweep at most, 0 to 1000 (default ${DEFAULT.maxDeletions})`,
  MAX_DELETIONS_PER_CLUSTER: `deletions per cluster and sweep at most, 0 to 1000 (default ${DEFAULT.maxDeletionsPerCluster})`,
  DRY_RUN: `true: analyse and report, change nothing (default ${DEFAULT.dryRun})`,
  DELETE_WHEN_CLUSTER_MISSING: `true: also delete load balancers of clusters EKS does not know (default ${DEFAULT.deleteWhenClusterMissing})`,
  MAX_ORPHAN_RATIO: `circuit breaker: the share of a cluster\u2019s load balancers that may turn orphaned in one sweep (default ${DEFAULT.maxOrphanRatio})`,
  SKIP_EVIDENCE:
    'evidence of use not to read, comma-separated: privatelink, vpc-link, global-accelerator (default: none)',
  DISCOVER_CLUSTERS:
    'true, or unset: every EKS cluster of the account and region is always read for claims (eks:ListClusters; a failed list changes nothing); false is refused',
  IGNORE_UNREADABLE_CLUSTERS:
    'comma-separated self-managed clusters (known only from kubernetes.io/cluster/<name> tags) that may stay unread without holding their VPC (default: none)',
  SNS_TOPIC_ARN:
    'topic for the sweep report email, in any region (organization mode: the central topic); empty: no email',
  ROLE_ARN: 'the function\u2019s role, named in how to grant a cluster\u2019s access; empty: a placeholder',
  CHAT_TOPIC_ARN:
    'topic for a short chat message per report (Amazon Q Developer in chat applications); empty: none',
  MEMORY_TABLE:
    'the janitor\u2019s own DynamoDB table of what it has said; empty: tags on the report topic (the CLI\u2019s way)',
  FLEET_BUS_ARN:
    'organization mode: the central event bus each sweep sends its summary to; empty: no summary',
  JANITOR_VERSION: 'which code runs, named in the fleet digest (default unknown)',
} as const;

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads and validates the configuration; throws ConfigurationError naming the variable. */
export function readEnvironmentConfig(env: Environment): JanitorConfig {
  const value = (name: keyof typeof ENVIRONMENT_VARIABLES, fallback: string) => env[name] ?? fallback;
  const gracePeriod = value('GRACE_PERIOD', DEFAULT.gracePeriod).trim();
  const snsTopicArn = parseSnsTopicArn('SNS_TOPIC_ARN', value('SNS_TOPIC_ARN', ''));
  const chatTopicArn = parseSnsTopicArn('CHAT_TOPIC_ARN', value('CHAT_TOPIC_ARN', ''));
  if (chatTopicArn !== undefined && snsTopicArn === undefined) {
    throw new ConfigurationError('CHAT_TOPIC_ARN needs SNS_TOPIC_ARN: the email is the report of record');
  }
  refuseNoDiscovery(parseBoolean('DISCOVER_CLUSTERS', value('DISCOVER_CLUSTERS', 'true')));
  return {
    settings: {
      clusters: parseClusterList('CLUSTERS', value('CLUSTERS', '')),
      gracePeriod,
      gracePeriodMs: parseGracePeriod('GRACE_PERIOD', gracePeriod),
      maxDeletions: parseMaxDeletions('MAX_DELETIONS', value('MAX_DELETIONS', String(DEFAULT.maxDeletions))),
      maxDeletionsPerCluster: parseMaxDeletions(
        'MAX_DELETIONS_PER_CLUSTER',
        value('MAX_DELETIONS_PER_CLUSTER', String(DEFAULT.maxDeletionsPerCluster)),
      ),
      dryRun: parseBoolean('DRY_RUN', value('DRY_RUN', String(DEFAULT.dryRun))),
      deleteWhenClusterMissing: parseBoolean(
        'DELETE_WHEN_CLUSTER_MISSING',
        value('DELETE_WHEN_CLUSTER_MISSING', String(DEFAULT.deleteWhenClusterMissing)),
      ),
      maxOrphanRatio: parseRatio(
        'MAX_ORPHAN_RATIO',
        value('MAX_ORPHAN_RATIO', String(DEFAULT.maxOrphanRatio)),
      ),
      ignoreUnreadableClusters: parseKubernetesClusterList(
        'IGNORE_UNREADABLE_CLUSTERS',
        value('IGNORE_UNREADABLE_CLUSTERS', ''),
      ),
    },
    snsTopicArn,
    chatTopicArn,
    skipEvidence: parseSkippedEvidence('SKIP_EVIDENCE', value('SKIP_EVIDENCE', '')),
    roleArn: parseRoleArn('ROLE_ARN', value('ROLE_ARN', '')),
    memoryTable: parseTableName('MEMORY_TABLE', value('MEMORY_TABLE', '')),
    fleetBusArn: parseEventBusArn('FLEET_BUS_ARN', value('FLEET_BUS_ARN', '')),
    janitorVersion: readableVersion(value('JANITOR_VERSION', '')),
  };
}

/** `0.1.0+nlb-janitor/<hash>.zip` (organization members) as `0.1.0 (<first 12 of the hash>)`. */
function readableVersion(value: string): string {
  const text = value.trim().slice(0, 200);
  const match = /^([^+]+)\+(?:.*\/)?([0-9a-f]{12})[0-9a-f]*\.zip$/.exec(text);
  if (match) return `${match[1]} (${match[2]})`;
  return text === '' ? 'unknown' : text;
}

/**
 * Discovery cannot be switched off: a cluster nobody configured and no tag names
 * can still own a load balancer, and only a read of it can tell (issue 20). To
 * limit what a sweep changes, name the clusters; every cluster is still read.
 */
function refuseNoDiscovery(discover: boolean): void {
  if (!discover) {
    throw new ConfigurationError(
      'DISCOVER_CLUSTERS=false is refused: every EKS cluster of the account and region is read for claims (a cluster nobody configured can own a load balancer); use CLUSTERS to limit what changes',
    );
  }
}
