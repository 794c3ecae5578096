import { SUSPECT_REASON_TAG, SUSPECT_SINCE_TAG } from '../ownership/tag-keys';
import { formatSuspectSince, parseSuspectSince } from './suspect-timestamp';
import type { OrphanReason, Verdict } from './verdict';

/** Why the janitor suspects a load balancer; the value of `nlb-janitor/reason`. */
export type SuspectReason = OrphanReason | 'CLUSTER_NOT_FOUND';

export interface LifecyclePolicy {
  readonly gracePeriodMs: number;
  /** Clusters that EKS does not know may be self-managed, so deleting their load balancers is opt-in. */
  readonly deleteWhenClusterMissing: boolean;
}

/** What the janitor should do with one load balancer, decided from a verdict and the tags it carries. */
export type LifecycleAction =
  /** Owned and not marked: nothing to do. */
  | { readonly kind: 'keep' }
  /** The read was incomplete: no change at all. */
  | { readonly kind: 'hold'; readonly error: string }
  /** First orphan sighting: tag suspect-since = now and the reason. */
  | { readonly kind: 'mark'; readonly reason: SuspectReason; readonly since: string }
  /** Marked with a suspect-since that does not parse or lies in the future: restart the clock now. */
  | {
      readonly kind: 'reset-mark';
      readonly reason: SuspectReason;
      readonly since: string;
      readonly invalidSince: string;
    }
  /** Marked and still orphaned, within the grace period (or waiting for an opt-in). */
  | {
      readonly kind: 'wait';
      readonly reason: SuspectReason;
      readonly since: string;
      /** When it becomes a deletion candidate; undefined when only an opt-in would allow it. */
      readonly deletesAt: string | undefined;
    }
  /** Marked longer ago than the grace period and still orphaned. */
  | { readonly kind: 'delete'; readonly reason: SuspectReason; readonly since: string }
  /** Marked, but its owner is back: remove the marks. */
  | { readonly kind: 'unmark'; readonly since: string | undefined };

export function planLifecycle(
  verdict: Verdict,
  tags: Readonly<Record<string, string>>,
  now: Date,
  policy: LifecyclePolicy,
): LifecycleAction {
  const markedSince = tags[SUSPECT_SINCE_TAG];
  const marked = markedSince !== undefined || tags[SUSPECT_REASON_TAG] !== undefined;

  switch (verdict.kind) {
    case 'UNVERIFIED':
      return { kind: 'hold', error: verdict.error };
    case 'OWNED':
      return marked ? { kind: 'unmark', since: markedSince } : { kind: 'keep' };
    case 'ORPHAN':
    case 'CLUSTER_NOT_FOUND': {
      const reason = verdict.kind === 'ORPHAN' ? verdict.reason : 'CLUSTER_NOT_FOUND';
      const nowValue = formatSuspectSince(now);
      if (markedSince === undefined) return { kind: 'mark', reason, since: nowValue };
      const since = parseSuspectSince(markedSince);
      // A timestamp the janitor cannot trust is never a reason to delete.
      if (since === undefined || since.getTime() > now.getTime()) {
        return { kind: 'reset-mark', reason, since: nowValue, invalidSince: markedSince };
      }
      const deletableAt = new Date(since.getTime() + policy.gracePeriodMs);
      const mayDelete = reason !== 'CLUSTER_NOT_FOUND' || policy.deleteWhenClusterMissing;
      if (!mayDelete) return { kind: 'wait', reason, since: markedSince, deletesAt: undefined };
      if (now.getTime() > deletableAt.getTime()) return { kind: 'delete', reason, since: markedSince };
      return { kind: 'wait', reason, since: markedSince, deletesAt: formatSuspectSince(deletableAt) };
    }
  }
}
