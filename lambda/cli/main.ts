import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { awsRequestHandler, createAwsClients } from '../aws-clients';
import { ConfigurationError } from '../config/configuration-error';
import { defaultEvidenceSources } from '../evidence/default-sources';
import { LOAD_BALANCER_RESOURCE_TYPE } from '../inventory/tagging-api-tags';
import { publishReport } from '../report/publish-report';
import { renderTable } from '../report/render-table';
import { topicTagMemory } from '../report/said-memory';
import { unverifiedClusters } from '../report/summary';
import type { SweepReport } from '../report/sweep-report';
import { ClockSkewError } from '../sweep/clock-check';
import { runSweep } from '../sweep/run-sweep';
import type { DecisionLogger } from '../sweep/sweep-dependencies';
import { errorText } from '../util/error-text';
import { awsAccessProblem } from './aws-access';
import { parseCliArguments, USAGE } from './cli-options';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What the CLI says about itself. */
export interface CliAbout {
  readonly version: string;
}

/** Runs `nlb-janitor <argv>` and returns the exit status. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  about: CliAbout = { version: 'unknown' },
): Promise<number> {
  let options: ReturnType<typeof parseCliArguments>;
  try {
    options = parseCliArguments(argv);
  } catch (error) {
    return usageError(error, io);
  }
  if (options === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (options === 'version') {
    io.stdout(`nlb-janitor ${about.version}`);
    return 0;
  }

  const clients = createAwsClients();
  let region: string;
  try {
    region = await clients.region();
  } catch {
    return usageError(new ConfigurationError('no AWS region: set AWS_REGION or a profile with a region'), io);
  }
  // Missing, expired or unknown credentials are the first run's most common failure: said
  // in one line before the sweep starts, not as the first read's stack of retries.
  const accessProblem = await awsAccessProblem({
    credentials: () => clients.eks.config.credentials(),
    signedRead: () => {
      // Its own client: one retry, and the sweep's call counts stay the sweep's.
      const probe = new ResourceGroupsTaggingAPIClient({
        maxAttempts: 2,
        requestHandler: awsRequestHandler(),
      });
      return probe
        .send(
          new GetResourcesCommand({
            ResourcesPerPage: 1,
            ResourceTypeFilters: [LOAD_BALANCER_RESOURCE_TYPE],
          }),
        )
        .finally(() => probe.destroy());
    },
    now: () => new Date(),
  });
  if (accessProblem !== undefined) {
    io.stderr(`nlb-janitor: ${accessProblem}`);
    return 2;
  }

  const topicArn = options.snsTopicArn;
  // One clock for the sweep and its evidence (the traffic window), checked against AWS's.
  const clock = () => new Date();
  let report: SweepReport;
  try {
    report = await runSweep(options.settings, {
      ...clients,
      region,
      clock,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      logger: options.verbose ? jsonLinesLogger(io) : silentLogger,
      evidence: defaultEvidenceSources(clients.evidenceClients, {
        gracePeriodMs: options.settings.gracePeriodMs,
        clock,
        skip: options.skipEvidence,
      }),
      // The person at the terminal reads every report; with a topic, the team hears the news and the digest.
      announce: async (report) => {
        io.stdout(options.json ? JSON.stringify(report, null, 2) : renderTable(report));
        if (topicArn === undefined) return;
        return publishReport(
          await clients.snsFor(topicArn),
          { email: topicArn, chat: options.chatTopicArn },
          report,
        );
      },
      memory: topicArn === undefined ? undefined : topicTagMemory(clients.sns, topicArn),
    });
  } catch (error) {
    // A host clock off AWS's is the host's to fix, like a bad flag: one line, exit 2, nothing changed.
    if (error instanceof ClockSkewError) {
      io.stderr(`nlb-janitor: ${error.message}`);
      return 2;
    }
    io.stderr(`nlb-janitor: the sweep stopped: ${errorText(error)}`);
    return 3;
  }

  const published = report.announcement.status !== 'failed';
  if (!published) {
    io.stderr(`nlb-janitor: the report could not be published to ${topicArn}: ${report.announcement.detail}`);
  }
  const warnings = report.announcement.warnings ?? [];
  for (const warning of warnings) io.stderr(`nlb-janitor: ${warning}`);
  const healthy =
    unverifiedClusters(report).length === 0 &&
    report.counts.failed === 0 &&
    report.errors.length === 0 &&
    warnings.length === 0;
  return healthy && published ? 0 : 1;
}

function usageError(error: unknown, io: CliIo): number {
  if (!(error instanceof ConfigurationError)) throw error;
  io.stderr(`nlb-janitor: ${error.message} (see nlb-janitor --help)`);
  return 2;
}

const silentLogger: DecisionLogger = { debug: () => {}, info: () => {} };

function jsonLinesLogger(io: CliIo): DecisionLogger {
  const write = (level: string) => (message: string, attributes: Record<string, unknown>) =>
    io.stderr(JSON.stringify({ level, message, ...attributes }));
  return { debug: write('DEBUG'), info: write('INFO') };
}
