import { DESTRUCTIVE_ACTIONS } from './action-kinds';
import type { KindPlan, KindRun } from './resource-kind';
import type { SweepContext } from './sweep-context';

/**
 * What uses each candidate of one kind (a plan that promises or carries out a
 * deletion), read once in a batch before tagging (those already read are not read again): the marks' report says what
 * still uses them, and the delete step stops on it before any further read.
 * Deletions read again right before they happen (usesForDeletion).
 */
export async function readCandidateUses<P extends KindPlan, U, I>(
  ctx: SweepContext,
  run: KindRun<P, U, I>,
): Promise<void> {
  const candidates = run.plans.filter(
    (plan) => DESTRUCTIVE_ACTIONS.has(plan.action.kind) && !run.uses.has(run.kind.id(plan)),
  );
  if (candidates.length === 0) return;
  for (const [id, use] of await run.kind.readUses(ctx, candidates)) run.uses.set(id, use);
}
