import type { FootprintUse } from '../decisions/footprint-plan';
import { buildReport, type EntryResult } from '../report/build-report';
import { pricingFor } from '../report/cost';
import { buildFootprintEntries } from '../report/footprint-entries';
import { addSavings, decideNotice } from '../report/notice';
import type { Notice, SweepReport } from '../report/sweep-report';
import { remindersOwed } from './announcements';
import { logDecisions } from './decision-log';
import { DeletionBudget } from './deletion-budget';
import { announcementFor, deliver, recall, remember } from './deliver-report';
import { footprintKind } from './footprint-resource-kind';
import { deleteStep } from './lifecycle-delete';
import { tagStep } from './lifecycle-tag';
import { readCandidateUses } from './lifecycle-uses';
import { LOAD_BALANCER_KIND } from './load-balancer-kind';
import { FOOTPRINT_ORDER, type FootprintPlan } from './plan-footprint';
import { breakerPhase, planPhase } from './plan-phase';
import { readSweepInputs } from './read-phase';
import { apiUsage, evidenceNotes, gatewaysBehindServices, servicesWithoutTheirGateway } from './report-facts';
import { anyKind, kindRun } from './resource-kind';
import type { SweepContext } from './sweep-context';
import type { SweepDependencies } from './sweep-dependencies';
import { DEFAULT_TUNING, type SweepSettings, type SweepTuning } from './sweep-settings';

export type { DecisionLogger, SweepDependencies } from './sweep-dependencies';

/**
 * One sweep: read every resource and the clusters, decide, mark and unmark,
 * delete what was promised and announced — each deletion re-proven right before
 * it by fresh reads — then deliver the report and record which promises it
 * carried. Every kind goes through the same steps, in deletion order.
 */
export async function runSweep(settings: SweepSettings, deps: SweepDependencies): Promise<SweepReport> {
  const tuning: SweepTuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const startedAt = deps.clock();
  const usageAtStart = deps.elbv2Usage?.();
  const inputs = await readSweepInputs(settings, deps, tuning);
  const plannedAt = deps.clock();
  const planned = planPhase(inputs, settings, deps, plannedAt);
  const ctx: SweepContext = {
    settings,
    tuning,
    deps,
    plannedAt,
    reads: inputs.reads,
    results: new Map<string, EntryResult>(),
    budget: new DeletionBudget(settings),
    errors: inputs.errors,
    outOfTime: () => deps.remainingTimeMs !== undefined && deps.remainingTimeMs() < tuning.safetyMarginMs,
  };
  const footprintRuns = (of: readonly FootprintPlan[], read?: ReadonlyMap<string, FootprintUse>) =>
    FOOTPRINT_ORDER.map((name) =>
      kindRun(
        footprintKind(name, planned.facts),
        of.filter((plan) => plan.item.kind === name),
        read,
      ),
    );
  // What each footprint candidate uses, read once before the breaker: what nothing can depend on is not counted.
  const before = footprintRuns(planned.footprintPlans);
  for (const run of before) await readCandidateUses(ctx, run);
  const footprintUses = new Map(before.flatMap((run) => [...run.uses]));
  const { plans, footprintPlans, heldBack, counted } = breakerPhase(planned, footprintUses, settings, tuning);

  // Every kind, in deletion order: load balancers, then target groups, security groups, node rules.
  const loadBalancers = kindRun(LOAD_BALANCER_KIND, plans);
  const footprint = footprintRuns(footprintPlans, footprintUses);
  const runs = [anyKind(loadBalancers), ...footprint.map(anyKind)];
  // Uses of every candidate read once (marks say what still uses them), then tags, then deletions.
  for (const each of runs) await each((run) => readCandidateUses(ctx, run));
  for (const each of runs) await each((run) => tagStep(ctx, run));
  for (const each of runs) await each((run) => deleteStep(ctx, run));
  const reminders = remindersOwed(ctx, runs);

  const { inventory, reads } = inputs;
  const body = buildReport({
    startedAt,
    finishedAt: deps.clock(),
    region: deps.region,
    account: deps.account,
    settings,
    loadBalancerCount: inventory.loadBalancerCount,
    networkLoadBalancerCount: inventory.networkLoadBalancers.length,
    plans,
    results: ctx.results,
    skipped: inputs.skipped,
    clusters: inputs.clusterNames.map((name) => ({
      name,
      result: reads.result(name),
      heldBack: heldBack.get(name),
      breakerUnits: counted.get(name),
    })),
    errors: ctx.errors,
    footprint: buildFootprintEntries({
      plans: footprintPlans,
      results: ctx.results,
      uses: new Map(footprint.flatMap((run) => [...run.uses])),
      dryRun: settings.dryRun,
      securityGroupUsers: inventory.securityGroupUsers,
      reminders,
      deleteWhenClusterMissing: settings.deleteWhenClusterMissing,
    }),
    notes: evidenceNotes(plans, loadBalancers.uses),
    gateways: gatewaysBehindServices(plans, reads.current()),
    gatewaysGone: servicesWithoutTheirGateway(reads.current()),
    announcement: announcementFor(deps),
    api: apiUsage(inventory.tagSource, usageAtStart, deps),
    pricing: pricingFor(deps.region),
    reminders,
  });

  // Speak on change: what is news depends on what was already said.
  const memory = await recall(deps);
  let notice: Notice = decideNotice(body, memory.said, settings.digest ?? false);
  if (memory.problem !== undefined) {
    notice = { kind: notice.kind === 'digest' ? 'digest' : 'change', news: [...notice.news, memory.problem] };
  }
  const savings = settings.dryRun
    ? memory.said?.savings
    : addSavings(memory.said?.savings, body.counts.deleted, body.estimatedMonthlySavingsUsd, body.finishedAt);
  let report: SweepReport = { ...body, notice, savingsSoFar: savings };
  if (deps.announce !== undefined) {
    const announcement = await deliver(report, { runs, reminders }, ctx);
    report = {
      ...report,
      announcement,
      finishedAt: deps.clock().toISOString(),
      api: apiUsage(inventory.tagSource, usageAtStart, deps),
    };
  }
  report = await remember(report, memory.said, savings, deps);
  logDecisions(deps.logger, plans, report);
  return report;
}
