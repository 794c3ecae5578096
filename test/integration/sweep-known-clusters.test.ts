import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { SweepReport } from '../../lambda/report/sweep-report';
import type { SweepSettings } from '../../lambda/sweep/sweep-settings';
import { type SightingKind, tagClusterResources } from '../support/cluster-tags';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, REGION, type TestWorld } from '../support/test-world';

// Issue 20, finding 1: claims come only from clusters the sweep reads. Before any
// verdict the sweep knows, from AWS alone, every cluster that could make one:
// every EKS cluster of the account and region (eks:ListClusters, on by default),
// and every cluster whose kubernetes.io/cluster/<name> key is on a security group,
// subnet or instance in a judged VPC. One it cannot read holds its VPC.

const DUE = () => suspectTags(daysAgo(8));

function cluster(report: SweepReport, name: string) {
  const found = report.clusters.find((candidate) => candidate.name === name);
  assert.ok(found, `no cluster ${name} in the report: ${report.clusters.map((c) => c.name).join(', ')}`);
  return found;
}

async function exists(w: TestWorld, arn: string): Promise<boolean> {
  return (await w.loadBalancerArns()).includes(arn);
}

describeWithWorld('known clusters: an unconfigured EKS cluster', (world) => {
  const settingsCases: readonly [string, Partial<SweepSettings>][] = [
    ['configured clusters: prod (the single-account default)', { clusters: ['prod'] }],
    ['no cluster configured (the CLI default)', { clusters: undefined }],
  ];
  for (const [label, settings] of settingsCases) {
    it(`${label}: dev's Service spares the NLB dev's controller tagged as prod's, its due promise is not carried out and its marks go; a true orphan beside it is deleted`, async () => {
      const w = world();
      await w.addCluster('prod');
      // dev: same VPC (moto's default), never configured; its controller was installed with clusterName=prod.
      await w.addCluster('dev');
      const live = await w.createNlb({ name: 'dev-web', cluster: 'prod', service: 'shop/web', tags: DUE() });
      w.putService('dev', 'shop/web', { dnsName: live.dnsName });
      const orphan = await w.createNlb({
        name: 'orphan',
        cluster: 'prod',
        service: 'shop/gone',
        tags: DUE(),
      });

      const report = await w.sweep(settings);

      assert.equal(cluster(report, 'dev').status, 'VERIFIED');
      assert.equal(entry(report, 'dev-web').outcome, 'spared');
      assert.match(entry(report, 'dev-web').detail ?? '', /Service shop\/web of cluster dev names it/);
      assert.match(entry(report, 'dev-web').detail ?? '', /marks were removed/);
      assert.ok(await exists(w, live.arn), 'the live NLB stands');
      const left = Object.keys(await w.tagsOf(live.arn)).filter((key) => key.startsWith('nlb-janitor/'));
      assert.deepEqual(left, [], 'a spared NLB keeps no promise');
      // Control: the same world still deletes what nothing names.
      assert.equal(entry(report, 'orphan').outcome, 'deleted');
      assert.ok(!(await exists(w, orphan.arn)));
    });
  }

  it('a new suspect that dev names is never marked', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const live = await w.createNlb({ name: 'dev-web', cluster: 'prod', service: 'shop/web' });
    w.putService('dev', 'shop/web', { dnsName: live.dnsName });
    await w.createNlb({ name: 'orphan', cluster: 'prod', service: 'shop/gone' });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.equal(entry(report, 'dev-web').outcome, 'spared');
    assert.equal((await w.tagsOf(live.arn))['nlb-janitor/suspect-since'], undefined);
    assert.equal(entry(report, 'orphan').outcome, 'marked');
  });

  it('a failed ListClusters stops the default sweep before any change', async () => {
    const w = world();
    await w.addCluster('prod');
    const orphan = await w.createNlb({ name: 'orphan', cluster: 'prod', service: 'shop/gone', tags: DUE() });
    await w.moto.injectFault({
      service: 'eks',
      action: 'ListClusters',
      status: 500,
      code: 'ServerException',
    });
    await w.moto.resetCalls();

    await assert.rejects(w.sweep({ clusters: ['prod'] }), { name: 'ClusterDiscoveryError' });

    const calls = await w.moto.calls();
    assert.equal(calls['elasticloadbalancing:AddTags'], undefined);
    assert.equal(calls['elasticloadbalancing:RemoveTags'], undefined);
    assert.equal(calls['elasticloadbalancing:DeleteLoadBalancer'], undefined);
    assert.ok(await exists(w, orphan.arn));
  });
});

