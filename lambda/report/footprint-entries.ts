import { DELETED_WITH_TAG, JANITOR_MARK_TAGS } from '../../contract/tag-keys';
import { type FootprintAction, type FootprintUse, gateFootprint } from '../decisions/footprint-plan';
import { describeFootprintOwner, footprintCluster } from '../decisions/footprint-verdict';
import type { FootprintItem } from '../inventory/footprint-inventory';
import type { FootprintOwner } from '../ownership/footprint-owner';
import { deletesAtOf, detailOf, type EntryResult, markReason, plannedOutcome } from './build-report';
import type { FootprintEntry, Outcome } from './sweep-report';

/**
 * A footprint resource as the report tells it: what the sweep planned for it (the
 * sweep's FootprintPlan, sweep/plan-footprint.ts, is one; report/ needs nothing of sweep/).
 */
export interface PlannedFootprint {
  readonly item: FootprintItem;
  readonly owner: FootprintOwner;
  readonly action: FootprintAction;
}

export interface FootprintEntryInput {
  readonly plans: readonly PlannedFootprint[];
  readonly results: ReadonlyMap<string, EntryResult>;
  /** What the batched reads found using each candidate. */
  readonly uses: ReadonlyMap<string, FootprintUse>;
  readonly dryRun: boolean;
  /** Security group → the load balancers using it, for grouping. */
  readonly securityGroupUsers: ReadonlyMap<string, readonly string[]>;
  /** Resources this report reminds of: deleted within a day. */
  readonly reminders: ReadonlySet<string>;
  /** Without it, marks of a cluster EKS does not know have no deletion date. */
  readonly deleteWhenClusterMissing: boolean;
}

/**
 * One entry for every footprint resource with something to say: everything but
 * the owned and unmarked, and the unmarked held ones (a cluster that cannot be
 * read holds every resource of it; only the promises it holds are worth a line).
 */
export function buildFootprintEntries(input: FootprintEntryInput): FootprintEntry[] {
  const entries: FootprintEntry[] = [];
  for (const plan of input.plans) {
    const { item, action } = plan;
    // A mark, or the deleted-with tag of a deletion the janitor began: a promise a hold keeps standing.
    const marked = [...JANITOR_MARK_TAGS, DELETED_WITH_TAG].some((key) => key in item.tags);
    if (action.kind === 'keep' || (action.kind === 'hold' && !marked)) continue;
    const result = input.results.get(item.id);
    const planned = plannedOutcome(action);
    const outcome: Outcome = result?.outcome ?? planned.outcome;
    const note = noteOf(plan, input.uses.get(item.id));
    entries.push({
      kind: item.kind,
      id: item.id,
      name: item.name,
      vpcId: item.vpcId,
      cluster: footprintCluster(plan.owner),
      owner: describeFootprintOwner(plan.owner),
      loadBalancer: loadBalancerOf(plan, input.securityGroupUsers),
      outcome,
      dryRun: input.dryRun && ['marked', 'announced', 'deleted', 'recovered'].includes(outcome),
      reason: 'reason' in action ? action.reason : undefined,
      deletesAt: deletesAtOf(action, item.tags, outcome, input.deleteWhenClusterMissing),
      reminder: outcome === 'pending' && input.reminders.has(item.id),
      detail: detailOf(
        [result?.detail ?? planned.detail, note],
        markReason(action, item.tags),
        outcome,
        input.deleteWhenClusterMissing,
      ),
    });
  }
  return entries.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      (a.loadBalancer ?? '').localeCompare(b.loadBalancer ?? '') ||
      a.kind.localeCompare(b.kind) ||
      a.id.localeCompare(b.id),
  );
}

/** The load balancer a resource belongs with: the one using it, the one it was deleted with, or the one its rule names. */
function loadBalancerOf(
  plan: PlannedFootprint,
  users: ReadonlyMap<string, readonly string[]>,
): string | undefined {
  const { item, owner } = plan;
  if (owner.kind === 'load-balancer-name') return owner.name;
  return users.get(item.id)?.[0] ?? item.tags[DELETED_WITH_TAG];
}

/** What still uses a newly promised resource: it waits for that, and the report says so at once. */
function noteOf(plan: PlannedFootprint, use: FootprintUse | undefined): string | undefined {
  if (use === undefined || (plan.action.kind !== 'mark' && plan.action.kind !== 'announce')) return undefined;
  const gate = gateFootprint(use);
  switch (gate.kind) {
    case 'proceed':
      return undefined;
    case 'wait':
      return `${gate.waits.join('; ')}: it is deleted once that is gone`;
    case 'in-use':
      return `orphaned in Kubernetes, but ${gate.uses.join('; ')}: it will not be deleted while that lasts`;
    case 'unknown':
      return `what uses it could not be read yet: ${gate.errors.join('; ')}`;
  }
}
