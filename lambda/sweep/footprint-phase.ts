import {
  announcementChanges,
  applyMarkTagChanges,
  changesTags,
  markTagChanges,
  namedAnnouncements,
} from '../actions/mark-tags';
import { applyTagChanges, type TagChange } from '../actions/tagging';
import { type FootprintGate, type FootprintUse, gateFootprint } from '../decisions/footprint-plan';
import { describeFootprintOwner, footprintCluster, sameFootprintOwner } from '../decisions/footprint-verdict';
import { type PortsInUse, readPortsInUse } from '../inventory/detached-target-groups';
import type { FootprintItem } from '../inventory/footprint-inventory';
import { readFootprintOwner } from '../ownership/footprint-owner';
import type { EntryResult } from '../report/build-report';
import { errorText } from '../util/error-text';
import { FOOTPRINT_KINDS, type FootprintClients, type FootprintContext } from './footprint-kinds';
import {
  FOOTPRINT_ORDER,
  type FootprintFacts,
  type FootprintPlan,
  planFootprintItem,
} from './plan-footprint';
import { breakerUnit, DESTRUCTIVE_ACTIONS } from './plan-sweep';
import type { SweepContext } from './sweep-context';
import type { SweepDependencies } from './sweep-dependencies';

/** The sweep's context, with the footprint's plans and the facts they were decided on. */
export interface FootprintPhaseInput extends SweepContext {
  readonly plans: readonly FootprintPlan[];
  readonly facts: FootprintFacts;
  /** The ports in use read again for the node rules' deletions, once. */
  freshPorts?: Promise<readonly PortsInUse[] | Error>;
}

/**
 * What each candidate (an action that promises or carries out a deletion) uses,
 * read once in batches; deletions read it again, one by one.
 */
export async function readFootprintUses(
  input: Pick<FootprintPhaseInput, 'plans' | 'deps' | 'facts' | 'tuning' | 'outOfTime'>,
): Promise<Map<string, FootprintUse>> {
  const uses = new Map<string, FootprintUse>();
  for (const kind of FOOTPRINT_ORDER) {
    const items = input.plans
      .filter((plan) => plan.item.kind === kind && DESTRUCTIVE_ACTIONS.has(plan.action.kind))
      .map((plan) => plan.item);
    if (items.length === 0) continue;
    const found = await FOOTPRINT_KINDS[kind].readUses(clientsOf(input.deps), items, contextOf(input), false);
    for (const [id, use] of found) uses.set(id, use);
  }
  return uses;
}

/**
 * Writes the footprint's new promises and removes recovered ones, kind by kind
 * through each kind's tag writer, exactly as for load balancers: the tags are
 * read again first and each plan decided again on them; only a plan decided the
 * same way is tagged.
 */
export async function tagFootprint(input: FootprintPhaseInput): Promise<void> {
  const { settings, results } = input;
  if (settings.dryRun) return;
  for (const kind of FOOTPRINT_ORDER) {
    const candidates = input.plans.filter((plan) => plan.item.kind === kind && changesTags(plan.action));
    if (candidates.length === 0) continue;
    const io = FOOTPRINT_KINDS[kind];
    if (input.outOfTime()) {
      for (const plan of candidates) {
        results.set(plan.item.id, { outcome: 'deferred', detail: 'the time budget ran out before tagging' });
      }
      continue;
    }
    let fresh: Map<string, FootprintItem>;
    try {
      fresh = await io.freshItems(
        clientsOf(input.deps),
        candidates.map((plan) => plan.item),
      );
    } catch (error) {
      for (const plan of candidates) {
        results.set(plan.item.id, {
          outcome: 'deferred',
          detail: `its tags could not be read again right before tagging; left for the next sweep: ${errorText(error)}`,
        });
      }
      continue;
    }
    const changes: TagChange[] = [];
    for (const plan of candidates) {
      const confirmed = confirmFootprintPlan(plan, fresh.get(plan.item.id), input);
      if (confirmed.kind === 'changed') results.set(plan.item.id, confirmed.result);
      else changes.push(...markTagChanges(plan.item.id, confirmed.plan.action, confirmed.plan.item.tags));
    }
    if (changes.length === 0) continue;
    const failures = await applyMarkTagChanges(io.writer(clientsOf(input.deps)), changes);
    for (const [id, error] of failures) {
      results.set(
        id,
        error === 'gone'
          ? { outcome: 'already-gone', detail: 'deleted by someone else before the janitor could tag it' }
          : { outcome: 'failed', detail: error },
      );
    }
  }
}

/**
 * Decides a footprint plan again on the resource read afresh, with the same
 * reads and the same now: its owner read again from the fresh tags (an ignore
 * tag, or another owner, added meanwhile keeps it), then the whole decision.
 */
