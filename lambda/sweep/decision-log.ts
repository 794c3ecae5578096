import { ownerKey } from '../ownership/owner';
import type { SweepReport } from '../report/sweep-report';
import type { Plan } from './plan-sweep';
import type { DecisionLogger } from './sweep-dependencies';

/**
 * One structured line per decision. Load balancers with something to report are
 * logged at INFO; owned and skipped ones, the bulk of a large account, at DEBUG.
 */
export function logDecisions(logger: DecisionLogger, plans: readonly Plan[], report: SweepReport): void {
  const planByArn = new Map(plans.map((plan) => [plan.loadBalancer.arn, plan]));
  for (const entry of report.loadBalancers) {
    const plan = planByArn.get(entry.arn);
    logger.info('load balancer decision', {
      arn: entry.arn,
      cluster: entry.cluster,
      owner: entry.owner,
      verdict: plan?.verdict.kind,
      reason: entry.reason,
      action: plan?.action.kind,
      outcome: entry.outcome,
      dryRun: entry.dryRun,
      detail: entry.detail,
    });
  }
  for (const plan of plans) {
    if (plan.action.kind !== 'keep') continue;
    logger.debug('load balancer decision', {
      arn: plan.loadBalancer.arn,
      cluster: plan.owner.cluster,
      owner: ownerKey(plan.owner),
      verdict: plan.verdict.kind,
      action: 'keep',
    });
  }
  for (const skipped of report.skipped) {
    logger.debug('load balancer skipped', { arn: skipped.arn, reason: skipped.reason });
  }
}
