import {
  ANNOUNCED_AT_TAG,
  DELETES_AT_TAG,
  JANITOR_MARK_TAGS,
  REMINDED_AT_TAG,
  SUSPECT_REASON_TAG,
  SUSPECT_SINCE_TAG,
} from '../../contract/tag-keys';
import type { FootprintAction } from '../decisions/footprint-plan';
import { NAMED_WITHOUT_DATE } from '../report/cluster-missing-opt-in';
import { applyTagChanges, type TagChange, type TagFailures, type TagWriter } from './tagging';

/**
 * What a delivered report records: `announced-at` on the resources whose new
 * promise it carried, `reminded-at` on those it reminded of (`value`: the time
 * the promises were decided).
 */
export function announcementChanges(
  announced: Iterable<string>,
  reminded: Iterable<string>,
  value: string,
): TagChange[] {
  return [
    ...[...announced].map((id): TagChange => ({ kind: 'add', id, tags: { [ANNOUNCED_AT_TAG]: value } })),
    ...[...reminded].map((id): TagChange => ({ kind: 'add', id, tags: { [REMINDED_AT_TAG]: value } })),
  ];
}

/** What a delivered message lets the janitor record, and the promises it did not name. */
export interface NamedAnnouncements {
  /** New promises (mark, announce) the message named with their date: `announced-at`. */
  readonly announced: string[];
  /** Reminders the message named with their date: `reminded-at`. */
  readonly reminded: string[];
  /** New promises and reminders it had no room for: unannounced, so announced (or reminded) again. */
  readonly unnamed: string[];
}

/**
 * Announced means named: of the resources whose new promise this sweep wrote
 * (`mark`, `announce`, not changed since by a step, `done`) and those owed a
 * reminder, the ones the delivered message named with exactly the date of the
 * promise. Whatever it had no room for stays unannounced: the next sweep
 * announces it again, as it does after a failed delivery.
 */
export function namedAnnouncements(
  candidates: Iterable<{ readonly id: string; readonly action: FootprintAction }>,
  reminders: ReadonlySet<string>,
  done: ReadonlyMap<string, unknown>,
  named: ReadonlyMap<string, string>,
): NamedAnnouncements {
  const result: NamedAnnouncements = { announced: [], reminded: [], unnamed: [] };
  for (const { id, action } of candidates) {
    const promise = (action.kind === 'mark' || action.kind === 'announce') && !done.has(id);
    const reminder = reminders.has(id) && action.kind === 'wait';
    if (!promise && !reminder) continue;
    // Named with the promise's date; or, while a cluster EKS does not know waits for the opt-in, listed without one.
    const told =
      'deletesAt' in action &&
      action.deletesAt !== undefined &&
      (named.get(id) === action.deletesAt ||
        (action.reason === 'CLUSTER_NOT_FOUND' && named.get(id) === NAMED_WITHOUT_DATE));
    if (!told) result.unnamed.push(id);
    else if (promise) result.announced.push(id);
    else result.reminded.push(id);
  }
  return result;
}

/**
 * The tag changes a lifecycle action makes on one resource, whatever its kind:
 * a new or re-announced promise writes its three tags together (and forgets
 * that anyone heard the old one); an unmark removes every janitor mark.
 */
export function markTagChanges(
  id: string,
  action: FootprintAction,
  tags: Readonly<Record<string, string>>,
): TagChange[] {
  if (action.kind === 'mark' || action.kind === 'announce') {
    const add: TagChange = {
      kind: 'add',
      id,
      tags: {
        [SUSPECT_SINCE_TAG]: action.since,
        [SUSPECT_REASON_TAG]: action.reason,
        [DELETES_AT_TAG]: action.deletesAt,
      },
    };
    // Until this report is delivered, nobody has heard of the new promise, nor been reminded of it:
    // the old announcement goes first (applyMarkTagChanges writes the promise only once it is gone).
    const heard = [ANNOUNCED_AT_TAG, REMINDED_AT_TAG].filter((key) => key in tags);
    return heard.length > 0 ? [{ kind: 'remove', id, keys: heard }, add] : [add];
  }
  if (action.kind === 'unmark' || (action.kind === 'spare' && action.unmark === true)) {
    return [{ kind: 'remove', id, keys: JANITOR_MARK_TAGS.filter((key) => key in tags) }];
  }
  return [];
}

/**
 * Whether an action writes or removes tags in the tag phase: a new or
 * re-announced promise, an unmark, and a spared resource that still carries the
 * janitor's marks (kept because it is not its tags' cluster's, so they are no
 * longer a promise: left, a later narrowed or confused sweep would carry it out).
 */
export function changesTags(action: FootprintAction): boolean {
  return (
    action.kind === 'mark' ||
    action.kind === 'announce' ||
    action.kind === 'unmark' ||
    (action.kind === 'spare' && action.unmark === true)
  );
}

/**
 * Applies markTagChanges: every removal first, then the additions, but only on
 * resources whose removals succeeded. A re-announcement whose old `announced-at`
 * could not be removed (refused, throttled) writes no new date: the old promise
 * stands as it was, still stale, and the next sweep tries again. Written the other
 * way round, the old announcement would vouch for a date nobody was told.
 */
export async function applyMarkTagChanges(
  writer: TagWriter,
  changes: readonly TagChange[],
): Promise<TagFailures> {
  const removals = changes.filter((change) => change.kind === 'remove');
  const failures = new Map(await applyTagChanges(writer, removals));
  const promised = new Set(changes.filter((change) => change.kind === 'add').map((change) => change.id));
  for (const [id, error] of failures) {
    if (error !== 'gone' && promised.has(id))
      failures.set(id, `its old announcement could not be removed, so no new promise was written: ${error}`);
  }
  const additions = changes.filter((change) => change.kind === 'add' && !failures.has(change.id));
  for (const [id, error] of await applyTagChanges(writer, additions)) failures.set(id, error);
  return failures;
}

/**
 * The announcement's detail after a delivery: what the announcer said of it (a
 * shorter message than composed), the promises it had no room for, and the
 * records that could not be written; undefined when there is nothing to say.
 */
export function deliveryDetail(
  said: string | undefined,
  unnamed: number,
  failed: readonly string[],
): string | undefined {
  const parts = [
    ...(said === undefined ? [] : [said]),
    ...(unnamed === 0
      ? []
      : [
          `the message had no room to name ${unnamed} new promises or reminders; they are not recorded as announced, and the next sweep announces them again`,
        ]),
    ...(failed.length === 0
      ? []
      : [
          `announced-at or reminded-at could not be recorded on ${failed.length} resources; the next sweep announces or reminds them again: ${failed[0]}`,
        ]),
  ];
  return parts.length === 0 ? undefined : parts.join('; ');
}
