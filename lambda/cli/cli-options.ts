import { parseArgs } from 'node:util';
import type { SkippableEvidenceKind } from '../../contract/evidence-kinds';
import { SETTING_DEFAULTS as DEFAULT } from '../../contract/settings';
import { ConfigurationError } from '../config/configuration-error';
import {
  parseClusterList,
  parseGracePeriod,
  parseKubernetesClusterList,
  parseMaxDeletions,
  parseRatio,
  parseSkippedEvidence,
  parseSnsTopicArn,
} from '../config/setting-parsers';
import type { SweepSettings } from '../sweep/sweep-settings';

export const USAGE = `Usage: nlb-janitor sweep [options]

Finds Network Load Balancers whose Kubernetes Service is gone, marks them,
reports them and deletes them after the grace period. Credentials and region
come from the standard AWS chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL ...).

Options:
  --clusters a,b                   mark and delete only these EKS clusters' NLBs (default: every cluster the
                                   tags name); every known cluster is still read for claims
                                   (every EKS cluster of the account and region is read: eks:ListClusters;
                                   a failed list stops the sweep before any change)
  --ignore-unreadable-clusters a,b self-managed clusters (known only from kubernetes.io/cluster/<name> tags in a
                                   VPC) that may stay unread without holding that VPC's load balancers
  --grace-period 7d|36h            how long a mark stands before deletion (default ${DEFAULT.gracePeriod}, from 1h to 365d)
  --max-deletions N                deletions per sweep at most (default ${DEFAULT.maxDeletions})
  --max-deletions-per-cluster N    deletions per cluster and sweep at most (default ${DEFAULT.maxDeletionsPerCluster})
  --max-orphan-ratio R             circuit breaker: share of a cluster's NLBs that may turn orphaned at once (default ${DEFAULT.maxOrphanRatio})
  --delete-when-cluster-missing    also delete NLBs of clusters EKS does not know (default: mark and report only)
  --dry-run                        analyse and report, change nothing
  --sns-topic-arn ARN              publish the report to this topic (only news, or the digest)
  --chat-topic-arn ARN             also publish a short chat message (Amazon Q Developer in chat applications)
  --digest                         send the digest: everything pending and to check, even when nothing changed
  --skip-evidence a,b              evidence of use not to read: privatelink, vpc-link, global-accelerator
  --json                           print the JSON report instead of the table
  --verbose                        log every decision as JSON lines on stderr
  --version                        print the version
  -h, --help                       this text

Exit status: 0 every cluster verified; 1 the sweep finished but a cluster was unverified,
an action failed or the report could not be published; 2 usage or configuration error, or a
host clock more than 5 minutes off AWS's (nothing was touched); 3 the sweep stopped early (nothing unseen was touched).`;

export interface CliOptions {
  readonly settings: SweepSettings;
  readonly snsTopicArn: string | undefined;
  readonly skipEvidence: readonly SkippableEvidenceKind[];
  readonly chatTopicArn: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
}

/**
 * What each option's value must be, said whenever node:util rejects one before
 * the option's own parser sees it (a missing value, a value starting with `-`).
 */
const VALUE_OF: Readonly<Record<string, string>> = {
  clusters: 'comma-separated EKS cluster names',
  'grace-period': 'a duration from 1h to 365d, e.g. 7d or 36h',
  'max-deletions': 'a whole number from 0 to 1000',
  'max-deletions-per-cluster': 'a whole number from 0 to 1000',
  'max-orphan-ratio': 'a number above 0 and at most 1, e.g. 0.5',
  'sns-topic-arn': 'an SNS topic ARN',
  'chat-topic-arn': 'an SNS topic ARN',
  'skip-evidence': 'comma-separated evidence kinds: privatelink, vpc-link, global-accelerator',
};

