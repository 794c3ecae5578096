import { announcementChanges } from '../actions/mark-tags';
import { applyTagChanges } from '../actions/tagging';
import { owedReminders } from '../decisions/reminder';
import { ANNOUNCING_ACTIONS } from './action-kinds';
import type { AnyKindRun, KindPlan, KindRun } from './resource-kind';
import type { SweepContext } from './sweep-context';

/**
 * Resources of every kind owed their one reminder: waiting for a date within a
 * day, not acted on in this sweep, not reminded of this promise yet. None in a
 * dry run, which records nothing.
 */
export function remindersOwed(ctx: SweepContext, runs: readonly AnyKindRun[]): Set<string> {
  if (ctx.settings.dryRun) return new Set();
  const candidates = runs.flatMap((each) =>
    each((run) =>
      run.plans.map((plan) => ({ id: run.kind.id(plan), action: plan.action, tags: run.kind.tags(plan) })),
    ),
  );
  return owedReminders(candidates, ctx.results, ctx.plannedAt);
}

/**
 * After the report naming them was delivered: `announced-at` on every resource
 * whose new promise was written in this sweep, and `reminded-at` on every one it
 * reminded of, kind by kind through each kind's tag writer. The failures, as
 * text (the next sweep announces or reminds those again).
 */
export async function recordAnnouncements(
  ctx: SweepContext,
  runs: readonly AnyKindRun[],
  value: string,
  reminders: ReadonlySet<string>,
): Promise<string[]> {
  const failed: string[] = [];
  for (const each of runs) failed.push(...(await each((run) => recordKind(ctx, run, value, reminders))));
  return failed;
}

async function recordKind<P extends KindPlan, U, I>(
  ctx: SweepContext,
  run: KindRun<P, U, I>,
  value: string,
  reminders: ReadonlySet<string>,
): Promise<string[]> {
  const untouched = run.plans
    .map((plan) => ({ plan, id: run.kind.id(plan) }))
    .filter(({ id }) => !ctx.results.has(id));
  const changes = announcementChanges(
    untouched.filter(({ plan }) => ANNOUNCING_ACTIONS.has(plan.action.kind)).map(({ id }) => id),
    untouched.filter(({ id }) => reminders.has(id)).map(({ id }) => id),
    value,
  );
  if (changes.length === 0) return [];
  const failures = await applyTagChanges(run.kind.writer(ctx.deps), changes);
  return [...failures.values()].filter((error) => error !== 'gone');
}
