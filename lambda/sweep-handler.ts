import type { Context } from 'aws-lambda';
import type { AwsClients } from './aws-clients';
import { type JanitorConfig, readEnvironmentConfig } from './config/environment-config';
import { settingsForInvocation } from './config/invocation-payload';
import { defaultEvidenceSources } from './evidence/default-sources';
import { publishReport } from './report/publish-report';
import { topicTagMemory } from './report/said-memory';
import { summaryLine } from './report/summary';
import { type MetricsSink, publishSweepMetrics } from './report/sweep-metrics';
import type { SweepReport } from './report/sweep-report';
import { runSweep } from './sweep/run-sweep';
import type { DecisionLogger } from './sweep/sweep-dependencies';
import { errorText } from './util/error-text';

export interface SweepHandlerDependencies {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clients: AwsClients;
  readonly logger: DecisionLogger & {
    addContext?(context: Context): void;
    error(message: string, attributes: Record<string, unknown>): void;
  };
  readonly metrics: MetricsSink;
  /** The sweep's one clock, for its decisions and its evidence's traffic window. @default the host clock */
  readonly clock?: () => Date;
}

export type SweepHandler = (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'invokedFunctionArn'>>,
) => Promise<SweepReport>;

/**
 * The Lambda handler's logic. EventBridge's schedule, or a manual invoke with
 * `{"dryRun": true, "clusters": [...]}`; returns the JSON report. Throws — so the
 * Errors metric and its alarm fire — on bad configuration or payload (nothing
 * touched), a sweep that stopped, or a report that could not be published (the
 * report is logged first).
 */
export function createSweepHandler(deps: SweepHandlerDependencies): SweepHandler {
  let config: JanitorConfig | undefined;
  const clock = deps.clock ?? (() => new Date());
  return async (event, context) => {
    deps.logger.addContext?.(context as Context);
    try {
      // Read on the first invocation, not at load: a bad variable then fails every
      // invocation with its name, instead of an init error.
      config ??= readEnvironmentConfig(deps.env);
      const settings = settingsForInvocation(config.settings, event);
      const topicArn = config.snsTopicArn;
      // The topic may be in another region (organization mode's central topic): a client of its region.
      const sns = topicArn === undefined ? undefined : await deps.clients.snsFor(topicArn);
      const report = await runSweep(settings, {
        ...deps.clients,
        region: await deps.clients.region(),
        account: accountOf(context.invokedFunctionArn),
        roleArn: config.roleArn,
        clock,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        logger: deps.logger,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
        evidence: defaultEvidenceSources(deps.clients.evidenceClients, {
          gracePeriodMs: settings.gracePeriodMs,
          clock,
          skip: config.skipEvidence,
        }),
        announce:
          topicArn === undefined
            ? undefined
            : (report) =>
                publishReport(
                  sns ?? deps.clients.sns,
                  { email: topicArn, chat: config?.chatTopicArn },
                  report,
                ),
        // What was said lives on the report topic, so it survives cold starts and redeploys.
        memory: topicArn === undefined ? undefined : topicTagMemory(sns ?? deps.clients.sns, topicArn),
      });
      deps.logger.info(`sweep finished: ${summaryLine(report)}`, { report });
      publishSweepMetrics(deps.metrics, report);
      if (report.announcement.status === 'failed') {
        throw new Error(`the report could not be published to ${topicArn}: ${report.announcement.detail}`);
      }
      // The email went out and its promises count; the Errors alarm says the rest failed.
      const warnings = report.announcement.warnings ?? [];
      if (warnings.length > 0) throw new Error(warnings.join('; '));
      return report;
    } catch (error) {
      deps.logger.error(`sweep failed: ${errorText(error)}`, { error: errorText(error) });
      throw error;
    }
  };
}

/** The account of `arn:<partition>:lambda:<region>:<account>:function:<name>`, without an STS call. */
export function accountOf(functionArn: string | undefined): string | undefined {
  const account = functionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