/**
 * `--max-deletions -1` as `--max-deletions=-1`: node:util reads a value starting
 * with `-` as the next option and rejects it as "ambiguous", and the option's own
 * parser then never says the range. Only values that look like numbers: a missing
 * value before a real option (`--clusters --dry-run`) stays an error.
 */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    const option = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (option !== undefined && option in VALUE_OF && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Parses `nlb-janitor ...` arguments; `help` or `version` when the user asked for those. */
export function parseCliArguments(argv: readonly string[]): CliOptions | 'help' | 'version' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(joinNegativeNumbers(argv));
  } catch (error) {
    // node:util says "Unknown option '--x'. To specify a positional argument ..."; the first sentence is the point.
    const message = error instanceof Error ? error.message : String(error);
    const option = /^Option '--([a-z-]+)/.exec(message)?.[1];
    const expected = option === undefined ? undefined : VALUE_OF[option];
    if (expected !== undefined) throw new ConfigurationError(`--${option} needs a value: ${expected}`);
    throw new ConfigurationError(message.split(/\. To specify|\n/)[0] ?? message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...rest] = positionals;
  if (command !== 'sweep') {
    throw new ConfigurationError(
      command === undefined
        ? 'missing command: nlb-janitor sweep [options]'
        : `unknown command ${JSON.stringify(command)}: the command is sweep`,
    );
  }
  if (rest.length > 0) throw new ConfigurationError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (values['chat-topic-arn'] !== undefined && values['sns-topic-arn'] === undefined) {
    throw new ConfigurationError('--chat-topic-arn needs --sns-topic-arn: the email is the report of record');
  }
  const gracePeriod = (values['grace-period'] ?? DEFAULT.gracePeriod).trim();
  return {
    settings: {
      clusters: values.clusters === undefined ? undefined : requireClusters(values.clusters),
      gracePeriod,
      gracePeriodMs: parseGracePeriod('--grace-period', gracePeriod),
      maxDeletions: parseMaxDeletions(
        '--max-deletions',
        values['max-deletions'] ?? String(DEFAULT.maxDeletions),
      ),
      maxDeletionsPerCluster: parseMaxDeletions(
        '--max-deletions-per-cluster',
        values['max-deletions-per-cluster'] ?? String(DEFAULT.maxDeletionsPerCluster),
      ),
      maxOrphanRatio: parseRatio(
        '--max-orphan-ratio',
        values['max-orphan-ratio'] ?? String(DEFAULT.maxOrphanRatio),
      ),
      deleteWhenClusterMissing: values['delete-when-cluster-missing'] ?? DEFAULT.deleteWhenClusterMissing,
      dryRun: values['dry-run'] ?? DEFAULT.dryRun,
      ignoreUnreadableClusters: parseKubernetesClusterList(
        '--ignore-unreadable-clusters',
        values['ignore-unreadable-clusters'] ?? '',
      ),
      digest: values.digest ?? false,
    },
    snsTopicArn:
      values['sns-topic-arn'] === undefined
        ? undefined
        : requireTopic('--sns-topic-arn', values['sns-topic-arn']),
    chatTopicArn:
      values['chat-topic-arn'] === undefined
        ? undefined
        : requireTopic('--chat-topic-arn', values['chat-topic-arn']),
    skipEvidence: parseSkippedEvidence('--skip-evidence', values['skip-evidence'] ?? ''),
    json: values.json ?? false,
    verbose: values.verbose ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      clusters: { type: 'string' },
      'grace-period': { type: 'string' },
      'max-deletions': { type: 'string' },
      'max-deletions-per-cluster': { type: 'string' },
      'max-orphan-ratio': { type: 'string' },
      'delete-when-cluster-missing': { type: 'boolean' },
      'discover-clusters': { type: 'boolean' },
      'ignore-unreadable-clusters': { type: 'string' },
      'dry-run': { type: 'boolean' },
      'sns-topic-arn': { type: 'string' },
      'skip-evidence': { type: 'string' },
      'chat-topic-arn': { type: 'string' },
      digest: { type: 'boolean' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      version: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function requireClusters(value: string): string[] {
  const clusters = parseClusterList('--clusters', value);
  if (clusters === undefined) throw new ConfigurationError('--clusters needs at least one cluster name');
  return clusters;
}

function requireTopic(option: string, value: string): string {
  const arn = parseSnsTopicArn(option, value);
  if (arn === undefined) throw new ConfigurationError(`${option} needs a topic ARN`);
  return arn;
}
