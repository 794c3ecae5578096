import type { FootprintUse } from '../decisions/footprint-plan';
import type { Owner } from '../ownership/owner';
import { PROMISING_ACTIONS } from './action-kinds';
import { arnScopeOf, type FootprintFacts, type FootprintPlan, planFootprintItem } from './plan-footprint';
import { applyBreaker, type Plan, planOne } from './plan-sweep';
import type { SweepInputs } from './read-phase';
import type { SweepDependencies } from './sweep-dependencies';
import type { SweepSettings, SweepTuning } from './sweep-settings';

/** What the plan phase decided, before the circuit breaker: every kind's plans, and what the footprint's rest on. */
export interface SweepPlans {
  readonly plans: readonly Plan[];
  readonly footprintPlans: readonly FootprintPlan[];
  readonly facts: FootprintFacts;
}

/** What the circuit breaker left of the plans, and what it counted where it tripped. */
export type BrokenPlans = ReturnType<typeof applyBreaker>;

/**
 * The plan phase, pure: every load balancer judged and planned at `plannedAt`,
 * then the footprint on facts that include the load balancers' promises. The one
 * circuit breaker over both (breakerPhase) needs what the footprint uses.
 */
export function planPhase(
  inputs: SweepInputs,
  settings: SweepSettings,
  deps: Pick<SweepDependencies, 'region' | 'account'>,
  plannedAt: Date,
): SweepPlans {
  const { inventory } = inputs;
  const reads = inputs.reads.current();
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
  return {
    plans: planned,
    footprintPlans: inputs.footprint.map((item) =>
      planFootprintItem(item, reads, facts, plannedAt, settings),
    ),
    facts,
  };
}

/**
 * The one circuit breaker over load balancers and footprint; `footprintUses`, read
 * before it, tell which security groups nothing can depend on (not counted).
 */
export function breakerPhase(
  planned: SweepPlans,
  footprintUses: ReadonlyMap<string, FootprintUse>,
  settings: SweepSettings,
  tuning: SweepTuning,
): BrokenPlans {
  return applyBreaker(planned.plans, planned.footprintPlans, settings, tuning.breakerMinimum, footprintUses);
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
