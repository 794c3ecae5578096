import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { formatSuspectSince } from '../../lambda/decisions/suspect-timestamp';
import { daysAgo, steppingClock, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => formatSuspectSince(new Date(ms));

/** Asserts an ISO time lies within `slackMs` of `expectedMs`. */
function near(actual: string | undefined, expectedMs: number, slackMs = 120_000): void {
  const ms = Date.parse(actual ?? '');
  assert.ok(
    Math.abs(ms - expectedMs) <= slackMs,
    `${actual} should be about ${new Date(expectedMs).toISOString()}`,
  );
}

describeWithWorld('sweep corroboration: the ways earlier versions deleted live load balancers', (world) => {
  // 1
  it('spares a load balancer in another VPC whose tags name the wrong cluster and whose Service lives elsewhere', async () => {
    const w = world();
    await w.addCluster('prod');
    const network = await w.createNetwork();
    await w.addCluster('staging', { network });
    const tags = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({ name: 'web', cluster: 'prod', service: 'shop/web', network, tags });
    w.putService('staging', 'shop/web', { dnsName: nlb.dnsName });

    const report = await w.sweep({ clusters: ['prod', 'staging'] });

    assert.equal(entry(report, 'web').outcome, 'spared');
    assert.match(entry(report, 'web').detail ?? '', /Service shop\/web of cluster staging/);
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
    // Issue 20: a spared NLB loses the janitor's marks (no promise left for a later sweep); its owner tags stay.
    assert.deepEqual(await w.tagsOf(nlb.arn), {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/web',
    });
  });

  // 2
  for (const variant of ['plain', 'dualstack upper case'] as const) {
    it(`spares a load balancer in the owner cluster's VPC that another cluster's Service names (${variant})`, async () => {
      const w = world();
      await w.addCluster('prod');
      const network = await w.createNetwork();
      await w.addCluster('staging', { network });
      const tags = suspectTags(daysAgo(8));
      const nlb = await w.createNlb({ name: 'web', cluster: 'prod', service: 'shop/web', tags });
      const hostname = variant === 'plain' ? nlb.dnsName : `dualstack.${nlb.dnsName}`.toUpperCase();
      w.putService('staging', 'shop/web', { dnsName: hostname });

      const report = await w.sweep({ clusters: ['prod', 'staging'] });

      assert.equal(entry(report, 'web').outcome, 'spared');
      assert.equal(entry(report, 'web').reason, 'NAMED_BY_ANOTHER_SERVICE');
      assert.match(entry(report, 'web').detail ?? '', /Service shop\/web of cluster staging/);
      assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
      // Issue 20: a spared NLB loses the janitor's marks (no promise left for a later sweep).
      assert.match(entry(report, 'web').detail ?? '', /the janitor's marks were removed/);
      assert.deepEqual(await w.tagsOf(nlb.arn), {
        'elbv2.k8s.aws/cluster': 'prod',
        'service.k8s.aws/stack': 'shop/web',
      });
    });
  }

  // 3
  it('spares a load balancer of a self-managed cluster sharing the name, in another VPC', async () => {
    const w = world();
    await w.addCluster('prod');
    const network = await w.createNetwork();
    const tags = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({
      name: 'selfmanaged',
      cluster: 'prod',
      service: 'shop/web',
      network,
      tags,
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'selfmanaged').outcome, 'spared');
    assert.equal(entry(report, 'selfmanaged').reason, 'NOT_IN_CLUSTER_VPC');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
    // Issue 20: a spared NLB loses the janitor's marks (no promise left for a later sweep).
    assert.deepEqual(await w.tagsOf(nlb.arn), {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/web',
    });
  });

  // 4
  it('spares load balancers marked CLUSTER_NOT_FOUND once a cluster of that name appears after them', async () => {
    const w = world();
    const nlbs = [];
    for (const name of ['dev-a', 'dev-b', 'dev-c']) {
      nlbs.push(
        await w.createNlb({
          name,
          cluster: 'dev',
          service: `shop/${name}`,
          tags: suspectTags(daysAgo(30), 'CLUSTER_NOT_FOUND'),
          createdAt: new Date(Date.now() - HOUR),
        }),
      );
    }
    await w.addCluster('dev', { createdAt: new Date() });

    const report = await w.sweep({ deleteWhenClusterMissing: true });

    for (const name of ['dev-a', 'dev-b', 'dev-c']) {
      assert.equal(entry(report, name).outcome, 'spared', name);
      assert.equal(entry(report, name).reason, 'CREATED_BEFORE_CLUSTER', name);
    }
    assert.deepEqual((await w.loadBalancerArns()).sort(), nlbs.map((n) => n.arn).sort());
  });

  // 5
  it('spares load balancers of an earlier cluster of the same name', async () => {
    const w = world();
    await w.addCluster('prod', { createdAt: new Date(Date.now() - DAY) });
    const tags = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({
      name: 'old',
      cluster: 'prod',
      service: 'shop/old',
      tags,
      createdAt: new Date(Date.now() - 10 * DAY),
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'old').outcome, 'spared');
    assert.equal(entry(report, 'old').reason, 'CREATED_BEFORE_CLUSTER');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
    // Issue 20: a spared NLB loses the janitor's marks (no promise left for a later sweep).
    assert.deepEqual(await w.tagsOf(nlb.arn), {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/old',
    });
  });

  // 6
  it('counts due deletions in the circuit breaker: 3 of 3 due are held', async () => {
    const w = world();
    await w.addCluster('prod');
    const arns: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      arns.push(
        (await w.createNlb({ name, cluster: 'prod', service: `shop/${name}`, tags: suspectTags(daysAgo(8)) }))
          .arn,
      );
    }

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    for (const name of ['a', 'b', 'c']) {
      assert.equal(entry(report, name).outcome, 'held', name);
      assert.match(entry(report, name).detail ?? '', /circuit breaker/, name);
    }
    assert.deepEqual((await w.loadBalancerArns()).sort(), arns.sort());
  });

  it('deletes 1 due of 1 under the circuit breaker: one change is not a mass event', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.createNlb({ name: 'only', cluster: 'prod', service: 'shop/only', tags: suspectTags(daysAgo(8)) });

    const report = await w.sweep({ maxOrphanRatio: 0.5 });

    assert.equal(entry(report, 'only').outcome, 'deleted');
    assert.deepEqual(await w.loadBalancerArns(), []);
  });

  // 7
  it('never deletes a due load balancer with any ignore value but "false"', async () => {
    const w = world();
    await w.addCluster('prod');
    const values = ['yes', '1', 'on', 'keep', '', 'TRUE', ' false'];
    const protectedArns: string[] = [];
    for (const [index, value] of values.entries()) {
      const nlb = await w.createNlb({
        name: `ignored-${index}`,
        cluster: 'prod',
        service: `shop/ignored-${index}`,
        tags: { ...suspectTags(daysAgo(8)), 'nlb-janitor/ignore': value },
      });
      protectedArns.push(nlb.arn);
    }
    const notIgnored = await w.createNlb({
      name: 'not-ignored',
      cluster: 'prod',
      service: 'shop/not-ignored',
      tags: { ...suspectTags(daysAgo(8)), 'nlb-janitor/ignore': 'false' },
    });

    const report = await w.sweep();

    const arns = await w.loadBalancerArns();
    for (const [index, value] of values.entries()) {
      const name = `ignored-${index}`;
      assert.ok(arns.includes(protectedArns[index] ?? ''), `ignore=${JSON.stringify(value)} must protect`);
      const skipped = report.skipped.find((s) => s.name === name);
      assert.equal(skipped?.reason, 'IGNORE_TAG', `ignore=${JSON.stringify(value)} is skipped`);
    }
    assert.equal(entry(report, 'not-ignored').outcome, 'deleted');
    assert.ok(!arns.includes(notIgnored.arn));
  });

  // 8
  it('treats due-looking marks the janitor cannot show it wrote as new promises', async () => {
    const w = world();
    await w.addCluster('prod');
    const since30 = daysAgo(30);
    const marks: Record<string, Record<string, string>> = {
      'old-version': { 'nlb-janitor/suspect-since': since30, 'nlb-janitor/reason': 'SERVICE_NOT_FOUND' },
      'year-zero': {
        'nlb-janitor/suspect-since': '0000-01-01T00:00:00Z',
        'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
        'nlb-janitor/deletes-at': '0000-01-08T00:00:00Z',
        'nlb-janitor/announced-at': '0000-01-01T00:00:00Z',
      },
      'one-minute': {
        'nlb-janitor/suspect-since': since30,
        'nlb-janitor/reason': 'SERVICE_NOT_FOUND',
        'nlb-janitor/deletes-at': iso(Date.parse(since30) + 60_000),
        'nlb-janitor/announced-at': since30,
      },
    };
    const arns: string[] = [];
    for (const [name, tags] of Object.entries(marks)) {
      arns.push((await w.createNlb({ name, cluster: 'prod', service: `shop/${name}`, tags })).arn);
    }

    const before = Date.now();
    const report = await w.sweep();

    const remaining = await w.loadBalancerArns();
    for (const [index, name] of Object.keys(marks).entries()) {
      assert.equal(entry(report, name).outcome, 'marked', name);
      assert.match(entry(report, name).detail ?? '', /not the janitor's/, name);
      assert.ok(remaining.includes(arns[index] ?? ''), `${name} must exist`);
      near((await w.tagsOf(arns[index] ?? ''))['nlb-janitor/deletes-at'], before + 7 * DAY);
    }
  });

  // 9
  it('never brings a promise forward for a run with a shorter grace period', async () => {
    const w = world();
    await w.addCluster('prod');
    const tags = suspectTags(daysAgo(2));
    const nlb = await w.createNlb({ name: 'promised', cluster: 'prod', service: 'shop/gone', tags });

    const report = await w.sweep({ gracePeriod: '1h', gracePeriodMs: HOUR });

    assert.equal(entry(report, 'promised').outcome, 'pending');
    assert.equal(entry(report, 'promised').deletesAt, tags['nlb-janitor/deletes-at']);
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  // 10
  it('records no announcement when the report could not be delivered', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/gone' });

    const report = await w.sweep(
      {},
      {
        announce: async () => {
          throw new Error('SNS down');
        },
      },
    );

    assert.equal(entry(report, 'gone').outcome, 'marked');
    assert.equal(report.announcement.status, 'failed');
    const tags = await w.tagsOf(nlb.arn);
    assert.ok(tags['nlb-janitor/suspect-since'] !== undefined, 'marked');
    assert.equal(tags['nlb-janitor/announced-at'], undefined);
  });

  it('deletes nothing without a report channel, even a due mark never announced', async () => {
    const w = world();
    await w.addCluster('prod');
    const { 'nlb-janitor/announced-at': _announced, ...unannounced } = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({
      name: 'unheard',
      cluster: 'prod',
      service: 'shop/gone',
      tags: unannounced,
    });

    const report = await w.sweep({}, { announce: undefined });

    assert.equal(entry(report, 'unheard').outcome, 'announced');
    assert.equal(report.announcement.status, 'none');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  // 11
  it('announces a stale promise again with a day of notice instead of deleting', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'stale',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(30)),
    });

    const before = Date.now();
    const report = await w.sweep();

    assert.equal(entry(report, 'stale').outcome, 'announced');
    near(entry(report, 'stale').deletesAt, before + DAY);
    near((await w.tagsOf(nlb.arn))['nlb-janitor/deletes-at'], before + DAY);
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  // 12
  it('keeps the second due load balancer when its Service returns during the deletion phase', async () => {
    const w = world();
    await w.addCluster('prod');
    // A is due first (older promise), still within the 48 h before a promise goes stale.
    const tagsA = suspectTags(daysAgo(8.5));
    const a = await w.createNlb({ name: 'a', cluster: 'prod', service: 'shop/a', tags: tagsA });
    const b = await w.createNlb({
      name: 'b',
      cluster: 'prod',
      service: 'shop/b',
      tags: suspectTags(daysAgo(8)),
    });

    const events: string[] = [];
    const records: Record<string, unknown>[] = [];
    const elbv2 = new Proxy(w.elbv2, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return (command: object, ...rest: unknown[]) => {
          events.push(`send ${command.constructor.name}`);
          return (target.send as (...args: unknown[]) => unknown).call(target, command, ...rest);
        };
      },
    }) as ElasticLoadBalancingV2Client;
    const { clock, advance } = steppingClock();
    let first = true;
    const report = await w.sweep(
      {},
      {
        clock,
        elbv2,
        logger: {
          debug() {},
          info(message, attributes) {
            if (message !== 'deleting load balancer') return;
            events.push(`log ${String(attributes.arn)}`);
            records.push(attributes);
            if (first) {
              first = false;
              w.putService('prod', 'shop/b', { dnsName: b.dnsName });
              advance(11_000);
            }
          },
        },
      },
    );

    assert.equal(entry(report, 'a').outcome, 'deleted');
    assert.equal(entry(report, 'b').outcome, 'kept');
    assert.match(entry(report, 'b').detail ?? '', /Service again/);
    assert.deepEqual(await w.loadBalancerArns(), [b.arn]);

    assert.equal(records.length, 1);
    const record = records[0] ?? {};
    assert.equal(record.arn, a.arn);
    assert.equal(record.dnsName, a.dnsName);
    assert.equal(record.reason, 'SERVICE_NOT_FOUND');
    assert.equal(record.suspectSince, tagsA['nlb-janitor/suspect-since']);
    assert.equal(record.deletesAt, tagsA['nlb-janitor/deletes-at']);
    assert.deepEqual(record.tags, {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/a',
      ...tagsA,
    });
    const logged = events.indexOf(`log ${a.arn}`);
    const deleted = events.indexOf('send DeleteLoadBalancerCommand');
    assert.ok(logged >= 0 && deleted > logged, `the record precedes the deletion: ${JSON.stringify(events)}`);
    assert.equal(events.filter((e) => e === 'send DeleteLoadBalancerCommand').length, 1);
  });

  // 13
  it('does not trust a Service list without default/kubernetes', async () => {
    const w = world();
    await w.addCluster('prod');
    w.cluster('prod').deleteService('default', 'kubernetes');
    const tags = suspectTags(daysAgo(8));
    const nlb = await w.createNlb({ name: 'due', cluster: 'prod', service: 'shop/gone', tags });

    const report = await w.sweep();

    const cluster = report.clusters.find((c) => c.name === 'prod');
    assert.equal(cluster?.status, 'UNVERIFIED');
    assert.match(cluster?.error ?? '', /default\/kubernetes/);
    assert.equal(entry(report, 'due').outcome, 'held');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
    const after = await w.tagsOf(nlb.arn);
    for (const [key, value] of Object.entries(tags)) assert.equal(after[key], value, key);
  });
});
