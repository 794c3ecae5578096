import assert from 'node:assert/strict';
import * as path from 'node:path';
import { it } from 'node:test';
import { createAwsClients } from '../../lambda/aws-clients';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import { loadBalancerDimension } from '../../lambda/evidence/traffic';
import { ClockSkewError } from '../../lambda/sweep/clock-check';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Finding 3 of the seams issue: the host clock was trusted. A janitor whose clock
// is off AWS's by more than five minutes now stops before any change. Moto answers
// with the real time (its Date header, which the check reads, is the real one);
// only the janitor's clock is shifted: injected into the engine, or preloaded into
// the CLI's process (test/support/shifted-clock.cjs).

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SHIFTED_CLOCK = path.join(__dirname, '..', 'support', 'shifted-clock.cjs');
const iso = (ms: number) => formatSuspectSince(new Date(ms));
const fast = () => new Date(Date.now() + 8 * DAY);
const slow = () => new Date(Date.now() - 8.5 * DAY);

/** Calls that change something in AWS, by `service:Action`. */
async function changes(w: TestWorld): Promise<string[]> {
  const calls = await w.moto.calls();
  return Object.keys(calls).filter((call) =>
    /:(Add|Remove|Delete|Create|Modify|Revoke|Authorize|Publish|Put|Tag|Untag)/.test(call),
  );
}

/**
 * Marked and announced an hour ago for a cluster that is gone (opt-in deletion):
 * a promise for 7 days from now, carrying 20,000 new flows an hour.
 */
async function promisedWithTraffic(w: TestWorld): Promise<{ arn: string; tags: Record<string, string> }> {
  const now = Date.now();
  const nlb = await w.createNlb({
    name: 'old-cluster-nlb',
    cluster: 'old-prod',
    service: 'shop/web',
    tags: {
      'nlb-janitor/suspect-since': iso(now - HOUR),
      'nlb-janitor/reason': 'CLUSTER_NOT_FOUND',
      'nlb-janitor/deletes-at': iso(now - HOUR + 7 * DAY),
      'nlb-janitor/announced-at': iso(now - HOUR),
    },
  });
  await w.putLoadBalancerMetric(
    loadBalancerDimension(nlb.arn) ?? '',
    'NewFlowCount',
    Array.from({ length: 24 }, (_, index) => ({ value: 20_000, at: new Date(now - index * HOUR) })),
  );
  return { arn: nlb.arn, tags: await w.tagsOf(nlb.arn) };
}

const OPT_IN = { deleteWhenClusterMissing: true, clusters: ['old-prod'] };