describeWithWorld('known clusters: a self-managed cluster in the VPC', (world) => {
  /** prod (moto's default VPC) with a due orphan; staging in its own VPC with one, the control. */
  async function worldWithOrphans(w: TestWorld) {
    await w.addCluster('prod');
    const network = await w.createNetwork();
    await w.addCluster('staging', { network });
    const orphan = await w.createNlb({ name: 'orphan', cluster: 'prod', service: 'shop/gone', tags: DUE() });
    const control = await w.createNlb({
      name: 'control',
      cluster: 'staging',
      service: 'shop/gone',
      tags: DUE(),
      network,
    });
    const { vpcId } = await w.moto.defaultNetwork(REGION);
    return { orphan, control, network, vpcId };
  }

  const kinds: readonly SightingKind[] = ['security-group', 'subnet', 'instance'];
  for (const kind of kinds) {
    it(`known only from its tag on a ${kind}: the VPC's orphans are held and the report names it with what to do; another VPC's orphan is deleted`, async () => {
      const w = world();
      const { orphan, control, vpcId } = await worldWithOrphans(w);
      const ids = await tagClusterResources(w, 'kops-a', { kinds: [kind] });

      const report = await w.sweep({ clusters: ['prod', 'staging'] });

      const kops = cluster(report, 'kops-a');
      assert.equal(kops.status, 'UNVERIFIED');
      assert.ok(kops.error?.includes(`${ids[kind]} in ${vpcId}`), kops.error);
      assert.match(kops.error ?? '', /self-managed cluster, which the janitor cannot read/);
      assert.match(kops.error ?? '', /remove that tag.*IGNORE_UNREADABLE_CLUSTERS/);
      assert.equal(entry(report, 'orphan').outcome, 'held');
      assert.match(
        entry(report, 'orphan').detail ?? '',
        new RegExp(`cluster kops-a \\(same VPC ${vpcId}\\)`),
      );
      assert.ok(await exists(w, orphan.arn));
      // Control: staging's VPC has no such cluster.
      assert.equal(entry(report, 'control').outcome, 'deleted');
      assert.ok(!(await exists(w, control.arn)));
    });
  }

  it('a self-managed name EKS could never have (kops: k8s.example.com) is not looked up in EKS, and holds its VPC', async () => {
    const w = world();
    const { orphan } = await worldWithOrphans(w);
    await tagClusterResources(w, 'k8s.example.com', { kinds: ['instance'] });
    await w.moto.resetCalls();

    const report = await w.sweep({ clusters: ['prod', 'staging'] });

    assert.equal(cluster(report, 'k8s.example.com').status, 'UNVERIFIED');
    assert.equal(entry(report, 'orphan').outcome, 'held');
    assert.ok(await exists(w, orphan.arn));
    assert.equal((await w.moto.calls())['eks:DescribeCluster'], 2, 'prod and staging only');
  });

  it("a self-managed cluster's own in-tree NLB is held, not deleted as a cluster EKS does not know (with --delete-when-cluster-missing)", async () => {
    const w = world();
    const { control } = await worldWithOrphans(w);
    await tagClusterResources(w, 'kops-a', { kinds: ['instance'] });
    const own = await w.createNlb({
      name: 'a0f1e2d3c4b5a69788796a5b4c3d2e1f',
      controller: 'in-tree',
      cluster: 'kops-a',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8), 'CLUSTER_NOT_FOUND'),
    });

    const report = await w.sweep({ deleteWhenClusterMissing: true });

    assert.equal(entry(report, 'a0f1e2d3c4b5a69788796a5b4c3d2e1f').outcome, 'held');
    assert.ok(await exists(w, own.arn));
    assert.equal(entry(report, 'control').outcome, 'deleted');
    assert.ok(!(await exists(w, control.arn)));
  });

  it('a terminated instance is no sign of a cluster: its orphans are deleted', async () => {
    const w = world();
    const { orphan } = await worldWithOrphans(w);
    const ids = await tagClusterResources(w, 'kops-gone', { kinds: ['instance'] });
    await w.ec2.send(new TerminateInstancesCommand({ InstanceIds: [ids.instance ?? ''] }));

    const report = await w.sweep({ clusters: ['prod', 'staging'] });

    assert.equal(
      report.clusters.find((c) => c.name === 'kops-gone'),
      undefined,
    );
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await exists(w, orphan.arn)));
  });

  it('IGNORE_UNREADABLE_CLUSTERS: a self-managed cluster a person vouched for no longer holds its VPC', async () => {
    const w = world();
    const { orphan } = await worldWithOrphans(w);
    await tagClusterResources(w, 'kops-a');

    const report = await w.sweep({ clusters: ['prod', 'staging'], ignoreUnreadableClusters: ['kops-a'] });

    assert.equal(cluster(report, 'kops-a').status, 'NOT_FOUND');
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await exists(w, orphan.arn)));
  });

  it("an EKS cluster's own tags in its VPC (its nodes, its cluster security group) are not another cluster: its orphans are deleted", async () => {
    const w = world();
    const { orphan } = await worldWithOrphans(w);
    await tagClusterResources(w, 'prod');

    const report = await w.sweep({ clusters: ['prod', 'staging'] });

    assert.deepEqual(
      report.clusters.map((c) => [c.name, c.status]),
      [
        ['prod', 'VERIFIED'],
        ['staging', 'VERIFIED'],
      ],
    );
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await exists(w, orphan.arn)));
  });

  it("a self-managed prod in staging's VPC, beside the EKS prod of another VPC, holds staging's VPC under its own name", async () => {
    const w = world();
    const { orphan, control, network } = await worldWithOrphans(w);
    await tagClusterResources(w, 'prod', { vpcId: network.vpcId, kinds: ['instance'] });

    const report = await w.sweep({ clusters: ['prod', 'staging'] });

    const selfManaged = cluster(report, `prod@${network.vpcId}`);
    assert.equal(selfManaged.status, 'UNVERIFIED');
    assert.match(
      selfManaged.error ?? '',
      /EKS does not know cluster prod in this VPC \(the EKS cluster prod is in vpc-/,
    );
    assert.equal(entry(report, 'control').outcome, 'held');
    assert.ok(await exists(w, control.arn));
    // Control: the EKS prod's own VPC has no other cluster.
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await exists(w, orphan.arn)));
  });

  it("a failed read of the clusters' tags stops the sweep before any change", async () => {
    const w = world();
    const { orphan } = await worldWithOrphans(w);
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DescribeSubnets',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'not authorized to perform: ec2:DescribeSubnets',
    });
    await w.moto.resetCalls();

    await assert.rejects(w.sweep({ clusters: ['prod', 'staging'] }), {
      name: 'ClusterTagsError',
      message: /could not be read.*nothing was changed: UnauthorizedOperation/,
    });

    const calls = await w.moto.calls();
    assert.equal(calls['elasticloadbalancing:AddTags'], undefined);
    assert.equal(calls['elasticloadbalancing:DeleteLoadBalancer'], undefined);
    assert.ok(await exists(w, orphan.arn));
  });
});
