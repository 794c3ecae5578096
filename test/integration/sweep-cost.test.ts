import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeWithWorld, TEST_CREDENTIALS } from '../support/test-world';

// What a sweep costs, counted by the emulator and the fake cluster, against the
// minimum for the world's size.

describeWithWorld('sweep cost and batching', (world) => {
  it('uses the minimum calls: one page of load balancers, tags from the tagging API, fresh tags 20 at a time for the candidates only, one list per cluster, batched marks', async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('staging');
    const orphans: string[] = [];
    for (let i = 0; i < 45; i++) {
      const cluster = i % 3 === 0 ? 'staging' : 'prod';
      const nlb = await w.createNlb({ name: `nlb-${i}`, cluster, service: `shop/s${i}`, listeners: 0 });
      if (i < 20) w.putService(cluster, `shop/s${i}`, { dnsName: nlb.dnsName });
      else orphans.push(nlb.arn);
    }
    await w.createNlb({ name: 'alb-0', type: 'application', listeners: 0 });
    await w.moto.resetCalls();

    const report = await w.sweep();

    assert.equal(report.counts.marked, 25);
    assert.deepEqual(await w.moto.calls(), {
      // ⌈46 / 400⌉: type, DNS name, VPC, creation time — what tags cannot give.
      'elasticloadbalancing:DescribeLoadBalancers': 1,
      'elasticloadbalancing:DescribeTargetGroups': 1, // ⌈target groups / 400⌉: the footprint's detached target groups
      // The footprint's security groups: one filtered page each for the LBC's and EKS Auto Mode's
      // front-end groups and the LBC's backend groups, and one for the swept clusters' node groups
      // (none here, so no DescribeSecurityGroupRules). Issue 20: one more, the clusters EKS may not
      // know by their kubernetes.io/cluster/* key (tag-key wildcard) in the load balancers' VPC.
      'ec2:DescribeSecurityGroups': 5,
      // Issue 20, the same key on the VPC's subnets and live instances: one page each.
      'ec2:DescribeSubnets': 1,
      'ec2:DescribeInstances': 1,
      // Evidence of use for the 25 new marks, read once for all of them: one listing each,
      // and ⌈25 × 3 metric queries / 500⌉ GetMetricData.
      'ec2:DescribeVpcEndpointServiceConfigurations': 1,
      'apigateway:GetVpcLinks': 1,
      'globalaccelerator:ListAccelerators': 1,
      'monitoring:GetMetricData': 1,
      // One page (≤ 100) for each discovery key: elbv2.k8s.aws/cluster, kubernetes.io/service-name,
      // eks:eks-cluster-name, nlb-janitor/suspect-since — outside ELBv2's shared describe bucket.
      'tagging:GetResources': 4,
      // ⌈25 candidates / 20⌉: the marks' tags read afresh right before tagging. Before issue 15
      // this was ⌈45 network / 20⌉ = 3 for the inventory, and no fresh read.
      'elasticloadbalancing:DescribeTags': 2,
      'eks:DescribeCluster': 2,
      // Issue 20: every EKS cluster of the account and region is read for claims (prod and staging here).
      'eks:ListClusters': 1,
      // ⌈25 / 20⌉ marks (same tags, one reason), then ⌈25 / 20⌉ announced-at once the report was delivered.
      'elasticloadbalancing:AddTags': 4,
    });
    const requests = await w.moto.requests();
    const arnsPerCall = (action: string) =>
      requests
        .filter((r) => r.action === action)
        .map((r) => Object.keys(r.params).filter((key) => key.startsWith('ResourceArns.member.')).length);
    assert.deepEqual(arnsPerCall('DescribeTags').sort(), [20, 5].sort());
    // Only the candidates' tags are read again: none of the 20 owned load balancers.
    const describedArns = requests
      .filter((r) => r.action === 'DescribeTags')
      .flatMap((r) =>
        Object.entries(r.params)
          .filter(([key]) => key.startsWith('ResourceArns.member.'))
          .map(([, arn]) => arn),
      );
    assert.deepEqual(describedArns.sort(), [...orphans].sort());
    const pages = requests.filter((r) => r.action === 'GetResources');
    assert.deepEqual(
      pages.map((r) => r.params.ResourcesPerPage),
      ['100', '100', '100', '100'],
    );
    assert.deepEqual(arnsPerCall('AddTags').sort(), [20, 5, 20, 5].sort());
    assert.equal(requests.find((r) => r.action === 'DescribeLoadBalancers')?.params.PageSize, '400');
    for (const name of ['prod', 'staging']) {
      assert.deepEqual(
        w.cluster(name).requests.map((r) => [r.path, r.query.limit]),
        [['/api/v1/services', '500']],
      );
    }
  });

  it('where the tagging API is denied, a load balancer DescribeTags does not answer for is unknown, not unowned: never marked', async () => {
    const w = world();
    await w.addCluster('prod');
    const first = await w.createNlb({ name: 'first', cluster: 'prod', service: 'shop/a', listeners: 0 });
    const second = await w.createNlb({ name: 'second', cluster: 'prod', service: 'shop/b', listeners: 0 });
    // The inventory reads DescribeTags only where the tagging API is denied.
    await w.moto.injectFault({
      service: 'tagging',
      action: 'GetResources',
      code: 'AccessDeniedException',
      status: 400,
      count: -1,
    });
    await w.moto.injectFault({
      kind: 'drop_tag_descriptions',
      service: 'elasticloadbalancing',
      action: 'DescribeTags',
      drop: 1,
    });

    const report = await w.sweep();

    assert.deepEqual(
      report.skipped.map((s) => [s.name, s.reason]),
      [['second', 'TAGS_NOT_RETURNED']],
    );
    assert.equal((await w.tagsOf(second.arn))['nlb-janitor/suspect-since'], undefined);
    assert.ok((await w.tagsOf(first.arn))['nlb-janitor/suspect-since']);
  });

  it('an AddTags failure for one load balancer does not hold back the others, and is reported', async () => {
    const w = world();
    await w.addCluster('prod');
    const stuck = await w.createNlb({ name: 'stuck', cluster: 'prod', service: 'shop/a', listeners: 0 });
    const others = [
      await w.createNlb({ name: 'other1', cluster: 'prod', service: 'shop/b', listeners: 0 }),
      await w.createNlb({ name: 'other2', cluster: 'prod', service: 'shop/c', listeners: 0 }),
    ];
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'AddTags',
      code: 'AccessDenied',
      status: 403,
      message: 'not allowed',
      match: { 'ResourceArns.member.1': stuck.arn },
      count: 2,
    });

    const report = await w.sweep();

    const entry = report.loadBalancers.find((lb) => lb.name === 'stuck');
    assert.equal(entry?.outcome, 'failed');
    assert.match(entry?.detail ?? '', /AccessDenied: not allowed/);
    assert.equal(report.counts.failed, 1);
    assert.equal((await w.tagsOf(stuck.arn))['nlb-janitor/suspect-since'], undefined);
    for (const other of others) assert.ok((await w.tagsOf(other.arn))['nlb-janitor/suspect-since']);
  });

  it('an inventory that cannot be read completely stops the sweep before any decision', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/a', listeners: 0 });
    // The inventory's tags come from the tagging API; a read of it that keeps failing stops the sweep.
    await w.moto.injectFault({
      service: 'tagging',
      action: 'GetResources',
      code: 'Throttling',
      count: -1,
    });

    await assert.rejects(w.sweep(), { name: 'Throttling' });

    await w.moto.clearFaults();
    assert.equal((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since'], undefined);
    assert.equal(w.cluster('prod').requests.length, 0);
  });

  it('signs tokens with temporary credentials, session token included', async () => {
    const w = world();
    const temporary = {
      accessKeyId: 'ASIAJANITORTEMP00001',
      secretAccessKey: 'temporary-secret',
      sessionToken: 'FwoGZXIvYXdzEJr//////////session-token',
    };
    await w.addCluster('prod', {
      credentials: {
        [temporary.accessKeyId]: {
          secretAccessKey: temporary.secretAccessKey,
          sessionToken: temporary.sessionToken,
        },
      },
    });
    const nlb = await w.createNlb({ name: 'gone', cluster: 'prod', service: 'shop/a', listeners: 0 });

    const report = await w.sweep({}, { credentials: async () => temporary });

    assert.equal(report.clusters[0]?.status, 'VERIFIED');
    assert.ok((await w.tagsOf(nlb.arn))['nlb-janitor/suspect-since']);
    assert.match(w.cluster('prod').requests[0]?.principal ?? '', /ASIAJANITORTEMP00001/);

    const withoutSession = await w.sweep(
      {},
      { credentials: async () => ({ ...temporary, sessionToken: undefined }) },
    );
    assert.equal(withoutSession.clusters[0]?.status, 'UNVERIFIED');
    assert.match(withoutSession.clusters[0]?.error ?? '', /401/);
    assert.ok(TEST_CREDENTIALS.accessKeyId);
  });
});
