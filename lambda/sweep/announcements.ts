import { announcementChanges, namedAnnouncements } from '../actions/mark-tags';
import { applyTagChanges } from '../actions/tagging';
import { owedReminders } from '../decisions/reminder';
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

/** What recording the announcements left undone: the failures, as text, and how many the message did not name. */
export interface Recorded {
  readonly failed: string[];
  readonly unnamed: number;
}

/**
 * After the report naming them was delivered: `announced-at` on every resource
 * whose new promise was written in this sweep and that the delivered message
 * named with the promise's date (`named`), and `reminded-at` on every one whose
 * reminder it named, kind by kind through each kind's tag writer. What it could
 * not record, or the message had no room for, is announced or reminded again by
 * the next sweep.
 */
export async function recordAnnouncements(
  ctx: SweepContext,
  runs: readonly AnyKindRun[],
  value: string,
  reminders: ReadonlySet<string>,
  named: ReadonlyMap<string, string>,
): Promise<Recorded> {
  const failed: string[] = [];
  let unnamed = 0;
  for (const each of runs) {
    const kind = await each((run) => recordKind(ctx, run, value, reminders, named));
    failed.push(...kind.failed);
    unnamed += kind.unnamed;
  }
  return { failed, unnamed };
}

async function recordKind<P extends KindPlan, U, I>(
  ctx: SweepContext,
  run: KindRun<P, U, I>,
  value: string,
  reminders: ReadonlySet<string>,
  named: ReadonlyMap<string, string>,
): Promise<Recorded> {
  const record = namedAnnouncements(
    run.plans.map((plan) => ({ id: run.kind.id(plan), action: plan.action })),
    reminders,
    ctx.results,
    named,
  );
  const changes = announcementChanges(record.announced, record.reminded, value);
  if (changes.length === 0) return { failed: [], unnamed: record.unnamed.length };
  const failures = await applyTagChanges(run.kind.writer(ctx.deps), changes);
  return {
    failed: [...failures.values()].filter((error) => error !== 'gone'),
    unnamed: record.unnamed.length,
  };
}
