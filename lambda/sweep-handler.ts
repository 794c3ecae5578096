import type { Context } from 'aws-lambda';
import type { AwsClients } from './aws-clients';
import { type JanitorConfig, readEnvironmentConfig } from './config/environment-config';
import { settingsForInvocation } from './config/invocation-payload';
import { defaultEvidenceSources } from './evidence/default-sources';
import { summarizeSweep } from './fleet/fleet-summary';
import { sendSummary } from './fleet/send-summary';
import { saidMemoryKey, tableMemory } from './memory/table-memory';
import { publishReport } from './report/publish-report';
import { type SaidMemory, topicTagMemory } from './report/said-memory';
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
      const region = await deps.clients.region();
      const account = accountOf(context.invokedFunctionArn);
      const report = await runSweep(settings, {
        ...deps.clients,
        region,
        account,
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
        memory: memoryFor(config, deps.clients, sns, account, region),
      });
      deps.logger.info(`sweep finished: ${summaryLine(report)}`, { report });
      publishSweepMetrics(deps.metrics, report);
      if (report.announcement.status === 'failed') {
        throw new Error(`the report could not be published to ${topicArn}: ${report.announcement.detail}`);
      }
      // The email went out and its promises count; the Errors alarm says the rest failed.
      const warnings = [
        ...(report.announcement.warnings ?? []),
        ...(await tellTheFleet(config, deps.clients, report, account)),
      ];
      if (warnings.length > 0) throw new Error(warnings.join('; '));
      return report;
    } catch (error) {
      deps.logger.error(`sweep failed: ${errorText(error)}`, { error: errorText(error) });
      throw error;
    }
  };
}

/** Organization mode: the sweep's summary to the fleet bus, for the fleet digest; what failed, as warnings. */
async function tellTheFleet(
  config: JanitorConfig,
  clients: AwsClients,
  report: SweepReport,
  account: string | undefined,
): Promise<string[]> {
  if (config.fleetBusArn === undefined) return [];
  const summary = summarizeSweep(report, {
    account: account ?? 'unknown-account',
    version: config.janitorVersion,
    roleArn: config.roleArn,
  });
  try {
    await sendSummary(await clients.eventsFor(config.fleetBusArn), config.fleetBusArn, summary);
    return [];
  } catch (error) {
    return [`the sweep summary could not be sent to the fleet bus: ${errorText(error)}`];
  }
}

/**
 * Where what was said is kept, so it survives cold starts and redeploys: the
 * janitor's own table when the construct made one (both modes: the central
 * topic of an organization is not the members' to tag), else tags on the report
 * topic (a handler run outside the construct, as the CLI does).
 */
function memoryFor(
  config: JanitorConfig,
  clients: AwsClients,
  sns: AwsClients['sns'] | undefined,
  account: string | undefined,
  region: string,
): SaidMemory | undefined {
  if (config.memoryTable !== undefined) {
    return tableMemory(clients.dynamodb, config.memoryTable, saidMemoryKey(account, region));
  }
  return config.snsTopicArn === undefined
    ? undefined
    : topicTagMemory(sns ?? clients.sns, config.snsTopicArn);
}

/** The account of `arn:<partition>:lambda:<region>:<account>:function:<name>`, without an STS call. */
export function accountOf(functionArn: string | undefined): string | undefined {
  const account = functionArn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