function confirmFootprintPlan(
  plan: FootprintPlan,
  item: FootprintItem | undefined,
  input: Pick<FootprintPhaseInput, 'reads' | 'facts' | 'plannedAt' | 'settings'>,
): { kind: 'confirmed'; plan: FootprintPlan } | { kind: 'changed'; result: EntryResult } {
  if (item === undefined) {
    return {
      kind: 'changed',
      result: { outcome: 'already-gone', detail: 'gone before the janitor could act on it' },
    };
  }
  const owner = ownerChange(plan, item);
  if (owner !== undefined) return { kind: 'changed', result: owner };
  const fresh = planFootprintItem(
    { ...plan, item },
    input.reads.current(),
    input.facts,
    input.plannedAt,
    input.settings,
  );
  if (JSON.stringify(fresh.action) !== JSON.stringify(plan.action)) {
    return {
      kind: 'changed',
      result: {
        outcome: 'deferred',
        detail: `its tags changed since they were read (now: ${fresh.action.kind}); left for the next sweep`,
      },
    };
  }
  return { kind: 'confirmed', plan: fresh };
}

/**
 * Deletes the footprint that is due — target groups, then security groups
 * (after revoking the controller rules that reference them), then node rules —
 * within the sweep's one deletion budget, which counts units (breakerUnit): a
 * load balancer and the footprint that goes with it are one deletion. Each is proven again
 * right before: its tags read afresh, its cluster read within the last 10
 * seconds, the decision made again, its uses read again one by one; only then
 * does it take a slot. A step that cannot be finished now (an interface still
 * attached) is retried by the next sweep.
 */
export async function deleteFootprint(
  input: FootprintPhaseInput,
  uses: ReadonlyMap<string, FootprintUse>,
): Promise<void> {
  const { settings, results } = input;
  const due = input.plans
    .filter(
      (plan) =>
        (plan.action.kind === 'delete' || plan.action.kind === 'finish') && !results.has(plan.item.id),
    )
    .sort(
      (a, b) =>
        FOOTPRINT_ORDER.indexOf(a.item.kind) - FOOTPRINT_ORDER.indexOf(b.item.kind) ||
        sinceOf(a).localeCompare(sinceOf(b)) ||
        a.item.id.localeCompare(b.item.id),
    );
  for (const plan of due) {
    const { id } = plan.item;
    const gate = gateFootprint(uses.get(id) ?? {});
    if (gate.kind !== 'proceed') {
      results.set(id, gatedResult(gate));
      continue;
    }
    const refusal = input.budget.refusal(footprintCluster(plan.owner), breakerUnit(plan));
    if (refusal !== undefined) {
      results.set(id, { outcome: 'deferred', detail: refusal });
      continue;
    }
    if (settings.dryRun) {
      input.budget.take(footprintCluster(plan.owner), breakerUnit(plan));
      results.set(id, { outcome: 'deleted', detail: deletionDetail(plan) });
      continue;
    }
    if (input.outOfTime()) {
      results.set(id, { outcome: 'deferred', detail: 'the time budget ran out before deleting' });
      continue;
    }
    try {
      results.set(id, await deleteOne(plan, input));
    } catch (error) {
      results.set(id, { outcome: 'failed', detail: errorText(error) });
    }
  }
}

