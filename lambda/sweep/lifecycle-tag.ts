import { applyMarkTagChanges, changesTags, markTagChanges } from '../actions/mark-tags';
import type { TagChange } from '../actions/tagging';
import { errorText } from '../util/error-text';
import { confirmForTagging } from './lifecycle-checks';
import type { KindPlan, KindRun } from './resource-kind';
import type { SweepContext } from './sweep-context';

/**
 * The tag step of one kind: writes new promises (and clears a stale
 * announcement), unmarks recovered and spared ones — batched through the kind's tag
 * writer, one failure isolated. The inventory's tags may be stale, so the
 * candidates are read again first and each plan decided again on them
 * (confirmForTagging); only those decided the same way are tagged.
 */
export async function tagStep<P extends KindPlan, U, I>(
  ctx: SweepContext,
  run: KindRun<P, U, I>,
): Promise<void> {
  const { kind } = run;
  const { results } = ctx;
  const candidates = run.plans.filter((plan) => changesTags(plan.action));
  if (candidates.length === 0 || ctx.settings.dryRun) return;
  if (ctx.outOfTime()) {
    for (const plan of candidates) {
      results.set(kind.id(plan), { outcome: 'deferred', detail: 'the time budget ran out before tagging' });
    }
    return;
  }
  let fresh: Map<string, P>;
  try {
    fresh = await kind.reread(ctx, candidates);
  } catch (error) {
    for (const plan of candidates) {
      results.set(kind.id(plan), {
        outcome: 'deferred',
        detail: `its tags could not be read again right before tagging; left for the next sweep: ${errorText(error)}`,
      });
    }
    return;
  }
  const changes: TagChange[] = [];
  for (const plan of candidates) {
    const id = kind.id(plan);
    const confirmation = await confirmForTagging(ctx, kind, plan, fresh.get(id), ctx.reads.current());
    if (confirmation.kind === 'changed') results.set(id, confirmation.result);
    else changes.push(...markTagChanges(id, confirmation.plan.action, kind.tags(confirmation.plan)));
  }
  if (changes.length === 0) return;
  // The old announcement goes first; a new promise is written only where its removal succeeded.
  const failures = await applyMarkTagChanges(kind.writer(ctx.deps), changes);
  for (const [id, error] of failures) {
    results.set(
      id,
      error === 'gone'
        ? { outcome: 'already-gone', detail: 'deleted by someone else before the janitor could tag it' }
        : { outcome: 'failed', detail: error },
    );
  }
}
