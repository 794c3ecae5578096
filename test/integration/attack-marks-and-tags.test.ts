import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import type { TaggingApiClient } from '../../lambda/inventory/tagging-api-tags';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Safety review (attack): the tagging API's lag, and marks at the edges of what the
// janitor accepts as its own announced promise.

const DAY = 86_400_000;
const iso = (ms: number) => formatSuspectSince(new Date(ms));

/**
 * The tagging API as it may answer a moment after a change: the tags of `arn`
 * as `stale` says they were (a snapshot taken before a person or the janitor tagged).
 */
function laggingTagging(w: TestWorld, stale: Map<string, Record<string, string>>): TaggingApiClient {
  return {
    send: (async (command: GetResourcesCommand) => {
      const output = await w.tagging.send(command);
      return {
        ...output,
        ResourceTagMappingList: (output.ResourceTagMappingList ?? []).flatMap((mapping) => {
          const old = mapping.ResourceARN === undefined ? undefined : stale.get(mapping.ResourceARN);
          if (old === undefined) return [mapping];
          const key = command.input.TagFilters?.[0]?.Key ?? '';
          // A query by key returns the resource only if the stale tags had that key.
          if (!(key in old)) return [];
          return [{ ...mapping, Tags: Object.entries(old).map(([Key, Value]) => ({ Key, Value })) }];
        }),
      };
    }) as TaggingApiClient['send'],
  };
}

