import { type Mark, readMark, type SuspectReason } from './mark';
import { formatSuspectSince } from './suspect-timestamp';
import type { ForeignReason, Verdict } from './verdict';

export type { SuspectReason } from './mark';

const SECOND_MS = 1_000;
const HOUR_MS = 3_600_000;
/** A promise whose date passed this long ago (two days: longer than any sane schedule's gap) without the janitor acting is stale: it is announced again. */
export const STALE_PROMISE_MS = 48 * HOUR_MS;
/** The notice a re-announced promise gives, at most: a day, or the grace period if shorter. */
export const REANNOUNCE_NOTICE_MS = 24 * HOUR_MS;

export interface LifecyclePolicy {
  readonly gracePeriodMs: number;
  /** Clusters that EKS does not know may be self-managed, so deleting their load balancers is opt-in. */
  readonly deleteWhenClusterMissing: boolean;
}

/** A promise as the janitor writes it and reports it: ISO-8601 UTC strings. */
export interface DeletionPromise {
  readonly reason: SuspectReason;
  readonly since: string;
  readonly deletesAt: string;
}

/** What the janitor should do with one load balancer, decided from a verdict and the tags it carries. */
export type LifecycleAction =
  /** Owned and not marked: nothing to do. */
  | { readonly kind: 'keep' }
  /** The read was incomplete: no change at all. */
  | { readonly kind: 'hold'; readonly error: string }
  /**
   * Its tags name a cluster it does not belong to: never judged, never changed —
   * but for the janitor's own marks, which are then no longer a promise
   * (`unmark`): a later orphan verdict starts a new, announced one.
   */
  | {
      readonly kind: 'spare';
      readonly reason: ForeignReason;
      readonly detail: string;
      readonly unmark?: true;
    }
  /**
   * A new promise: first orphan sighting, a changed reason, or mark tags the
   * janitor cannot show it wrote (`replaces` says why). A full grace period.
   */
  | ({ readonly kind: 'mark'; readonly replaces: string | undefined } & DeletionPromise)
  /**
   * The janitor's own mark whose promise no person has seen yet (its report was
   * never delivered), or whose date passed long ago without the janitor acting:
   * announce it again, with a date that gives notice.
   */
  | ({ readonly kind: 'announce'; readonly why: string } & DeletionPromise)
  /** Marked, announced, still orphaned, before its date (deletesAt undefined: only an opt-in would allow it). */
  | {
      readonly kind: 'wait';
      readonly reason: SuspectReason;
      readonly since: string;
      readonly deletesAt: string | undefined;
    }
  /** Its promise was announced, its date has passed, and the reason still holds. */
  | ({ readonly kind: 'delete'; readonly announcedAt: string } & DeletionPromise)
  /** Marked, but its owner is back: remove the marks. */
  | { readonly kind: 'unmark'; readonly since: string | undefined };

/**
 * The lifecycle of a mark as a promise: mark (with the date), announce, wait,
 * delete only once the announced date has passed and the reason still holds.
 * A later run with a shorter grace period never brings a promise forward.
 */
export function planLifecycle(
  verdict: Verdict,
  tags: Readonly<Record<string, string>>,
  now: Date,
  policy: LifecyclePolicy,
): LifecycleAction {
  const reading = readMark(tags, now);
  switch (verdict.kind) {
    case 'UNVERIFIED':
      return { kind: 'hold', error: verdict.error };
    case 'FOREIGN':
      return {
        kind: 'spare',
        reason: verdict.reason,
        detail: verdict.detail,
        ...(reading.kind === 'none' ? {} : { unmark: true }),
      };
    case 'OWNED':
      return reading.kind === 'none'
        ? { kind: 'keep' }
        : {
            kind: 'unmark',
            since: reading.kind === 'mark' ? formatSuspectSince(reading.mark.since) : undefined,
          };
    case 'ORPHAN':
    case 'CLUSTER_NOT_FOUND': {
      const reason: SuspectReason = verdict.kind === 'ORPHAN' ? verdict.reason : 'CLUSTER_NOT_FOUND';
      if (reading.kind === 'none') return newMark(reason, now, policy, undefined);
      if (reading.kind === 'foreign')
        return newMark(reason, now, policy, `the old mark was not the janitor's: ${reading.problem}`);
      if (reading.mark.reason !== reason) {
        return newMark(reason, now, policy, `the reason changed from ${reading.mark.reason}`);
      }
      return planMarked(reading.mark, now, policy);
    }
  }
}

function planMarked(mark: Mark, now: Date, policy: LifecyclePolicy): LifecycleAction {
  const since = formatSuspectSince(mark.since);
  const notice = Math.min(policy.gracePeriodMs, REANNOUNCE_NOTICE_MS);
  // The promised date, never earlier than this run's grace period allows.
  const dueMs = Math.max(mark.deletesAt.getTime(), mark.since.getTime() + policy.gracePeriodMs);
  const announce = (why: string, deletesAtMs: number): LifecycleAction => {
    const renewed = renewedSince(mark);
    return {
      kind: 'announce',
      why,
      reason: mark.reason,
      since: formatSuspectSince(new Date(renewed)),
      // Never before the renewed mark's own grace period ends: the next sweep computes the same date.
      deletesAt: formatSuspectSince(new Date(Math.max(deletesAtMs, renewed + policy.gracePeriodMs))),
    };
  };

  // A promise is kept only if a person heard it in time: announced at least the notice before its date.
  if (mark.announcedAt === undefined || mark.announcedAt.getTime() > mark.deletesAt.getTime() - notice) {
    return announce(
      'no report naming this promise was delivered in time',
      Math.max(dueMs, now.getTime() + policy.gracePeriodMs),
    );
  }
  const optedIn = mark.reason !== 'CLUSTER_NOT_FOUND' || policy.deleteWhenClusterMissing;
  if (!optedIn) return { kind: 'wait', reason: mark.reason, since, deletesAt: undefined };
  if (now.getTime() < dueMs) {
    return { kind: 'wait', reason: mark.reason, since, deletesAt: formatSuspectSince(new Date(dueMs)) };
  }
  if (now.getTime() - dueMs > STALE_PROMISE_MS) {
    return announce(
      `its date ${formatSuspectSince(new Date(dueMs))} passed long ago without the janitor acting`,
      now.getTime() + notice,
    );
  }
  return {
    kind: 'delete',
    reason: mark.reason,
    since,
    deletesAt: formatSuspectSince(new Date(dueMs)),
    announcedAt: formatSuspectSince(mark.announcedAt),
  };
}

/**
 * A re-announcement is a new promise first: its mark starts after any earlier
 * announcement, so an `announced-at` left behind (its removal refused, the
 * function stopped between two calls) is older than the mark it would vouch for
 * and proves nothing (readMark). The first sighting stays when nobody heard of
 * the old promise; an announcement is never later than now, so neither is this.
 */
function renewedSince(mark: Mark): number {
  const since = mark.since.getTime();
  if (mark.announcedAt === undefined) return since;
  return Math.max(since, mark.announcedAt.getTime() + SECOND_MS);
}

function newMark(
  reason: SuspectReason,
  now: Date,
  policy: LifecyclePolicy,
  replaces: string | undefined,
): LifecycleAction {
  return {
    kind: 'mark',
    replaces,
    reason,
    since: formatSuspectSince(now),
    deletesAt: formatSuspectSince(new Date(now.getTime() + policy.gracePeriodMs)),
  };
}
