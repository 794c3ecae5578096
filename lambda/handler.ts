import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { createAwsClients } from './aws-clients';
import { type JanitorConfig, readEnvironmentConfig } from './config/environment-config';
import { settingsForInvocation } from './config/invocation-payload';
import { publishReport } from './report/publish-report';
import { summaryLine } from './report/summary';
import type { SweepReport } from './report/sweep-report';
import { runSweep } from './sweep/run-sweep';
import { errorText } from './util/error-text';

// Module scope: reused across warm invocations.
const logger = new Logger({ serviceName: 'nlb-janitor' });
const clients = createAwsClients();
let config: JanitorConfig | undefined;

/**
 * EventBridge's schedule, or a manual invoke with `{"dryRun": true, "clusters": [...]}`.
 * Returns the JSON report. Throws — so the Errors metric and its alarm fire — on bad
 * configuration or payload (nothing touched), a sweep that stopped, or a report that
 * could not be published (the report is in the log first).
 */
export async function handler(event: unknown, context: Context): Promise<SweepReport> {
  logger.addContext(context);
  config ??= readEnvironmentConfig(process.env);
  const settings = settingsForInvocation(config.settings, event);
  const report = await runSweep(settings, {
    ...clients,
    region: await clients.region(),
    clock: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    logger,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  });
  logger.info(`sweep finished: ${summaryLine(report)}`, { report });
  if (config.snsTopicArn !== undefined) {
    try {
      await publishReport(clients.sns, config.snsTopicArn, report);
    } catch (error) {
      throw new Error(`the report could not be published to ${config.snsTopicArn}: ${errorText(error)}`);
    }
  }
  return report;
}
