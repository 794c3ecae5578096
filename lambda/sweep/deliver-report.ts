import { deliveryDetail } from '../actions/mark-tags';
import { formatSuspectSince } from '../decisions/suspect-timestamp';
import { namedInReport } from '../report/announced-names';
import type { SaidState } from '../report/notice';
import { nextSaidState } from '../report/notice';
import type { Delivery } from '../report/publish-report';
import type { Announcement, SweepReport } from '../report/sweep-report';
import { errorText } from '../util/error-text';
import { recordAnnouncements } from './announcements';
import type { AnyKindRun } from './resource-kind';
import type { SweepContext } from './sweep-context';
import type { SweepDependencies } from './sweep-dependencies';

/** What a delivered report told people, to be recorded on the resources. */
export interface Told {
  /** Every kind's plans, in deletion order. */
  readonly runs: readonly AnyKindRun[];
  /** The resources, of every kind, it reminded of. */
  readonly reminders: ReadonlySet<string>;
}

/**
 * Delivers the report, then records on each newly promised resource the
 * delivered message named that a person was told (`announced-at`, the time the promise was decided), and on each
 * reminded one that the reminder went out (`reminded-at`). A failed delivery
 * records nothing: the next sweep announces those promises, and reminds, again.
 * A quiet report (nothing new) was not published, so it records nothing either;
 * it cannot carry a new promise, as every new promise is news.
 */
export async function deliver(report: SweepReport, told: Told, ctx: SweepContext): Promise<Announcement> {
  const { settings, deps } = ctx;
  let delivery: Partial<Delivery> | undefined;
  try {
    delivery = (await deps.announce?.(report)) ?? undefined;
  } catch (error) {
    return { status: 'failed', detail: errorText(error) };
  }
  const warnings = delivery?.warnings ?? [];
  // What the delivered message named, with the date it gave; an announcer that says nothing delivered it all.
  const named = delivery?.named ?? namedInReport(report);
  const delivered = (detail: string | undefined): Announcement =>
    report.notice.kind === 'quiet'
      ? { status: 'quiet', detail: 'nothing new since the last message: nothing was published', warnings }
      : { status: 'delivered', detail, warnings };
  if (settings.dryRun || report.notice.kind === 'quiet') return delivered(delivery?.detail);
  const recorded = await recordAnnouncements(
    ctx,
    told.runs,
    formatSuspectSince(ctx.plannedAt),
    told.reminders,
    named,
  );
  return delivered(deliveryDetail(delivery?.detail, recorded.unnamed, recorded.failed));
}

export function announcementFor(deps: SweepDependencies): Announcement {
  return deps.announce === undefined
    ? {
        status: 'none',
        detail: 'no report channel: promises are not announced, so nothing is deleted',
      }
    : { status: 'pending', detail: undefined };
}

/** What was last said; an unreadable memory is news itself, and everything current is told again. */
export async function recall(
  deps: SweepDependencies,
): Promise<{ said: SaidState | undefined; problem?: string }> {
  if (deps.memory === undefined) return { said: undefined };
  try {
    return { said: await deps.memory.read() };
  } catch (error) {
    return {
      said: undefined,
      problem: `the janitor could not read what it said before (${errorText(error)}), so it tells everything current again`,
    };
  }
}

/**
 * Records what people now know: after a delivered or a quiet report, its
 * clusters' conditions and what needs a person; after a failed delivery only the
 * savings (the deletions happened), so the news is told again.
 */
export async function remember(
  report: SweepReport,
  said: SaidState | undefined,
  savings: SaidState['savings'],
  deps: SweepDependencies,
): Promise<SweepReport> {
  if (deps.memory === undefined) return report;
  // The memory could not be read: leave it as it is (the savings record included); the next sweep tells the news again.
  if (said === undefined) return report;
  const told = report.announcement.status === 'delivered' || report.announcement.status === 'quiet';
  try {
    await deps.memory.write(nextSaidState(said, report, told, savings));
    return report;
  } catch (error) {
    const warning = `what was said could not be recorded, so the next sweep may repeat it: ${errorText(error)}`;
    return {
      ...report,
      announcement: { ...report.announcement, warnings: [...(report.announcement.warnings ?? []), warning] },
    };
  }
}
