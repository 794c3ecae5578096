import type { EntryResult } from '../report/build-report';
import { errorText } from '../util/error-text';
import { DELETING_ACTIONS } from './action-kinds';
import {
  decidedAgainResult,
  gatedResult,
  notCheckedText,
  ownerChangeResult,
  stoppedBy,
} from './lifecycle-checks';
import type { KindPlan, KindRun } from './resource-kind';
import type { SweepContext } from './sweep-context';

/**
 * The delete step of one kind: its due resources, oldest promise first, within
 * the sweep's one deletion budget. A resource the batched uses already show in
 * use, or waiting, is reported so and costs nothing. Each other one is proven
 * again right before its deletion: looked at afresh, its tags read again and its
 * owner with them, its cluster read within the last 10 seconds, the whole
 * decision made again on those reads — it must still be due under the same
 * promise — and its uses read again. Only then does it take a deletion slot,
 * its record is logged, and it is deleted (a dry run stops right there).
 */
export async function deleteStep<P extends KindPlan, U, I>(
  ctx: SweepContext,
  run: KindRun<P, U, I>,
): Promise<void> {
  const { kind } = run;
  const due = run.plans
    .filter((plan) => DELETING_ACTIONS.has(plan.action.kind) && !ctx.results.has(kind.id(plan)))
    .sort((a, b) => sinceOf(a).localeCompare(sinceOf(b)) || kind.id(a).localeCompare(kind.id(b)));
  for (const plan of due) {
    const id = kind.id(plan);
    // What the batch found in use (a fact a person must act on) or waiting for something that goes
    // by itself stops it here: no further reads, no slot. An unreadable source is decided on the
    // fresh reads below, where a use found later (healthy targets) wins over it.
    const batch = kind.gate(run.uses.get(id));
    if (batch.kind === 'in-use' || batch.kind === 'wait') {
      ctx.results.set(id, stoppedBy(batch));
      continue;
    }
    const refusal = ctx.budget.refusal(kind.cluster(plan), kind.unit(plan));
    if (refusal !== undefined) {
      ctx.results.set(id, { outcome: 'deferred', detail: refusal });
      continue;
    }
    if (ctx.outOfTime()) {
      ctx.results.set(id, { outcome: 'deferred', detail: 'the time budget ran out before deleting' });
      continue;
    }
    try {
      ctx.results.set(id, await deleteOne(ctx, run, plan));
    } catch (error) {
      ctx.results.set(id, { outcome: 'failed', detail: errorText(error) });
    }
  }
}

const ALREADY_GONE: EntryResult = {
  outcome: 'already-gone',
  detail: 'deleted by someone else before the janitor',
};

async function deleteOne<P extends KindPlan, U, I>(
  ctx: SweepContext,
  run: KindRun<P, U, I>,
  planned: P,
): Promise<EntryResult> {
  const { kind } = run;
  const inspection = await kind.inspect(ctx, planned);
  if (inspection === 'gone') return ALREADY_GONE;
  // The tags once more, right before deciding: an ignore tag or a changed owner added meanwhile counts.
  const reread = (await kind.reread(ctx, [planned])).get(kind.id(planned));
  if (reread === undefined) return ALREADY_GONE;
  const owner = kind.owner(reread, planned);
  if (owner.kind !== 'same') return ownerChangeResult(owner);
  const reads = await ctx.reads.forDeletion(kind.cluster(planned));
  const fresh = await kind.decide(ctx, owner.fresh, reads, ctx.deps.clock(), true);
  const changed = decidedAgainResult(planned, fresh);
  if (changed !== undefined) return changed;
  const blocked = kind.blocker(inspection);
  if (blocked !== undefined) return blocked;
  const uses = await kind.usesForDeletion(ctx, planned, run.uses.get(kind.id(planned)), inspection);
  const gate = kind.gate(uses);
  const stopped = gatedResult(gate);
  if (stopped !== undefined) return stopped;

  // Every gate passed: this deletion will be attempted, and only now takes its slot.
  ctx.budget.take(kind.cluster(planned), kind.unit(planned));
  const notChecked = notCheckedText(gate);
  if (ctx.settings.dryRun) return kind.dryRun(fresh, inspection, notChecked);
  // The record goes to the log before the deletion, so a function killed mid-way loses nothing.
  const record = kind.record(fresh, inspection, uses);
  ctx.deps.logger.info(record.message, record.fields);
  return kind.remove(ctx, fresh, inspection, uses, notChecked);
}

function sinceOf(plan: KindPlan): string {
  return plan.action.kind === 'delete' ? plan.action.since : '';
}