describeWithWorld('attack: tagging API lag and mark edges', (world) => {
  it('an ignore tag the tagging API has not seen yet stops a due deletion (the fresh DescribeTags catches it)', async () => {
    const w = world();
    await w.addCluster('prod');
    const owner = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/gone' };
    const mark = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({ name: 'due', tags: { ...owner, ...mark } });
    await w.addTags(nlb.arn, { 'nlb-janitor/ignore': 'keep' });

    const report = await w.sweep(
      {},
      { tagging: laggingTagging(w, new Map([[nlb.arn, { ...owner, ...mark }]])) },
    );

    assert.equal(entry(report, 'due').outcome, 'kept');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('an ignore tag the tagging API has not seen yet stops a new mark', async () => {
    const w = world();
    await w.addCluster('prod');
    const owner = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/gone' };
    const nlb = await w.createNlb({ name: 'new-orphan', tags: owner });
    await w.addTags(nlb.arn, { 'nlb-janitor/ignore': '' });

    const report = await w.sweep({}, { tagging: laggingTagging(w, new Map([[nlb.arn, owner]])) });

    assert.equal(entry(report, 'new-orphan').outcome, 'kept');
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('a due, announced mark the tagging API does not return yet is neither deleted nor overwritten', async () => {
    const w = world();
    await w.addCluster('prod');
    const owner = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/gone' };
    const mark = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({ name: 'due-unseen', tags: { ...owner, ...mark } });

    const report = await w.sweep({}, { tagging: laggingTagging(w, new Map([[nlb.arn, owner]])) });

    assert.equal(entry(report, 'due-unseen').outcome, 'deferred');
    assert.deepEqual(await w.tagsOf(nlb.arn), { ...owner, ...mark });
  });

  it('a due mark the tagging API still shows after the janitor replaced it is not deleted on the old promise', async () => {
    const w = world();
    await w.addCluster('prod');
    const owner = { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'shop/gone' };
    const oldMark = suspectTags(daysAgo(8));
    // Now: a fresh, unannounced promise (a later sweep re-marked it).
    const nlb = await w.createNlb({
      name: 'remarked',
      tags: {
        ...owner,
        'nlb-janitor/suspect-since': daysAgo(0.5),
        'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
        'nlb-janitor/deletes-at': iso(Date.now() + 6.5 * DAY),
      },
    });

    const report = await w.sweep(
      {},
      { tagging: laggingTagging(w, new Map([[nlb.arn, { ...owner, ...oldMark }]])) },
    );

    assert.notEqual(entry(report, 'remarked').outcome, 'deleted');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('announced-at exactly a day before deletes-at is in time (deleted); one second later is announced again', async () => {
    const w = world();
    await w.addCluster('prod');
    const since = Date.now() - 8 * DAY;
    const deletesAt = since + 7 * DAY;
    const base = {
      'elbv2.k8s.aws/cluster': 'prod',
      'nlb-janitor/suspect-since': iso(since),
      'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
      'nlb-janitor/deletes-at': iso(deletesAt),
    };
    const exact = await w.createNlb({
      name: 'exact-day',
      tags: { ...base, 'service.k8s.aws/stack': 'shop/a', 'nlb-janitor/announced-at': iso(deletesAt - DAY) },
    });
    const late = await w.createNlb({
      name: 'late-second',
      tags: {
        ...base,
        'service.k8s.aws/stack': 'shop/b',
        'nlb-janitor/announced-at': iso(deletesAt - DAY + 1000),
      },
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'exact-day').outcome, 'deleted');
    assert.equal(entry(report, 'late-second').outcome, 'announced');
    assert.ok(Date.parse(entry(report, 'late-second').deletesAt ?? '') >= Date.now() + 6 * DAY);
    assert.ok((await w.loadBalancerArns()).includes(late.arn));
    assert.ok(!(await w.loadBalancerArns()).includes(exact.arn));
  });

  it('a promise 365 days out waits; 365 days and a second is not the janitor’s and is replaced, never deleted', async () => {
    const w = world();
    await w.addCluster('prod');
    const since = Date.now() - 2 * DAY;
    const common = {
      'elbv2.k8s.aws/cluster': 'prod',
      'nlb-janitor/suspect-since': iso(since),
      'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
      'nlb-janitor/announced-at': iso(since),
    };
    await w.createNlb({
      name: 'year',
      tags: {
        ...common,
        'service.k8s.aws/stack': 'shop/a',
        'nlb-janitor/deletes-at': iso(since + 365 * DAY),
      },
    });
    await w.createNlb({
      name: 'year-plus',
      tags: {
        ...common,
        'service.k8s.aws/stack': 'shop/b',
        'nlb-janitor/deletes-at': iso(since + 365 * DAY + 1000),
      },
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'year').outcome, 'pending');
    assert.equal(entry(report, 'year-plus').outcome, 'marked');
  });

  it('suspect-since exactly at MARK_EPOCH is accepted, but its long-past date is announced again, not deleted', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'epoch',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags('2026-01-01T00:00:00Z'),
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'epoch').outcome, 'announced');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('a shorter grace period in a later sweep never brings an announced promise forward', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'shortened',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(2)),
    });

    const report = await w.sweep({ gracePeriod: '1h', gracePeriodMs: 3_600_000 });

    assert.equal(entry(report, 'shortened').outcome, 'pending');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('a dry run that delivers its report writes no announced-at (sweep and CLI)', async () => {
    const w = world();
    await w.addCluster('prod');
    const since = daysAgo(1);
    const unannounced = {
      'nlb-janitor/suspect-since': since,
      'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
      'nlb-janitor/deletes-at': iso(Date.parse(since) + 7 * DAY),
    };
    const marked = await w.createNlb({
      name: 'marked',
      cluster: 'prod',
      service: 'shop/a',
      tags: unannounced,
    });
    const fresh = await w.createNlb({ name: 'fresh', cluster: 'prod', service: 'shop/b' });

    const report = await w.sweep({ dryRun: true });
    assert.equal(w.delivered.length, 1);
    assert.equal(entry(report, 'marked').outcome, 'announced');
    const run = await w.cli(['sweep', '--dry-run']);
    assert.equal(run.status, 0, run.stderr);

    const tags = await w.tagsOf(marked.arn);
    assert.equal(tags['nlb-janitor/announced-at'], undefined);
    assert.equal(tags['nlb-janitor/deletes-at'], unannounced['nlb-janitor/deletes-at']);
    assert.equal((await w.tagsOf(fresh.arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('observed (design limit): a hand-written, well-formed, announced mark on a real orphan is honoured as the janitor’s', async () => {
    const w = world();
    await w.addCluster('prod');
    // Nobody was told by the janitor; a person copied a mark from another load balancer.
    const nlb = await w.createNlb({
      name: 'hand-marked',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'hand-marked').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(nlb.arn));
  });
});
