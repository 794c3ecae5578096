import type { TagWriter } from '../actions/tagging';
import type { FootprintAction, FootprintGate } from '../decisions/footprint-plan';
import type { SweepReads, Verdict } from '../decisions/verdict';
import type { EntryResult } from '../report/build-report';
import type { SweepContext } from './sweep-context';
import type { SweepDependencies } from './sweep-dependencies';

/** What the lifecycle reads of any kind's plan; the rest is the kind's own. */
export interface KindPlan {
  readonly verdict: Verdict;
  readonly action: FootprintAction;
}

/** What the owner named by a resource's fresh tags says of the owner it was judged for. */
export type OwnerCheck<P> =
  | { readonly kind: 'same'; readonly fresh: P }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'other' };

/** What a deletion's record in the log says, written before the resource is touched. */
export interface DeletionRecord {
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/**
 * One resource kind — load balancer, target group, security group, node rule —
 * as an entry the lifecycle loops over: only what really differs between kinds.
 * The lifecycle (tag step, uses, delete step, reminders, announcements) is
 * written once, in lifecycle-*.ts and announcements.ts.
 *
 * `P` is the kind's plan, `U` what its uses read finds, `I` what a look at the
 * resource right before its deletion finds (undefined: nothing to look at).
 */
export interface ResourceKind<P extends KindPlan, U, I> {
  /** How the log names it. */
  readonly name: string;
  /** The resource's ARN or ID: its key in the result book. */
  id(plan: P): string;
  /** The cluster whose limits and breaker it counts against. */
  cluster(plan: P): string;
  /** What the limits count it as (breakerUnit). */
  unit(plan: P): string;
  /** Its tags, as the plan was decided on them. */
  tags(plan: P): Readonly<Record<string, string>>;
  /** Where its tags are written. */
  writer(deps: SweepDependencies): TagWriter;
  /**
   * The resources read again now: each plan's input with the fresh tags. A
   * resource missing from the answer was not returned (gone, or changed past
   * recognition). Throws when the read fails.
   */
  reread(ctx: SweepContext, plans: readonly P[]): Promise<Map<string, P>>;
  /** Whether the fresh tags still name the owner it was judged for. */
  owner(fresh: P, planned: P): OwnerCheck<P>;
  /**
   * The whole decision made again on a fresh resource. `forDeletion`: right
   * before a deletion, so a kind may read again what its decision rests on.
   */
  decide(ctx: SweepContext, fresh: P, reads: SweepReads, now: Date, forDeletion: boolean): Promise<P>;
  /** What uses the candidates, read in one batch before tagging. Never throws: an unread fact is a finding. */
  readUses(ctx: SweepContext, plans: readonly P[]): Promise<Map<string, U>>;
  /** What its uses say of a deletion. */
  gate(uses: U | undefined): FootprintGate;
  /** A look at the resource right before its deletion; `gone` when it is. Throws when the look fails. */
  inspect(ctx: SweepContext, plan: P): Promise<I | 'gone'>;
  /** Why it cannot be deleted by the janitor whatever uses it (deletion protection), as its result. */
  blocker(inspection: I): EntryResult | undefined;
  /** What uses it, read again right before its deletion (with the batch's findings where a kind keeps them). */
  usesForDeletion(ctx: SweepContext, plan: P, batch: U | undefined, inspection: I): Promise<U>;
  /** Its record in the log, before the deletion. */
  record(fresh: P, inspection: I, uses: U): DeletionRecord;
  /** What a dry run reports for a deletion every gate let through. `notChecked`: evidence sources switched off. */
  dryRun(fresh: P, inspection: I, notChecked: string | undefined): EntryResult;
  /** Deletes it; `already-gone`, `failed` and the like are results, not throws. */
  remove(
    ctx: SweepContext,
    fresh: P,
    inspection: I,
    uses: U,
    notChecked: string | undefined,
  ): Promise<EntryResult>;
}

/** One kind with this sweep's plans of it, and the uses read for them. */
export interface KindRun<P extends KindPlan, U, I> {
  readonly kind: ResourceKind<P, U, I>;
  readonly plans: readonly P[];
  /** What uses each candidate, read once (readCandidateUses). */
  readonly uses: Map<string, U>;
}

/** A kind's run with its types hidden, so runs of every kind go in one ordered list. */
export type AnyKindRun = <R>(visit: <P extends KindPlan, U, I>(run: KindRun<P, U, I>) => R) => R;

/** A kind's run over `plans`, with what was already read of their uses (read once: never again). */
export function kindRun<P extends KindPlan, U, I>(
  kind: ResourceKind<P, U, I>,
  plans: readonly P[],
  read: ReadonlyMap<string, U> = new Map(),
): KindRun<P, U, I> {
  const ids = new Set(plans.map((plan) => kind.id(plan)));
  return { kind, plans, uses: new Map([...read].filter(([id]) => ids.has(id))) };
}

export function anyKind<P extends KindPlan, U, I>(run: KindRun<P, U, I>): AnyKindRun {
  return (visit) => visit(run);
}
