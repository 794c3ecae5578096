import { isDeepStrictEqual } from 'node:util';
import type { FootprintGate } from '../decisions/footprint-plan';
import type { SweepReads, Verdict } from '../decisions/verdict';
import type { EntryResult } from '../report/build-report';
import type { KindPlan, OwnerCheck, ResourceKind } from './resource-kind';
import type { SweepContext } from './sweep-context';

// The checks every kind's plan passes on a fresh read, and the results they give:
// pure, one text each, the same for every kind.

/** The same decision: the same action with the same promise, every field of it. */
export function sameDecision(a: KindPlan, b: KindPlan): boolean {
  return isDeepStrictEqual(a.action, b.action);
}

/** The result when the fresh tags no longer name the owner judged. */
export function ownerChangeResult(check: Exclude<OwnerCheck<unknown>, { kind: 'same' }>): EntryResult {
  return check.kind === 'skipped'
    ? {
        outcome: 'kept',
        detail: `its tags changed since the inventory: now skipped (${check.reason}); nothing changed`,
      }
    : { outcome: 'kept', detail: 'its owner tags changed since the inventory; nothing changed' };
}

/** What a tag-step candidate's fresh read says of its plan. */
export type Confirmation<P> =
  | { readonly kind: 'confirmed'; readonly plan: P }
  | { readonly kind: 'changed'; readonly result: EntryResult };

/**
 * Decides a planned mark, re-announcement or unmark again on the resource read
 * right before tagging, with the same cluster reads and the same now. The
 * inventory's tags may be stale (the tagging API is eventually consistent, and
 * people tag while the sweep runs): only a plan the fresh read decides the same
 * way goes ahead, carrying the fresh tags. A resource now ignored or owned by
 * someone else is kept; one not returned, or whose decision changed otherwise,
 * is left for the next sweep, which decides on tags it read itself.
 */
export async function confirmForTagging<P extends KindPlan>(
  ctx: SweepContext,
  kind: ResourceKind<P, unknown, unknown>,
  planned: P,
  reread: P | undefined,
  reads: SweepReads,
): Promise<Confirmation<P>> {
  if (reread === undefined) {
    return {
      kind: 'changed',
      result: {
        outcome: 'deferred',
        detail: 'its tags could not be read again right before tagging; left for the next sweep',
      },
    };
  }
  const owner = kind.owner(reread, planned);
  if (owner.kind !== 'same') return { kind: 'changed', result: ownerChangeResult(owner) };
  const fresh = await kind.decide(ctx, owner.fresh, reads, ctx.plannedAt, false);
  if (!sameDecision(fresh, planned)) {
    return {
      kind: 'changed',
      result: {
        outcome: 'deferred',
        detail: `its tags changed since the inventory (now: ${fresh.action.kind}); left for the next sweep`,
      },
    };
  }
  return { kind: 'confirmed', plan: fresh };
}

/** The result when the decision made again right before a deletion is not the one planned; undefined when it is. */
export function decidedAgainResult(planned: KindPlan, fresh: KindPlan): EntryResult | undefined {
  if (fresh.action.kind !== planned.action.kind) {
    return fresh.verdict.kind === 'UNVERIFIED'
      ? { outcome: 'held', detail: `the read right before deleting failed: ${fresh.verdict.error}` }
      : {
          outcome: 'kept',
          detail: `the reads right before deleting found ${describeChange(fresh.verdict, fresh.action.kind)}`,
        };
  }
  if (!sameDecision(fresh, planned))
    return { outcome: 'kept', detail: 'its mark changed since the sweep began' };
  return undefined;
}

function describeChange(verdict: Verdict, action: string): string {
  switch (verdict.kind) {
    case 'OWNED':
      return 'its Service again';
    case 'FOREIGN':
      return `that it is not its cluster's: ${verdict.detail}`;
    case 'ORPHAN':
    case 'CLUSTER_NOT_FOUND':
      return `it no longer due (${action}: ${verdict.kind === 'ORPHAN' ? verdict.reason : 'CLUSTER_NOT_FOUND'})`;
    case 'UNVERIFIED':
      return `nothing certain (${verdict.error})`;
  }
}

/** The result of a deletion its uses stop; undefined when they let it proceed. */
export function gatedResult(gate: FootprintGate): EntryResult | undefined {
  return gate.kind === 'proceed' ? undefined : stoppedBy(gate);
}

/** The result of a deletion its uses stop. */
export function stoppedBy(gate: Exclude<FootprintGate, { readonly kind: 'proceed' }>): EntryResult {
  switch (gate.kind) {
    case 'in-use':
      return inUseResult(gate.uses);
    case 'unknown':
      return {
        outcome: 'held',
        detail: `evidence of use could not be read, so it is not deleted: ${gate.errors.join('; ')}`,
      };
    case 'wait':
      return { outcome: 'deferred', detail: `${gate.waits.join('; ')}: the next sweep tries again` };
  }
}

/** The result of a deletion something still uses. The mark stays: every sweep checks again, and the first that finds no use deletes it. */
export function inUseResult(uses: readonly string[]): EntryResult {
  return {
    outcome: 'needs-manual-action',
    detail: `orphaned in Kubernetes, but still in use: ${uses.join('; ')}. It will not be deleted while that lasts`,
  };
}

/** The sources switched off, for a deletion's detail. */
export function notCheckedText(gate: FootprintGate): string | undefined {
  return gate.kind === 'proceed' && gate.notChecked.length > 0
    ? `not checked for use: ${gate.notChecked.join(', ')}`
    : undefined;
}
