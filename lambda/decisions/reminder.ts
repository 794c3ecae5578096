import { ANNOUNCED_AT_TAG, REMINDED_AT_TAG } from '../../contract/tag-keys';
import type { FootprintAction } from './footprint-plan';
import { parseSuspectSince } from './suspect-timestamp';

/** The reminder comes in the last day before a deletion. */
export const REMINDER_WINDOW_MS = 24 * 3_600_000;

/**
 * Whether a load balancer waiting for its deletion at `deletesAt` is owed its one
 * reminder now: the deletion is less than a day away, its promise was announced
 * before that last day began (a promise announced with a day's notice or less
 * was its own reminder), and no reminder was recorded since that announcement.
 */
export function reminderDue(tags: Readonly<Record<string, string>>, deletesAt: string, now: Date): boolean {
  const due = parseSuspectSince(deletesAt)?.getTime();
  if (due === undefined) return false;
  const left = due - now.getTime();
  if (left <= 0 || left > REMINDER_WINDOW_MS) return false;
  const announcedAt = parseTime(tags[ANNOUNCED_AT_TAG]);
  if (announcedAt === undefined || announcedAt >= due - REMINDER_WINDOW_MS) return false;
  const remindedAt = parseTime(tags[REMINDED_AT_TAG]);
  return remindedAt === undefined || remindedAt < announcedAt || remindedAt > now.getTime();
}

/**
 * The resources (load balancers or footprint) owed their one reminder now: waiting
 * for a date, not acted on in this sweep (`done`), and reminderDue.
 */
export function owedReminders(
  candidates: Iterable<{
    readonly id: string;
    readonly action: FootprintAction;
    readonly tags: Readonly<Record<string, string>>;
  }>,
  done: ReadonlyMap<string, unknown>,
  now: Date,
): Set<string> {
  const due = new Set<string>();
  for (const { id, action, tags } of candidates) {
    if (action.kind !== 'wait' || action.deletesAt === undefined || done.has(id)) continue;
    if (reminderDue(tags, action.deletesAt, now)) due.add(id);
  }
  return due;
}

function parseTime(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseSuspectSince(value)?.getTime();
}
