import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import { awsAnswersAt } from '../support/aws-clock';
import { steppingClock } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

// Safety review 2026-12, finding 7 (reproduction S3): a re-announcement wrote the new date before it
// removed the old announced-at; when the removal failed and the email failed too, the old
// announced-at vouched for a date nobody was told, and the NLB was deleted a day later.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => formatSuspectSince(new Date(ms));

describeWithWorld('a re-announcement is a new promise first', (world) => {
  it('a stale promise re-announced while RemoveTags fails and the email fails is not deleted a day later; announced once delivered, then deleted', async () => {
    const w = world();
    const clock = steppingClock();
    await w.addCluster('prod', { now: clock.clock });
    // The promise comes due by stepping the clock: AWS's Date header steps with it.
    const restoreAwsClock = awsAnswersAt(w.janitorElbv2, clock.clock);
    try {
      const now = Date.now();
      // A promise made 20 days ago, announced then, its date 13 days past: the janitor was stopped.
      const since = now - 20 * DAY;
      const oldTags = {
        'nlb-janitor/suspect-since': iso(since),
        'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
        'nlb-janitor/deletes-at': iso(since + 7 * DAY),
        'nlb-janitor/announced-at': iso(since),
      };
      const nlb = await w.createNlb({ name: 'stale', cluster: 'prod', service: 'shop/gone', tags: oldTags });
      await w.moto.injectFault({
        service: 'elasticloadbalancing',
        action: 'RemoveTags',
        count: -1,
        status: 400,
        code: 'AccessDenied',
        message: 'explicit deny in a service control policy',
      });
      const first = await w.sweep(
        {},
        {
          clock: clock.clock,
          announce: async () => {
            throw new Error('SNS is unavailable');
          },
        },
      );
      assert.equal(first.announcement.status, 'failed', 'nobody was told');
      assert.equal(entry(first, 'stale').outcome, 'failed');
      assert.match(
        entry(first, 'stale').detail ?? '',
        /old announcement could not be removed, so no new promise/,
      );
      // The old promise stands as it was: no new date beside the old announcement.
      const tags = await w.tagsOf(nlb.arn);
      for (const [key, value] of Object.entries(oldTags)) assert.equal(tags[key], value, key);
      await w.moto.clearFaults();

      // 25 hours later: still stale, so announced again, never deleted on the old announcement.
      clock.advance(25 * HOUR);
      const second = await w.sweep({}, { clock: clock.clock });
      assert.equal(entry(second, 'stale').outcome, 'announced');
      assert.equal(second.counts.deleted, 0);
      const renewed = await w.tagsOf(nlb.arn);
      assert.ok(renewed['nlb-janitor/announced-at'], 'announced once the report was delivered');
      assert.ok(
        (renewed['nlb-janitor/suspect-since'] ?? '') > iso(since),
        'the re-announced mark starts after the old announcement',
      );

      // The control: once that promise was delivered, it is kept a day later.
      clock.advance(25 * HOUR);
      const third = await w.sweep({}, { clock: clock.clock });
      assert.equal(entry(third, 'stale').outcome, 'deleted');
      assert.equal(w.delivered.length, 2, 'the re-announcement, then the deletion');
    } finally {
      restoreAwsClock();
    }
  });
});
