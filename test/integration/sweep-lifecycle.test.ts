import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import { atFirstTimeCheck, daysAgo, steppingClock, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

const DAY = 86_400_000;
const iso = (ms: number) => formatSuspectSince(new Date(ms));
const marked = suspectTags;

describeWithWorld('sweep lifecycle', (world) => {
  it('marks orphans with the reason and the time, leaves owned and foreign load balancers alone', async () => {
    const w = world();
    await w.addCluster('prod');
    const owned = await w.createNlb({ name: 'owned', cluster: 'prod', service: 'shop/web' });
    const provisioning = await w.createNlb({ name: 'provisioning', cluster: 'prod', service: 'shop/new' });
    const inTree = await w.createNlb({
      name: 'intree',
      cluster: 'prod',
      service: 'shop/legacy',
      controller: 'in-tree',
    });
    const gone = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/deleted' });
    const clusterIp = await w.createNlb({ name: 'clusterip', cluster: 'prod', service: 'shop/internal' });
    const moved = await w.createNlb({ name: 'moved', cluster: 'prod', service: 'gw/envoy' });
    const foreign = await w.createNlb({ name: 'foreign', tags: { team: 'payments' } });
    const ignored = await w.createNlb({
      name: 'ignored',
      cluster: 'prod',
      service: 'shop/ignored',
      tags: { 'nlb-janitor/ignore': 'true' },
    });
    const malformed = await w.createNlb({
      name: 'malformed',
      tags: { 'elbv2.k8s.aws/cluster': 'prod', 'service.k8s.aws/stack': 'nope' },
    });
    const ingress = await w.createNlb({
      name: 'ingress',
      tags: { 'elbv2.k8s.aws/cluster': 'prod', 'ingress.k8s.aws/stack': 'shop/ing' },
    });
    const alb = await w.createNlb({
      name: 'alb',
      type: 'application',
      cluster: 'prod',
      service: 'shop/alb',
      listeners: 0,
    });
    w.putService('prod', 'shop/web', { dnsName: owned.dnsName });
    w.putService('prod', 'shop/new');
    w.putService('prod', 'shop/legacy', { dnsName: inTree.dnsName });
    w.putService('prod', 'shop/internal', { type: 'ClusterIP' });
    w.putService('prod', 'gw/envoy', { dnsName: 'k8s-gw-envoy-new.elb.eu-west-1.amazonaws.com' });

    const before = Date.now();
    const report = await w.sweep();

    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.reason]),
      [
        ['moved', 'marked', 'SERVICE_USES_OTHER_LOAD_BALANCER'],
        ['gone', 'marked', 'SERVICE_NOT_FOUND'],
        ['clusterip', 'marked', 'SERVICE_NOT_LOAD_BALANCER'],
      ],
    );
    for (const { arn } of [gone, clusterIp, moved]) {
      const tags = await w.tagsOf(arn);
      const since = Date.parse(tags['nlb-janitor/suspect-since'] ?? '');
      assert.match(tags['nlb-janitor/suspect-since'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(since >= before - 1000 && since <= Date.now(), `suspect-since ${since} is now`);
    }
    assert.equal((await w.tagsOf(gone.arn))['nlb-janitor/reason'], 'SERVICE_NOT_FOUND');
    for (const { arn } of [owned, provisioning, inTree, foreign, ignored, malformed, ingress, alb]) {
      const tags = await w.tagsOf(arn);
      assert.equal(tags['nlb-janitor/suspect-since'], undefined, `${arn} must not be marked`);
    }
    assert.deepEqual(
      report.skipped.map((s) => [s.name, s.reason]),
      [
        ['ignored', 'IGNORE_TAG'],
        // An Ingress stack on an NLB without the FrontendNlb resource tag is no front-end NLB the janitor knows.
        ['ingress', 'MALFORMED_OWNER_TAGS'],
        ['malformed', 'MALFORMED_OWNER_TAGS'],
        ['foreign', 'NO_OWNER_TAGS'],
      ],
    );
    assert.equal(report.counts.loadBalancers, 11);
    assert.equal(report.counts.networkLoadBalancers, 10);
    assert.equal(report.counts.owned, 3);
    assert.equal(report.counts.marked, 3);
    assert.deepEqual(
      report.clusters.map((c) => [c.name, c.status, c.services]),
      // The five Services put here and default/kubernetes.
      [['prod', 'VERIFIED', 6]],
    );
  });

  it('deletes an orphan marked longer ago than the grace period, with its target groups, after a fresh read', async () => {
    const w = world();
    const cluster = await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'k8s-shop-gone',
      cluster: 'prod',
      service: 'shop/gone',
      listeners: 2,
      tags: marked(daysAgo(8)),
    });
    // A target group of another owner behind the same load balancer is not the janitor's to delete.
    const keep = await w.createNlb({ name: 'other', cluster: 'prod', service: 'shop/other', listeners: 1 });
    w.putService('prod', 'shop/other', { dnsName: keep.dnsName });

    const report = await w.sweep();

    const deleted = entry(report, 'k8s-shop-gone');
    assert.equal(deleted.outcome, 'deleted');
    assert.deepEqual([...(deleted.deletedTargetGroups ?? [])].sort(), [...nlb.targetGroupArns].sort());
    assert.equal(deleted.tags?.['service.k8s.aws/stack'], 'shop/gone');
    assert.equal(deleted.dnsName, nlb.dnsName);
    assert.equal(deleted.scheme, 'internet-facing');
    assert.match(deleted.vpcId, /^vpc-/);
    assert.equal(deleted.reason, 'SERVICE_NOT_FOUND');
    assert.ok(deleted.suspectSince);
    assert.deepEqual(await w.loadBalancerArns(), [keep.arn]);
    // Internet-facing in two AZs: the NLB hour (eu-west-1 is priced as us-east-1) plus two public IPv4 addresses.
    assert.equal(report.estimatedMonthlySavingsUsd, 16.43 + 7.3);
    // One list: it is under 10 s old when the deletion is decided, so it counts as fresh.
    assert.equal(cluster.requests.filter((r) => r.path === '/api/v1/services').length, 1);
  });

  it('waits within the grace period and says when it will delete', async () => {
    const w = world();
    await w.addCluster('prod');
    const since = daysAgo(2);
    const nlb = await w.createNlb({
      name: 'waiting',
      cluster: 'prod',
      service: 'shop/gone',
      tags: marked(since),
    });

    const report = await w.sweep({ gracePeriod: '7d', gracePeriodMs: 7 * DAY });

    const pending = entry(report, 'waiting');
    assert.equal(pending.outcome, 'pending');
    assert.equal(pending.suspectSince, since);
    assert.equal(pending.deletesAt, iso(Date.parse(since) + 7 * DAY));
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], since);
  });

  it('unmarks a load balancer whose Service is back', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'back',
      cluster: 'prod',
      service: 'shop/back',
      tags: marked(daysAgo(8.9)),
    });
    w.putService('prod', 'shop/back', { dnsName: nlb.dnsName });

    const report = await w.sweep();

    assert.equal(entry(report, 'back').outcome, 'recovered');
    const tags = await w.tagsOf(nlb.arn);
    for (const key of ['suspect-since', 'reason', 'deletes-at', 'announced-at']) {
      assert.equal(tags[`nlb-janitor/${key}`], undefined, key);
    }
    assert.equal(tags['service.k8s.aws/stack'], 'shop/back');
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
  });

  for (const bad of ['2099-01-01T00:00:00Z', 'last tuesday', '']) {
    it(`replaces a mark with suspect-since ${JSON.stringify(bad)} by a new promise and never deletes on it`, async () => {
      const w = world();
      await w.addCluster('prod');
      const nlb = await w.createNlb({
        name: 'weird',
        cluster: 'prod',
        service: 'shop/gone',
        tags: marked(bad),
      });

      const report = await w.sweep({ gracePeriodMs: 3_600_000, gracePeriod: '1h' });

      assert.equal(entry(report, 'weird').outcome, 'marked');
      assert.match(entry(report, 'weird').detail ?? '', /the old mark was not the janitor's/);
      const since = (await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'] ?? '';
      assert.ok(Math.abs(Date.parse(since) - Date.now()) < 5_000, `reset to now, got ${since}`);
      assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
    });
  }

  it('a dry run reports the same decisions and changes nothing', async () => {
    const w = world();
    await w.addCluster('prod');
    const fresh = await w.createNlb({ name: 'fresh', cluster: 'prod', service: 'shop/a' });
    const due = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/b',
      tags: marked(daysAgo(8)),
    });
    const back = await w.createNlb({
      name: 'back',
      cluster: 'prod',
      service: 'shop/c',
      tags: marked(daysAgo(1)),
    });
    w.putService('prod', 'shop/c', { dnsName: back.dnsName });
    const tagsBefore = await Promise.all([fresh, due, back].map((nlb) => w.tagsOf(nlb.arn)));
    await w.moto.resetCalls();

    const report = await w.sweep({ dryRun: true });

    assert.equal(report.dryRun, true);
    assert.deepEqual(
      report.loadBalancers.map((lb) => [lb.name, lb.outcome, lb.dryRun]),
      [
        ['fresh', 'marked', true],
        ['due', 'deleted', true],
        ['back', 'recovered', true],
      ],
    );
    const mutations = Object.keys(await w.moto.calls()).filter((call) => !/:(Describe|List|Get)/.test(call));
    assert.deepEqual(mutations, []);
    assert.deepEqual(await Promise.all([fresh, due, back].map((nlb) => w.tagsOf(nlb.arn))), tagsBefore);
    assert.equal((await w.loadBalancerArns()).length, 3);
  });

  it('deletes at most --max-deletions per sweep, oldest mark first, and defers the rest', async () => {
    const w = world();
    await w.addCluster('prod');
    const oldest = await w.createNlb({
      name: 'oldest',
      cluster: 'prod',
      service: 'shop/a',
      tags: marked(daysAgo(8.9)),
    });
    const older = await w.createNlb({
      name: 'older',
      cluster: 'prod',
      service: 'shop/b',
      tags: marked(daysAgo(8.5)),
    });
    const old = await w.createNlb({
      name: 'old',
      cluster: 'prod',
      service: 'shop/c',
      tags: marked(daysAgo(8)),
    });

    const report = await w.sweep({ maxDeletions: 2 });

    assert.equal(entry(report, 'oldest').outcome, 'deleted');
    assert.equal(entry(report, 'older').outcome, 'deleted');
    assert.equal(entry(report, 'old').outcome, 'deferred');
    assert.match(entry(report, 'old').detail ?? '', /at most 2 deletions per sweep/);
    assert.deepEqual(await w.loadBalancerArns(), [old.arn]);
    assert.equal(report.counts.deleted, 2);
    assert.equal(report.counts.deferred, 1);
    assert.ok(oldest.arn && older.arn);
  });

  it('never turns deletion protection off: the load balancer needs manual action', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'protected',
      cluster: 'prod',
      service: 'shop/gone',
      deletionProtection: true,
      tags: marked(daysAgo(8)),
    });
    await w.moto.resetCalls();

    const report = await w.sweep();

    assert.equal(entry(report, 'protected').outcome, 'needs-manual-action');
    assert.equal(report.counts.needsManualAction, 1);
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
    const calls = await w.moto.calls();
    assert.equal(calls['elasticloadbalancing:DeleteLoadBalancer'], undefined);
    assert.equal(calls['elasticloadbalancing:ModifyLoadBalancerAttributes'], undefined);
    assert.equal(calls['elasticloadbalancing:DeleteTargetGroup'], undefined);
  });

  it('keeps a due load balancer when the read right before deleting finds its Service again', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'revived',
      cluster: 'prod',
      service: 'shop/revived',
      tags: marked(daysAgo(8)),
    });
    // The Service is re-created after the decision's read, which is then 11 s old: re-read before deleting.
    const { clock, advance } = steppingClock();
    const report = await w.sweep(
      {},
      {
        clock,
        remainingTimeMs: atFirstTimeCheck(() => {
          w.putService('prod', 'shop/revived', { dnsName: nlb.dnsName });
          advance(11_000);
        }),
      },
    );

    assert.equal(entry(report, 'revived').outcome, 'kept');
    assert.match(entry(report, 'revived').detail ?? '', /found its Service again/);
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
  });

  it('holds a due load balancer when the read right before deleting fails', async () => {
    const w = world();
    const cluster = await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: marked(daysAgo(8)),
    });
    cluster.injectFault({ type: 'status', code: 403, target: { request: 1 } });
    const { clock, advance } = steppingClock();

    const report = await w.sweep({}, { clock, remainingTimeMs: atFirstTimeCheck(() => advance(11_000)) });

    assert.equal(entry(report, 'due').outcome, 'held');
    assert.match(
      entry(report, 'due').detail ?? '',
      /read right before deleting failed: .*HTTP 403 Forbidden/,
    );
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
  });

  it('keeps a due load balancer someone tagged nlb-janitor/ignore after the inventory', async () => {
    const w = world();
    const cluster = await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: marked(daysAgo(8)),
    });
    // The tag is added when the deletion phase starts; the slow re-read gives it time to land.
    cluster.injectFault({ type: 'delay', ms: 300, target: { request: 1 } });
    const report = await w.sweep(
      {},
      { remainingTimeMs: atFirstTimeCheck(() => void w.addTags(nlb.arn, { 'nlb-janitor/ignore': 'true' })) },
    );
    assert.equal(entry(report, 'due').outcome, 'kept');
    assert.match(entry(report, 'due').detail ?? '', /IGNORE_TAG/);
    assert.deepEqual(await w.loadBalancerArns(), [nlb.arn]);
  });

  it('marks load balancers of a cluster EKS does not know, and deletes them only with the opt-in', async () => {
    const w = world();
    const nlb = await w.createNlb({
      name: 'orphaned-cluster',
      cluster: 'deleted-cluster',
      service: 'shop/web',
      tags: marked(daysAgo(8), 'CLUSTER_NOT_FOUND'),
    });
    const fresh = await w.createNlb({ name: 'fresh', cluster: 'deleted-cluster', service: 'shop/api' });

    const first = await w.sweep();
    assert.equal(entry(first, 'orphaned-cluster').outcome, 'pending');
    assert.equal(entry(first, 'orphaned-cluster').deletesAt, undefined);
    assert.match(entry(first, 'orphaned-cluster').detail ?? '', /--delete-when-cluster-missing/);
    assert.equal(entry(first, 'fresh').outcome, 'marked');
    assert.equal(entry(first, 'fresh').reason, 'CLUSTER_NOT_FOUND');
    assert.equal((await w.tagsOf(fresh.arn))['nlb-janitor/reason'], 'CLUSTER_NOT_FOUND');
    assert.deepEqual(
      first.clusters.map((c) => [c.name, c.status]),
      [['deleted-cluster', 'NOT_FOUND']],
    );

    const second = await w.sweep({ deleteWhenClusterMissing: true });
    assert.equal(entry(second, 'orphaned-cluster').outcome, 'deleted');
    assert.deepEqual(await w.loadBalancerArns(), [fresh.arn]);
    assert.ok(nlb.arn);
  });

  it('marks and deletes only the clusters asked for, and still reads every cluster the tags name', async () => {
    const w = world();
    await w.addCluster('prod');
    const staging = await w.createNlb({ name: 'staging', cluster: 'staging', service: 'shop/gone' });
    const prod = await w.createNlb({ name: 'prod', cluster: 'prod', service: 'shop/gone' });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.deepEqual(
      report.loadBalancers.map((lb) => lb.name),
      ['prod'],
    );
    assert.deepEqual(
      report.skipped.map((s) => [s.name, s.reason]),
      [['staging', 'CLUSTER_NOT_SELECTED']],
    );
    assert.equal((await w.tagsOf(staging.arn))['nlb-janitor/suspect-since'], undefined);
    assert.ok((await w.tagsOf(prod.arn))['nlb-janitor/suspect-since']);
    // Issue 20: narrowing limits what changes, never what is read: staging is looked up too (EKS does not know it).
    assert.deepEqual((await w.moto.calls())['eks:DescribeCluster'], 2);
    assert.deepEqual(
      report.clusters.map((c) => [c.name, c.status]),
      [
        ['prod', 'VERIFIED'],
        ['staging', 'NOT_FOUND'],
      ],
    );
  });

  it('the circuit breaker leaves a cluster untouched when most of its load balancers turn orphaned at once', async () => {
    const w = world();
    await w.addCluster('prod');
    const arns: string[] = [];
    for (let i = 0; i < 6; i++)
      arns.push((await w.createNlb({ name: `nlb${i}`, cluster: 'prod', service: `shop/s${i}` })).arn);

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    assert.equal(report.counts.marked, 0);
    assert.equal(report.counts.held, 6);
    assert.match(
      report.clusters[0]?.heldBack ?? '',
      /circuit breaker: this sweep would mark or delete 6 of the 6/,
    );
    for (const arn of arns) assert.equal((await w.tagsOf(arn))['nlb-janitor/suspect-since'], undefined);
  });

  it('stops starting mutations when the time budget runs low, and says so', async () => {
    const w = world();
    await w.addCluster('prod');
    const fresh = await w.createNlb({ name: 'fresh', cluster: 'prod', service: 'shop/a' });
    const due = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/b',
      tags: marked(daysAgo(8)),
    });

    const report = await w.sweep({}, { remainingTimeMs: () => 10_000 });

    assert.equal(entry(report, 'fresh').outcome, 'deferred');
    assert.equal(entry(report, 'due').outcome, 'deferred');
    assert.match(entry(report, 'due').detail ?? '', /time budget/);
    assert.equal((await w.tagsOf(fresh.arn))['nlb-janitor/suspect-since'], undefined);
    assert.deepEqual((await w.loadBalancerArns()).sort(), [fresh.arn, due.arn].sort());
  });
});
