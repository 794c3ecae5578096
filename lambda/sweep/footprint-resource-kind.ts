import { type FootprintUse, gateFootprint } from '../decisions/footprint-plan';
import { describeFootprintOwner, footprintCluster, sameFootprintOwner } from '../decisions/footprint-verdict';
import { type PortsInUse, readPortsInUse } from '../inventory/detached-target-groups';
import type { FootprintKind } from '../inventory/footprint-inventory';
import { readFootprintOwner } from '../ownership/footprint-owner';
import { FOOTPRINT_KINDS, type FootprintClients, type FootprintContext } from './footprint-kinds';
import { type FootprintFacts, type FootprintPlan, planFootprintItem } from './plan-footprint';
import { breakerUnit } from './plan-sweep';
import type { ResourceKind } from './resource-kind';
import type { SweepContext } from './sweep-context';
import type { SweepDependencies } from './sweep-dependencies';

/**
 * A footprint kind (target group, security group, node rule) as a resource
 * kind: its I/O from its FOOTPRINT_KINDS entry, its decisions from
 * plan-footprint.ts on the facts this sweep read. Nothing to look at before a
 * deletion beyond its uses, and nothing blocks it but them.
 */
export function footprintKind(
  name: FootprintKind,
  facts: FootprintFacts,
): ResourceKind<FootprintPlan, FootprintUse, undefined> {
  const io = FOOTPRINT_KINDS[name];
  // The target groups' ports, read again once for the node rules' deletions.
  let freshPorts: Promise<readonly PortsInUse[] | Error> | undefined;
  const portsInUse = (ctx: SweepContext) => {
    freshPorts ??= readPortsInUse(ctx.deps.elbv2).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    return freshPorts;
  };
  return {
    name: io.noun,
    id: (plan) => plan.item.id,
    cluster: (plan) => footprintCluster(plan.owner),
    unit: breakerUnit,
    tags: (plan) => plan.item.tags,
    writer: (deps) => io.writer(clientsOf(deps)),
    reread: async (ctx, plans) => {
      const items = await io.freshItems(
        clientsOf(ctx.deps),
        plans.map((plan) => plan.item),
      );
      const fresh = new Map<string, FootprintPlan>();
      for (const plan of plans) {
        const item = items.get(plan.item.id);
        if (item !== undefined) fresh.set(item.id, { ...plan, item });
      }
      return fresh;
    },
    owner: (fresh, planned) => {
      const ownership = readFootprintOwner(fresh.item);
      if (ownership.kind === 'skipped') return { kind: 'skipped', reason: ownership.reason };
      if (!sameFootprintOwner(ownership.owner, planned.owner)) return { kind: 'other' };
      return { kind: 'same', fresh };
    },
    // A node rule may serve a load balancer made since the sweep began on the same port: the ports read again.
    decide: async (ctx, fresh, reads, now, forDeletion) =>
      planFootprintItem(
        fresh,
        reads,
        forDeletion && name === 'node-rule' ? { ...facts, portsInUse: await portsInUse(ctx) } : facts,
        now,
        ctx.settings,
      ),
    readUses: (ctx, plans) =>
      io.readUses(
        clientsOf(ctx.deps),
        plans.map((plan) => plan.item),
        contextOf(ctx, facts),
        false,
      ),
    gate: (use) => gateFootprint(use ?? {}),
    inspect: async () => undefined,
    blocker: () => undefined,
    usesForDeletion: async (ctx, plan) =>
      (await io.readUses(clientsOf(ctx.deps), [plan.item], contextOf(ctx, facts), true)).get(plan.item.id) ??
      {},
    record: (fresh, _inspection, use) => ({
      message: 'deleting footprint resource',
      fields: {
        kind: fresh.item.kind,
        id: fresh.item.id,
        name: fresh.item.name,
        owner: describeFootprintOwner(fresh.owner),
        cluster: footprintCluster(fresh.owner),
        action: fresh.action,
        verdict: fresh.verdict,
        tags: fresh.item.tags,
        use,
      },
    }),
    dryRun: (fresh) => ({ outcome: 'deleted', detail: deletionDetail(fresh) }),
    remove: async (ctx, fresh, _inspection, use) => {
      const removal = await io.remove(clientsOf(ctx.deps), fresh.item, use, contextOf(ctx, facts));
      switch (removal.kind) {
        case 'removed':
          return { outcome: 'deleted', detail: deletionDetail(fresh), tags: fresh.item.tags };
        case 'already-gone':
          return { outcome: 'already-gone', detail: 'deleted by someone else before the janitor' };
        case 'in-use':
          return {
            outcome: 'deferred',
            detail: `still in use (${removal.error}); the promise stands, and the next sweep tries again`,
          };
        case 'failed':
          return { outcome: 'failed', detail: removal.error };
      }
    },
  };
}

function deletionDetail(plan: FootprintPlan): string | undefined {
  if (plan.action.kind === 'finish') return `left behind when the janitor deleted ${plan.action.deletedWith}`;
  return undefined;
}

function clientsOf(deps: SweepDependencies): FootprintClients {
  return { elbv2: deps.elbv2, ec2: deps.ec2, sleep: deps.sleep };
}

function contextOf(ctx: SweepContext, facts: FootprintFacts): FootprintContext {
  return {
    securityGroupUsers: facts.securityGroupUsers,
    loadBalancersByName: facts.loadBalancersByName,
    tuning: ctx.tuning,
    outOfTime: ctx.outOfTime,
  };
}
