import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inTreeLoadBalancerName } from '../../lambda/ownership/in-tree-name';
import { DUE, footprintOf, ruleExists, show } from '../support/footprint';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld } from '../support/test-world';

// Finding 9 of the seams issue: the ignore key typed in another case. IAM matches
// tag keys in conditions case-insensitively, so a person's `Nlb-Janitor/Ignore=true`
// already held in IAM; the code now reads it the same way, on every kind.
// (Moto evaluates no IAM: the role's side is tested in test/infrastructure/.)

describeWithWorld('the ignore tag, its key in another case', (world) => {
  it('Nlb-Janitor/Ignore=true on a node group keeps its due in-tree rule, and on an NLB keeps it; the controls are deleted', async () => {
    const w = world();
    await w.addCluster('prod');
    const goneName = inTreeLoadBalancerName('0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b');
    const ignoredNodes = await w.createSecurityGroup({
      name: 'nodes-ignored',
      tags: { 'kubernetes.io/cluster/prod': 'owned', 'Nlb-Janitor/Ignore': 'true' },
    });
    const kept = await w.allowCidr(
      ignoredNodes,
      '0.0.0.0/0',
      30080,
      `kubernetes.io/rule/nlb/client=${goneName}`,
    );
    const nodes = await w.createSecurityGroup({
      name: 'nodes',
      tags: { 'kubernetes.io/cluster/prod': 'owned' },
    });
    const revoked = await w.allowCidr(nodes, '0.0.0.0/0', 30080, `kubernetes.io/rule/nlb/client=${goneName}`);
    await w.addEc2Tags([kept, revoked], DUE());
    const ignoredNlb = await w.createNlb({
      name: 'ignored',
      cluster: 'prod',
      service: 'shop/gone',
      tags: { ...suspectTags(daysAgo(8)), 'NLB-Janitor/IGNORE': 'yes' },
    });
    const due = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/old',
      tags: suspectTags(daysAgo(8)),
    });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.ok(await ruleExists(w, kept), show(report));
    assert.equal(footprintOf(report, kept), undefined, 'an ignored rule is not judged');
    assert.equal(footprintOf(report, revoked)?.outcome, 'deleted', show(report));
    assert.equal(await ruleExists(w, revoked), false);
    assert.deepEqual(
      report.skipped.filter((skipped) => skipped.arn === ignoredNlb.arn).map((skipped) => skipped.reason),
      ['IGNORE_TAG'],
    );
    const arns = await w.loadBalancerArns();
    assert.ok(arns.includes(ignoredNlb.arn));
    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.ok(!arns.includes(due.arn));
  });
});
