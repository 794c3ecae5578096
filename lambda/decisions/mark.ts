import {
  ANNOUNCED_AT_TAG,
  DELETES_AT_TAG,
  JANITOR_MARK_TAGS,
  SUSPECT_REASON_TAG,
  SUSPECT_SINCE_TAG,
} from '../../contract/tag-keys';
import { parseSuspectSince } from './suspect-timestamp';
import { ORPHAN_REASONS } from './verdict';

/** Why the janitor suspects a load balancer; the value of `nlb-janitor/reason`. */
export type SuspectReason = (typeof SUSPECT_REASONS)[number];
export const SUSPECT_REASONS = [...ORPHAN_REASONS, 'CLUSTER_NOT_FOUND'] as const;

/** No janitor mark predates the janitor: an earlier suspect-since (`0000-01-01T00:00:00Z`) is made up. */
export const MARK_EPOCH = new Date('2026-01-01T00:00:00Z');

/** The shortest and longest promise a mark can carry: the bounds of the grace period (1 hour, 365 days). */
export const MIN_PROMISE_MS = 3_600_000;
export const MAX_PROMISE_MS = 365 * 86_400_000;

/**
 * A mark the janitor wrote: a promise to delete at `deletesAt` for `reason`,
 * first suspected at `since`. `announcedAt` is set only once the report that
 * named the promise reached a person.
 */
export interface Mark {
  readonly since: Date;
  readonly reason: SuspectReason;
  readonly deletesAt: Date;
  readonly announcedAt: Date | undefined;
}

export type MarkReading =
  | { readonly kind: 'none' }
  /** Mark tags the janitor cannot show it wrote: what is wrong with them. */
  | { readonly kind: 'foreign'; readonly problem: string }
  | { readonly kind: 'mark'; readonly mark: Mark };

/**
 * Reads the janitor's mark from a load balancer's tags. A mark is the janitor's
 * own only when all its parts are there and agree: a reason it knows, a
 * suspect-since in the past (but not before the janitor existed), a deletion promise between 1 hour and 365 days
 * after it. Anything else — a leftover of an older version without a promise, a
 * hand-made tag, an impossible date — is `foreign` and never a reason to delete.
 */
export function readMark(tags: Readonly<Record<string, string>>, now: Date): MarkReading {
  if (!JANITOR_MARK_TAGS.some((key) => key in tags)) return { kind: 'none' };
  const rawSince = tags[SUSPECT_SINCE_TAG];
  const rawReason = tags[SUSPECT_REASON_TAG];
  const rawDeletesAt = tags[DELETES_AT_TAG];
  const foreign = (problem: string): MarkReading => ({ kind: 'foreign', problem });

  const since = rawSince === undefined ? undefined : parseSuspectSince(rawSince);
  if (since === undefined) return foreign(`suspect-since ${show(rawSince)} is not an ISO-8601 UTC time`);
  if (since.getTime() > now.getTime()) return foreign(`suspect-since ${show(rawSince)} lies in the future`);
  if (since.getTime() < MARK_EPOCH.getTime()) {
    return foreign(`suspect-since ${show(rawSince)} is older than the janitor itself`);
  }
  const reason = SUSPECT_REASONS.find((known) => known === rawReason);
  if (reason === undefined) return foreign(`reason ${show(rawReason)} is not one the janitor writes`);
  const deletesAt = rawDeletesAt === undefined ? undefined : parseSuspectSince(rawDeletesAt);
  if (deletesAt === undefined) return foreign(`no deletion promise (deletes-at ${show(rawDeletesAt)})`);
  const promiseMs = deletesAt.getTime() - since.getTime();
  if (promiseMs < MIN_PROMISE_MS || promiseMs > MAX_PROMISE_MS) {
    return foreign(
      `deletes-at ${show(rawDeletesAt)} is not between 1 hour and 365 days after suspect-since ${show(rawSince)}`,
    );
  }
  return { kind: 'mark', mark: { since, reason, deletesAt, announcedAt: readAnnouncedAt(tags, since, now) } };
}

/** An announcement time that is not between the mark and now proves nothing: not announced. */
function readAnnouncedAt(tags: Readonly<Record<string, string>>, since: Date, now: Date): Date | undefined {
  const raw = tags[ANNOUNCED_AT_TAG];
  const announcedAt = raw === undefined ? undefined : parseSuspectSince(raw);
  if (announcedAt === undefined) return undefined;
  if (announcedAt.getTime() < since.getTime() || announcedAt.getTime() > now.getTime()) return undefined;
  return announcedAt;
}

function show(value: string | undefined): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
