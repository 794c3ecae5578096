import { createAwsClients } from '../aws-clients';
import { ConfigurationError } from '../config/configuration-error';
import { defaultEvidenceSources } from '../evidence/default-sources';
import { publishReport } from '../report/publish-report';
import { renderTable } from '../report/render-table';
import { topicTagMemory } from '../report/said-memory';
import { unverifiedClusters } from '../report/summary';
import type { SweepReport } from '../report/sweep-report';
import { ClockSkewError } from '../sweep/clock-check';
import { runSweep } from '../sweep/run-sweep';
import type { DecisionLogger } from '../sweep/sweep-dependencies';
import { errorText } from '../util/error-text';
import { parseCliArguments, USAGE } from './cli-options';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs `nlb-janitor <argv>` and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
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

  const clients = createAwsClients();
  let region: string;
  try {
    region = await clients.region();
  } catch {
    return usageError(new ConfigurationError('no AWS region: set AWS_REGION or a profile with a region'), io);
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
