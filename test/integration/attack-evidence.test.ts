import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  CreateListenerCommand,
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// Safety review (attack): evidence of use right before a deletion.

/** A due, announced orphan of prod with one listener to its own target group and one to `foreign`'s. */
async function dueWithForeignGroup(
  w: TestWorld,
): Promise<{ arn: string; ownGroup: string; foreignGroup: string }> {
  await w.addCluster('prod');
  const nlb = await w.createNlb({
    name: 'due',
    cluster: 'prod',
    service: 'shop/gone',
    tags: suspectTags(daysAgo(8)),
  });
  const { vpcId } = await w.moto.defaultNetwork('eu-west-1');
  const created = await w.elbv2.send(
    new CreateTargetGroupCommand({
      Name: 'foreign-owner',
      Protocol: 'TCP',
      Port: 31000,
      VpcId: vpcId,
      TargetType: 'instance',
      Tags: [
        { Key: 'elbv2.k8s.aws/cluster', Value: 'prod' },
        { Key: 'service.k8s.aws/stack', Value: 'payments/api' },
      ],
    }),
  );
  const foreignGroup = created.TargetGroups?.[0]?.TargetGroupArn;
  assert.ok(foreignGroup);
  await w.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: nlb.arn,
      Protocol: 'TCP',
      Port: 8443,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: foreignGroup }],
    }),
  );
  const [ownGroup] = nlb.targetGroupArns;
  assert.ok(ownGroup);
  return { arn: nlb.arn, ownGroup, foreignGroup };
}

describeWithWorld('attack: evidence of use', (world) => {
  it('healthy targets in a listener’s target group whose tags name another owner stop the deletion', async () => {
    const w = world();
    const { arn, foreignGroup } = await dueWithForeignGroup(w);
    await w.registerInstances(foreignGroup, 1);

    const report = await w.sweep();

    assert.equal(entry(report, 'due').outcome, 'needs-manual-action');
    assert.match(entry(report, 'due').detail ?? '', /foreign-owner has 1 healthy target/);
    assert.ok((await w.loadBalancerArns()).includes(arn));
  });

  it('a deleted NLB takes only its own owner’s target groups; another owner’s is neither tagged deleted-with nor deleted', async () => {
    const w = world();
    const { arn, ownGroup, foreignGroup } = await dueWithForeignGroup(w);

    const report = await w.sweep();

    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.ok(!(await w.loadBalancerArns()).includes(arn));
    const groups = await w.elbv2.send(new DescribeTargetGroupsCommand({}));
    const left = (groups.TargetGroups ?? []).map((g) => g.TargetGroupArn);
    assert.deepEqual(left, [foreignGroup]);
    assert.ok(!left.includes(ownGroup));
    assert.equal((await w.tagsOf(foreignGroup))['nlb-janitor/deleted-with'], undefined);
    // And the next sweep leaves it alone too.
    const next = await w.sweep();
    assert.deepEqual(next.footprint, []);
  });

  it('Global Accelerator denied in the middle of its listing (another accelerator’s listeners) holds the deletion', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    const first = await w.createAccelerator('first', [
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/other/0000000000000000',
    ]);
    await w.createAccelerator('second', [nlb.arn]);
    await w.moto.injectFault({
      service: 'globalaccelerator',
      action: 'ListListeners',
      code: 'AccessDeniedException',
      status: 400,
      count: -1,
      match: { AcceleratorArn: first },
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'due').outcome, 'held');
    assert.match(entry(report, 'due').detail ?? '', /global-accelerator: .*AccessDenied/);
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('every skippable kind switched off: still deleted, and the report lists each as not checked (never as clear)', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    await w.createEndpointService([nlb.arn]);
    const skipping = w.evidenceSources(7 * 86_400_000, {
      skip: ['privatelink', 'vpc-link', 'global-accelerator'],
    });

    const report = await w.sweep({}, { evidence: skipping });

    // Documented: an operator who switches a kind off accepts that it is not checked.
    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.equal(
      entry(report, 'due').detail,
      'not checked for use: privatelink, vpc-link, global-accelerator',
    );
  });

  it('healthy targets stop the deletion even when the traffic source cannot be read', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({
      name: 'due',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    const [group] = nlb.targetGroupArns;
    assert.ok(group);
    await w.registerInstances(group, 1);
    await w.moto.injectFault({
      service: 'monitoring',
      action: 'GetMetricData',
      code: 'Throttling',
      status: 400,
      count: -1,
    });

    const report = await w.sweep();

    assert.equal(entry(report, 'due').outcome, 'needs-manual-action');
    assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
  });
});
