import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMarkTagChanges, markTagChanges } from '../../lambda/actions/mark-tags';
import type { TagWriter } from '../../lambda/actions/tagging';
import type { FootprintAction } from '../../lambda/decisions/footprint-plan';

// Safety review 2026-12 (S3): a re-announcement forgets the old announcement before it writes the
// new date, and writes the date only where forgetting succeeded.
const REANNOUNCE: FootprintAction = {
  kind: 'announce',
  why: 'its date passed long ago without the janitor acting',
  reason: 'SERVICE_NOT_FOUND',
  since: '2026-11-04T18:00:01Z',
  deletesAt: '2026-11-25T18:00:00Z',
};
const HEARD = {
  'nlb-janitor/suspect-since': '2026-11-04T18:00:00Z',
  'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
  'nlb-janitor/deletes-at': '2026-11-11T18:00:00Z',
  'nlb-janitor/announced-at': '2026-11-04T18:00:00Z',
  'nlb-janitor/reminded-at': '2026-11-10T19:00:00Z',
};

/** A writer that records its calls and refuses the ones `refuse` says. */
function recordingWriter(refuse: (kind: 'add' | 'remove', ids: readonly string[]) => string | undefined) {
  const calls: string[] = [];
  const writer: TagWriter = {
    batchSize: 20,
    add: async (ids, tags) => {
      calls.push(`add ${ids.join(',')} ${Object.keys(tags).sort().join(',')}`);
      const refused = refuse('add', ids);
      if (refused !== undefined) throw Object.assign(new Error(refused), { name: refused });
    },
    remove: async (ids, keys) => {
      calls.push(`remove ${ids.join(',')} ${[...keys].sort().join(',')}`);
      const refused = refuse('remove', ids);
      if (refused !== undefined) throw Object.assign(new Error(refused), { name: refused });
    },
    isGone: (error) => error instanceof Error && error.name === 'LoadBalancerNotFound',
  };
  return { writer, calls };
}

describe('applyMarkTagChanges: a re-announcement is a new promise first', () => {
  it('removes announced-at and reminded-at before it writes the new date', async () => {
    const { writer, calls } = recordingWriter(() => undefined);
    const failures = await applyMarkTagChanges(writer, markTagChanges('lb-1', REANNOUNCE, HEARD));
    assert.equal(failures.size, 0);
    assert.deepEqual(calls, [
      'remove lb-1 nlb-janitor/announced-at,nlb-janitor/reminded-at',
      'add lb-1 nlb-janitor/deletes-at,nlb-janitor/reason,nlb-janitor/suspect-since',
    ]);
  });

  it('writes no new date where the old announcement could not be removed; the others go ahead', async () => {
    const { writer, calls } = recordingWriter((kind, ids) =>
      kind === 'remove' && ids.includes('lb-1') ? 'AccessDenied' : undefined,
    );
    const changes = [
      ...markTagChanges('lb-1', REANNOUNCE, HEARD),
      ...markTagChanges('lb-2', REANNOUNCE, HEARD),
      ...markTagChanges('lb-3', { ...REANNOUNCE, kind: 'mark', replaces: undefined }, {}),
    ];
    const failures = await applyMarkTagChanges(writer, changes);
    assert.deepEqual([...failures.keys()], ['lb-1']);
    assert.match(failures.get('lb-1') ?? '', /old announcement could not be removed, so no new promise/);
    assert.ok(!calls.some((call) => call.startsWith('add') && call.includes('lb-1')), calls.join('\n'));
    assert.ok(calls.some((call) => call.startsWith('add') && call.includes('lb-2')));
    assert.ok(calls.some((call) => call.startsWith('add') && call.includes('lb-3')));
  });

  it('a resource gone meanwhile is gone, not a failure', async () => {
    const { writer } = recordingWriter(() => 'LoadBalancerNotFound');
    const failures = await applyMarkTagChanges(writer, markTagChanges('lb-1', REANNOUNCE, HEARD));
    assert.equal(failures.get('lb-1'), 'gone');
  });
});
