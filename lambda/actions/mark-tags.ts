import {
  ANNOUNCED_AT_TAG,
  DELETES_AT_TAG,
  JANITOR_MARK_TAGS,
  REMINDED_AT_TAG,
  SUSPECT_REASON_TAG,
  SUSPECT_SINCE_TAG,
} from '../../contract/tag-keys';
import type { FootprintAction } from '../decisions/footprint-plan';
import type { TagChange } from './tagging';

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
    // Until this report is delivered, nobody has heard of the new promise, nor been reminded of it.
    const heard = [ANNOUNCED_AT_TAG, REMINDED_AT_TAG].filter((key) => key in tags);
    return heard.length > 0 ? [add, { kind: 'remove', id, keys: heard }] : [add];
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
