import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { createAwsClients } from '../../lambda/aws-clients';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { createSweepHandler } from '../../lambda/sweep-handler';
import { DUE, footprintOf, frontEndTags, securityGroupExists, securityGroupTags } from '../support/footprint';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Issue 20, finding 2: narrowing a sweep (`--clusters prod`, the payload's
// `{"clusters": ["prod"]}`, the CLUSTERS setting) limits what may be marked or
// deleted, never what is read: staging's Service still spares the NLB staging's
// controller tagged as prod's. And a spared resource loses the janitor's marks:
// they are no longer a promise that a later sweep could carry out.

const marks = (tags: Record<string, string>) =>
  Object.keys(tags).filter((key) => key.startsWith('nlb-janitor/'));

/** prod in moto's default VPC; staging in its own, whose controller tags an NLB in prod's VPC as prod's (copied Helm values). */
async function stagingClaimsProdsNlb(w: TestWorld, options: { webTags?: Record<string, string> } = {}) {
  await w.addCluster('prod');
  const network = await w.createNetwork();
  await w.addCluster('staging', { network });
  const web = await w.createNlb({ name: 'web', cluster: 'prod', service: 'shop/web', tags: options.webTags });
  w.putService('staging', 'shop/web', { dnsName: web.dnsName });
  const orphan = await w.createNlb({ name: 'orphan', cluster: 'prod', service: 'shop/gone', tags: DUE() });
  return { web, orphan, network };
}

describeWithWorld('a narrowed sweep', (world) => {
  it('narrowed to prod, it still reads staging: a new suspect staging names is spared, never marked; a true orphan of prod is deleted', async () => {
    const w = world();
    const { web, orphan } = await stagingClaimsProdsNlb(w);

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(report.clusters.find((c) => c.name === 'staging')?.status, 'VERIFIED');
    assert.equal(entry(report, 'web').outcome, 'spared');
    assert.match(entry(report, 'web').detail ?? '', /Service shop\/web of cluster staging names it/);
    assert.deepEqual(marks(await w.tagsOf(web.arn)), []);
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(orphan.arn));
  });

  it('a marked NLB, due, that a full sweep spares loses its marks; the next narrowed sweep spares it again and deletes it never', async () => {
    const w = world();
    const { web } = await stagingClaimsProdsNlb(w, { webTags: DUE() });

    const full = await w.sweep({ clusters: ['prod', 'staging'] });
    assert.equal(entry(full, 'web').outcome, 'spared');
    assert.match(
      entry(full, 'web').detail ?? '',
      /the janitor's marks were removed: they are no longer a promise/,
    );
    assert.deepEqual(marks(await w.tagsOf(web.arn)), [], 'no promise is left for a later sweep to carry out');

    const narrowed = await w.sweep({ clusters: ['prod'] });
    assert.equal(entry(narrowed, 'web').outcome, 'spared');
    assert.ok((await w.loadBalancerArns()).includes(web.arn));
  });

  it('narrowed to prod: the owners of every load balancer are still read, so staging still spares it', async () => {
    const w = world();
    const { web, network } = await stagingClaimsProdsNlb(w, { webTags: DUE() });
    // staging's own NLB names staging: the sweep narrowed to prod does not change it, but reads its cluster.
    await w.createNlb({ name: 'staging-api', cluster: 'staging', service: 'shop/api', network });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(entry(report, 'web').outcome, 'spared');
    assert.ok((await w.loadBalancerArns()).includes(web.arn));
    assert.deepEqual(marks(await w.tagsOf(web.arn)), []);
    assert.equal(
      report.skipped.find((skipped) => skipped.name === 'staging-api')?.reason,
      'CLUSTER_NOT_SELECTED',
      'narrowing still limits what changes',
    );
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
  });

  it("the payload's clusters (manual invoke) narrows what changes, not what is read", async () => {
    const w = world();
    const { web, orphan } = await stagingClaimsProdsNlb(w, { webTags: DUE() });
    const { TopicArn } = await w.sns.send(new CreateTopicCommand({ Name: 'janitor' }));
    Object.assign(process.env, w.env());
    const handler = createSweepHandler({
      env: { CLUSTERS: 'prod,staging', SNS_TOPIC_ARN: TopicArn ?? '' },
      clients: createAwsClients(),
      logger: { debug: () => {}, info: () => {}, error: () => {} },
      metrics: { addMetric: () => {}, publishStoredMetrics: () => {} },
    });

    const report = await handler({ clusters: ['prod'] }, { getRemainingTimeInMillis: () => 300_000 });

    assert.equal(entry(report, 'web').outcome, 'spared');
    assert.ok((await w.loadBalancerArns()).includes(web.arn));
    assert.deepEqual(marks(await w.tagsOf(web.arn)), []);
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(orphan.arn));
  });

  it('--clusters prod (CLI) narrows what changes, not what is read', async () => {
    const w = world();
    const { web, orphan } = await stagingClaimsProdsNlb(w, { webTags: DUE() });

    const run = await w.cli(['sweep', '--clusters', 'prod', '--json']);

    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as SweepReport;
    assert.equal(entry(report, 'web').outcome, 'spared');
    assert.ok((await w.loadBalancerArns()).includes(web.arn));
    assert.deepEqual(marks(await w.tagsOf(web.arn)), []);
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(orphan.arn));
  });

  it("a spared footprint resource loses the janitor's marks too (a front-end group tagged as prod's in another VPC); a true orphan's group is deleted", async () => {
    const w = world();
    await w.addCluster('prod');
    const network = await w.createNetwork();
    const foreign = await w.createSecurityGroup({
      name: 'k8s-shop-web-fe',
      vpcId: network.vpcId,
      tags: { ...frontEndTags('prod', 'shop/web'), ...DUE() },
    });
    const orphaned = await w.createSecurityGroup({
      name: 'k8s-shop-gone-fe',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(footprintOf(report, foreign)?.outcome, 'spared');
    assert.match(footprintOf(report, foreign)?.detail ?? '', /marks were removed/);
    assert.ok(await securityGroupExists(w, foreign));
    assert.deepEqual(marks(await securityGroupTags(w, foreign)), []);
    assert.equal(footprintOf(report, orphaned)?.outcome, 'deleted');
    assert.ok(!(await securityGroupExists(w, orphaned)));
  });
});