async function deleteOne(plan: FootprintPlan, input: FootprintPhaseInput): Promise<EntryResult> {
  const io = FOOTPRINT_KINDS[plan.item.kind];
  const clients = clientsOf(input.deps);
  // The resource once more, right before deciding: an ignore tag or a changed owner added meanwhile counts.
  const item = (await io.freshItems(clients, [plan.item])).get(plan.item.id);
  if (item === undefined)
    return { outcome: 'already-gone', detail: 'deleted by someone else before the janitor' };
  const owner = ownerChange(plan, item);
  if (owner !== undefined) return owner;
  const { tags } = item;
  const reads = await input.reads.forDeletion(footprintCluster(plan.owner));
  // A node rule may serve a load balancer made since the sweep began on the same port: the ports read again.
  const facts =
    plan.item.kind === 'node-rule'
      ? { ...input.facts, portsInUse: await freshPortsInUse(input) }
      : input.facts;
  const fresh = planFootprintItem({ ...plan, item }, reads, facts, input.deps.clock(), input.settings);
  if (JSON.stringify(fresh.action) !== JSON.stringify(plan.action)) {
    return fresh.verdict.kind === 'UNVERIFIED'
      ? { outcome: 'held', detail: `the read right before deleting failed: ${fresh.verdict.error}` }
      : {
          outcome: 'kept',
          detail: `the reads right before deleting changed the decision (now: ${fresh.action.kind})`,
        };
  }
  const use = (await io.readUses(clients, [plan.item], contextOf(input), true)).get(plan.item.id) ?? {};
  const gate = gateFootprint(use);
  if (gate.kind !== 'proceed') return gatedResult(gate);
  // Every gate passed: this removal will be attempted, and only now takes its slot.
  input.budget.take(footprintCluster(plan.owner), breakerUnit(plan));
  input.deps.logger.info('deleting footprint resource', {
    kind: plan.item.kind,
    id: plan.item.id,
    name: plan.item.name,
    owner: describeFootprintOwner(plan.owner),
    cluster: footprintCluster(plan.owner),
    action: plan.action,
    verdict: fresh.verdict,
    tags,
    use,
  });
  const removal = await io.remove(clients, plan.item, use, contextOf(input));
  switch (removal.kind) {
    case 'removed':
      return { outcome: 'deleted', detail: deletionDetail(plan), tags };
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
}

/** The target groups' ports read once in the deletion phase, right before the first node rule is revoked. */
async function freshPortsInUse(input: FootprintPhaseInput): Promise<readonly PortsInUse[] | Error> {
  input.freshPorts ??= readPortsInUse(input.deps.elbv2).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  return input.freshPorts;
}

/** Whether the owner the fresh tags name is still the one judged; the result if not. */
function ownerChange(plan: FootprintPlan, item: FootprintItem): EntryResult | undefined {
  const ownership = readFootprintOwner(item);
  if (ownership.kind === 'skipped') {
    return {
      outcome: 'kept',
      detail: `its tags changed: now skipped (${ownership.reason}); nothing changed`,
    };
  }
  if (!sameFootprintOwner(ownership.owner, plan.owner)) {
    return { outcome: 'kept', detail: 'its owner tags changed since they were read; nothing changed' };
  }
  return undefined;
}

function gatedResult(gate: Exclude<FootprintGate, { kind: 'proceed' }>): EntryResult {
  switch (gate.kind) {
    case 'in-use':
      return {
        outcome: 'needs-manual-action',
        detail: `orphaned in Kubernetes, but still in use: ${gate.uses.join('; ')}. It will not be deleted while that lasts`,
      };
    case 'unknown':
      return {
        outcome: 'held',
        detail: `what uses it could not be read, so it is not deleted: ${gate.errors.join('; ')}`,
      };
    case 'wait':
      return { outcome: 'deferred', detail: `${gate.waits.join('; ')}: the next sweep tries again` };
  }
}

function deletionDetail(plan: FootprintPlan): string | undefined {
  if (plan.action.kind === 'finish') return `left behind when the janitor deleted ${plan.action.deletedWith}`;
  return undefined;
}

function sinceOf(plan: FootprintPlan): string {
  return plan.action.kind === 'delete' ? plan.action.since : '';
}

export function clientsOf(deps: SweepDependencies): FootprintClients {
  return { elbv2: deps.elbv2, ec2: deps.ec2, sleep: deps.sleep };
}

function contextOf(input: Pick<FootprintPhaseInput, 'facts' | 'tuning' | 'outOfTime'>): FootprintContext {
  return {
    securityGroupUsers: input.facts.securityGroupUsers,
    loadBalancersByName: input.facts.loadBalancersByName,
    tuning: input.tuning,
    outOfTime: input.outOfTime,
  };
}

/**
 * After the report naming them was delivered: `announced-at` on every footprint
 * resource whose new promise was written in this sweep and that the message
 * named (`named`, with the promise's date), and `reminded-at` on every one whose
 * reminder it named, kind by kind. The failures, as text, and how many it did not
 * name (the next sweep announces those again).
 */
export async function recordFootprintAnnouncements(
  input: FootprintPhaseInput,
  value: string,
  reminders: ReadonlySet<string>,
  named: ReadonlyMap<string, string>,
): Promise<{ failed: string[]; unnamed: number }> {
  const failed: string[] = [];
  let unnamed = 0;
  for (const kind of FOOTPRINT_ORDER) {
    const ofKind = input.plans.filter((plan) => plan.item.kind === kind);
    const record = namedAnnouncements(
      ofKind.map((plan) => ({ id: plan.item.id, action: plan.action })),
      reminders,
      input.results,
      named,
    );
    unnamed += record.unnamed.length;
    const changes = announcementChanges(record.announced, record.reminded, value);
    if (changes.length === 0) continue;
    const failures = await applyTagChanges(FOOTPRINT_KINDS[kind].writer(clientsOf(input.deps)), changes);
    for (const error of failures.values()) if (error !== 'gone') failed.push(error);
  }
  return { failed, unnamed };
}
