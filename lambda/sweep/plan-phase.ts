import type { Owner } from '../ownership/owner';
import { PROMISING_ACTIONS } from './action-kinds';
import { arnScopeOf, type FootprintFacts, type FootprintPlan, planFootprintItem } from './plan-footprint';
import { applyBreaker, type Plan, planOne } from './plan-sweep';
import type { SweepInputs } from './read-phase';
import type { SweepDependencies } from './sweep-dependencies';
import type { SweepSettings, SweepTuning } from './sweep-settings';

/** What the plan phase decided: every kind's plans after the breaker, and what the footprint's rest on. */
export interface SweepPlans {
  readonly plannedAt: Date;
  readonly plans: readonly Plan[];
  readonly footprintPlans: readonly FootprintPlan[];
  readonly heldBack: ReadonlyMap<string, string>;
  readonly facts: FootprintFacts;
}

/**
 * The plan phase, pure but for the clock: every load balancer judged and
 * planned, then the footprint on facts that include the load balancers'
 * promises, then one circuit breaker over both.
 */
export function planPhase(
  inputs: SweepInputs,
  settings: SweepSettings,
  deps: Pick<SweepDependencies, 'clock' | 'region' | 'account'>,
  tuning: SweepTuning,
): SweepPlans {
  const { inventory } = inputs;
  const reads = inputs.reads.current();
  const plannedAt = deps.clock();
  const planned = inputs.judged.map((item) => planOne(item, reads, plannedAt, settings));
  const facts: FootprintFacts = {
    loadBalancerArns: new Set(inventory.allLoadBalancers.keys()),
    arnScope: arnScopeOf(inventory.allLoadBalancers.keys(), deps.region, deps.account) ?? {
      partition: 'aws',
      region: deps.region,
      account: '',
    },
    securityGroupUsers: inventory.securityGroupUsers,
    loadBalancersByName: new Map([...inventory.allLoadBalancers].map(([arn, name]) => [name, arn])),
    portsInUse: inputs.portsInUse,
    promised: promisedOwners(planned),
  };
  const { plans, footprintPlans, heldBack } = applyBreaker(
    planned,
    inputs.footprint.map((item) => planFootprintItem(item, reads, facts, plannedAt, settings)),
    settings,
    tuning.breakerMinimum,
  );
  return { plannedAt, plans, footprintPlans, heldBack, facts };
}

/**
 * Load balancers the janitor promised (or keeps promising) to delete, with the
 * owner they were promised for; `held` for those whose read was incomplete.
 */
function promisedOwners(plans: readonly Plan[]): FootprintFacts['promised'] {
  const promised = new Map<string, { cluster: string; owner: Owner } | 'held'>();
  for (const plan of plans) {
    if (plan.action.kind === 'hold') promised.set(plan.loadBalancer.arn, 'held');
    else if (PROMISING_ACTIONS.has(plan.action.kind)) {
      promised.set(plan.loadBalancer.arn, { cluster: plan.owner.cluster, owner: plan.owner });
    }
  }
  return promised;
}