describeWithWorld('the host clock is checked against AWS', (world) => {
  it('a janitor 8 days fast stops before any change: the promise of next week is not carried out now', async () => {
    const w = world();
    const { arn, tags } = await promisedWithTraffic(w);
    await w.moto.resetCalls();

    await assert.rejects(
      w.sweep(OPT_IN, { clock: fast, evidence: w.evidenceSources(7 * DAY, { clock: fast }) }),
      (error: unknown) =>
        error instanceof ClockSkewError &&
        /^the host clock is 1152\d minutes \(8\.0 days\) ahead of AWS's .*nothing was marked or deleted/.test(
          error.message,
        ),
    );

    assert.ok((await w.loadBalancerArns()).includes(arn));
    assert.deepEqual(await w.tagsOf(arn), tags);
    assert.deepEqual(await changes(w), []);
    // Stopped right after the inventory: no cluster, no evidence (no traffic window in the future) was read.
    assert.equal((await w.moto.calls())['monitoring:GetMetricData'], undefined);
  });

  it('a janitor 8.5 days slow writes no backdated promise; the next correct sweep makes a full one', async () => {
    const w = world();
    const nlb = await w.createNlb({ name: 'old-cluster-nlb', cluster: 'old-prod', service: 'shop/web' });
    await w.moto.resetCalls();

    await assert.rejects(
      w.sweep(OPT_IN, { clock: slow, evidence: w.evidenceSources(7 * DAY, { clock: slow }) }),
      (error: unknown) =>
        error instanceof ClockSkewError &&
        /^the host clock is 122\d\d minutes \(8\.5 days\) behind/.test(error.message),
    );
    assert.deepEqual(await changes(w), []);
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);

    // What the slow janitor used to leave made this sweep delete at once; now it marks, a week out.
    const onTime = await w.sweep(OPT_IN);
    assert.equal(entry(onTime, 'old-cluster-nlb').outcome, 'marked');
    assert.ok(Date.parse(entry(onTime, 'old-cluster-nlb').deletesAt ?? '') > Date.now() + 6.9 * DAY);
  });

  it('a janitor 10 days slow against a live cluster changes nothing either', async () => {
    const w = world();
    const tenDaysSlow = () => new Date(Date.now() - 10 * DAY);
    await w.addCluster('prod', { now: tenDaysSlow });
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    const tags = await w.tagsOf(nlb.arn);

    await assert.rejects(
      w.sweep({}, { clock: tenDaysSlow, evidence: w.evidenceSources(7 * DAY, { clock: tenDaysSlow }) }),
      ClockSkewError,
    );
    assert.deepEqual(await w.tagsOf(nlb.arn), tags);
    assert.equal(w.cluster('prod').requests.length, 0);
  });

  it('control: a clock within five minutes of AWS still deletes the due orphan', async () => {
    const w = world();
    await w.addCluster('prod');
    const due = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    const fourMinutesFast = () => new Date(Date.now() + 4 * 60_000);

    const report = await w.sweep(
      {},
      { clock: fourMinutesFast, evidence: w.evidenceSources(7 * DAY, { clock: fourMinutesFast }) },
    );

    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(due.arn));
  });

  it('control: with the right window, the traffic above stops the due deletion', async () => {
    const w = world();
    const { arn } = await promisedWithTraffic(w);
    await w.addTags(arn, suspectTags(daysAgo(8), 'CLUSTER_NOT_FOUND'));

    const report = await w.sweep(OPT_IN);

    assert.equal(entry(report, 'old-cluster-nlb').outcome, 'needs-manual-action');
    assert.match(entry(report, 'old-cluster-nlb').detail ?? '', /traffic over the last 7d/);
  });

  for (const [name, shiftMs, says] of [
    ['8 days fast', 8 * DAY, /ahead of AWS's/],
    ['8.5 days slow', -8.5 * DAY, /behind AWS's/],
  ] as const) {
    it(`CLI on a host ${name}: exit 2, one line, nothing marked or deleted`, async () => {
      const w = world();
      await w.addCluster('prod');
      const { arn, tags } = await promisedWithTraffic(w);
      const fresh = await w.createNlb({ name: 'fresh', cluster: 'prod', service: 'shop/gone' });
      await w.moto.resetCalls();

      const run = await w.cli(['sweep', '--delete-when-cluster-missing'], {
        NODE_OPTIONS: `--require ${SHIFTED_CLOCK}`,
        SHIFTED_CLOCK_MS: String(shiftMs),
      });

      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, /^nlb-janitor: the host clock is \d+ minutes \(\d+\.\d days\) /);
      assert.match(run.stderr, says);
      assert.match(run.stderr, /nothing was marked or deleted/);
      assert.deepEqual(await w.tagsOf(arn), tags);
      assert.equal((await w.tagsOf(fresh.arn))['nlb-janitor/suspect-since'], undefined);
      assert.deepEqual(await changes(w), []);
      assert.equal(w.cluster('prod').requests.length, 0);
    });
  }

  it('the Lambda handler with a clock 8 days fast throws one clear line, after logging it, and changes nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    const { arn, tags } = await promisedWithTraffic(w);
    Object.assign(process.env, w.env());
    const errors: string[] = [];
    const handler = createSweepHandler({
      env: { CLUSTERS: 'prod,old-prod', DELETE_WHEN_CLUSTER_MISSING: 'true' },
      clients: createAwsClients(),
      logger: { debug: () => {}, info: () => {}, error: (message) => errors.push(message) },
      metrics: { addMetric: () => {}, publishStoredMetrics: () => {} },
      clock: fast,
    });
    await w.moto.resetCalls();

    await assert.rejects(
      handler(
        { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
        { getRemainingTimeInMillis: () => 300_000 },
      ),
      ClockSkewError,
    );

    assert.equal(errors.length, 1);
    assert.match(
      errors[0] ?? '',
      /^sweep failed: ClockSkewError: the host clock is 1152\d minutes \(8\.0 days\) ahead of AWS's/,
    );
    assert.ok(!(errors[0] ?? '').includes('\n'));
    assert.deepEqual(await w.tagsOf(arn), tags);
    assert.deepEqual(await changes(w), []);
  });

  it('control: the CLI with a correct clock deletes the due orphan', async () => {
    const w = world();
    await w.addCluster('prod');
    const due = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 0,
      tags: suspectTags(daysAgo(8)),
    });

    const run = await w.cli(['sweep'], { NODE_OPTIONS: `--require ${SHIFTED_CLOCK}`, SHIFTED_CLOCK_MS: '0' });

    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^deleted\s+due/m);
    assert.ok(!(await w.loadBalancerArns()).includes(due.arn));
  });
});
