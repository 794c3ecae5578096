import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildWorld, measureSweep } from '../../scripts/bench/benchmark';
import { describeWithWorld } from '../support/test-world';

// The benchmark's smallest world, as a smoke test: the real CLI's calls are exactly
// the minimum for the size, and sharing the emulated ELBv2 describe bucket (40,
// refilling 10 a second) with a controller calling 4 times a second throttles
// neither. Times are not checked here (see docs/performance.md).

describeWithWorld('benchmark smoke (500 NLBs, 5,000 Services, 5 clusters)', (world) => {
  it('a dry run and a marking sweep use exactly the minimum AWS calls and Kubernetes requests, and leave the controller unthrottled', async () => {
    const size = await buildWorld(world(), 500);
    for (const dryRun of [true, false]) {
      const m = await measureSweep(world(), size, dryRun);
      // 500 NLBs: ⌈500/400⌉ = 2 DescribeLoadBalancers; GetResources: the cluster key's 500 in pages
      // of 100, the other discovery keys one empty page each; ⌈1500/400⌉ = 4 DescribeTargetGroups
      // (3 target groups per NLB, all attached); DescribeSecurityGroups: 4 queries (500 front-end
      // groups on one page), then 2 for the groups referencing the 167 candidates, and, marking, 1
      // fresh read; DescribeSecurityGroupRules: the node groups' 505 rules, then the referencing
      // groups' rules; 1 DescribeNetworkInterfaces. Marking 167 orphans: ⌈167/20⌉ = 9 DescribeTags
      // read afresh, 2 × 9 AddTags, and 2 CreateTags for their security groups (marks,
      // announced-at, 200 a call). Issue 20: 1 ListClusters (the same 5 clusters), and the clusters'
      // kubernetes.io/cluster/* keys in the one VPC: 1 more DescribeSecurityGroups (the node groups),
      // 1 DescribeSubnets, 1 DescribeInstances.
      assert.deepEqual(m.awsCalls, m.awsMinimum, `${m.kind}: AWS calls`);
      assert.equal(m.elbv2DescribeCalls, m.elbv2DescribeMinimum, `${m.kind}: ELBv2 describe calls`);
      assert.deepEqual(m.throttled, { janitor: 0, controller: 0 }, `${m.kind}: throttled answers`);
      assert.ok(m.controllerCalls > 0, `${m.kind}: the controller called during the sweep`);
      assert.equal(m.kubernetesRequests, m.kubernetesMinimum, `${m.kind}: Kubernetes requests`);
      assert.equal(m.report.counts.marked, size.orphans);
      assert.ok(m.maxRssMb < 200, `${m.kind}: peak RSS ${m.maxRssMb} MB`);
    }
  });
});
