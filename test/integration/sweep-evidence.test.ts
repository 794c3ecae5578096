import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DeleteVpcLinkCommand } from '@aws-sdk/client-api-gateway';
import { DeleteVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { DeregisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteEndpointGroupCommand,
  ListEndpointGroupsCommand,
  ListListenersCommand,
} from '@aws-sdk/client-global-accelerator';
import { loadBalancerDimension } from '../../lambda/evidence/traffic';
import type { SweepDependencies } from '../../lambda/sweep/sweep-dependencies';
import type { AwsFault } from '../support/emulator/moto-server';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { type CreatedNlb, DEFAULT_SETTINGS, describeWithWorld, type TestWorld } from '../support/test-world';

// Evidence of use in a whole sweep: an orphaned load balancer past its announced
// date is not deleted while anything uses it, is deleted by the first sweep that
// finds nothing, and is held while a source cannot be read.

const DAY = 86_400_000;

interface EvidenceKindCase {
  readonly kind: string;
  /** Makes something use the load balancer; returns what makes that use go away. */
  readonly use: (w: TestWorld, nlb: CreatedNlb) => Promise<() => Promise<Partial<SweepDependencies>>>;
  /** What the report says uses it. */
  readonly says: RegExp;
  /** A failure of the read behind this kind. */
  readonly fault: AwsFault;
}

const KINDS: EvidenceKindCase[] = [
  {
    kind: 'privatelink',
    use: async (w, nlb) => {
      const id = await w.createEndpointService([nlb.arn]);
      return async () => {
        await w.ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [id] }));
        return {};
      };
    },
    says: /PrivateLink endpoint service vpce-svc-\w+ uses it/,
    fault: {
      service: 'ec2',
      action: 'DescribeVpcEndpointServiceConfigurations',
      code: 'UnauthorizedOperation',
      status: 403,
      count: -1,
    },
  },
  {
    kind: 'vpc-link',
    use: async (w, nlb) => {
      const id = await w.createVpcLink('payments-api', [nlb.arn]);
      return async () => {
        await w.apiGateway.send(new DeleteVpcLinkCommand({ vpcLinkId: id }));
        return {};
      };
    },
    says: /API Gateway VPC link \w+ \(payments-api\) targets it/,
    fault: {
      service: 'apigateway',
      action: 'GetVpcLinks',
      code: 'AccessDeniedException',
      status: 403,
      count: -1,
    },
  },
  {
    kind: 'global-accelerator',
    use: async (w, nlb) => {
      const acceleratorArn = await w.createAccelerator('edge', [nlb.arn]);
      return async () => {
        const listeners = await w.globalAccelerator.send(
          new ListListenersCommand({ AcceleratorArn: acceleratorArn }),
        );
        for (const listener of listeners.Listeners ?? []) {
          const groups = await w.globalAccelerator.send(
            new ListEndpointGroupsCommand({ ListenerArn: listener.ListenerArn }),
          );
          for (const group of groups.EndpointGroups ?? []) {
            await w.globalAccelerator.send(
              new DeleteEndpointGroupCommand({ EndpointGroupArn: group.EndpointGroupArn }),
            );
          }
        }
        return {};
      };
    },
    says: /Global Accelerator edge \(arn:aws:globalaccelerator::\d+:accelerator\/[\w-]+\) routes to it/,
    fault: {
      service: 'globalaccelerator',
      action: 'ListAccelerators',
      code: 'AccessDeniedException',
      status: 400,
      count: -1,
    },
  },
  {
    kind: 'target-health',
    use: async (w, nlb) => {
      const [group] = nlb.targetGroupArns;
      assert.ok(group);
      const instances = await w.registerInstances(group, 2);
      return async () => {
        await w.elbv2.send(
          new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: instances.map((Id) => ({ Id })) }),
        );
        return {};
      };
    },
    says: /target group \S+ has 2 healthy targets: something still answers behind it/,
    fault: {
      service: 'elasticloadbalancing',
      action: 'DescribeTargetHealth',
      code: 'AccessDenied',
      status: 403,
      count: -1,
    },
  },
  {
    kind: 'traffic',
    use: async (w, nlb) => {
      const dimension = loadBalancerDimension(nlb.arn);
      assert.ok(dimension);
      // Real clients: far above the background a public endpoint gets, early in the grace period.
      await w.putLoadBalancerMetric(dimension, 'NewFlowCount', [
        { value: 200_000, at: new Date(Date.now() - 6.5 * DAY) },
      ]);
      // The traffic stops: a day later, that hour is outside the window the janitor looks at.
      return async () => ({
        evidence: w.evidenceSources(DEFAULT_SETTINGS.gracePeriodMs, {
          clock: () => new Date(Date.now() + DAY),
        }),
      });
    },
    says: /traffic over the last 7d: 28571 new flows a day \(threshold 1000\): something still connects to it/,
    fault: { service: 'monitoring', action: 'GetMetricData', code: 'AccessDenied', status: 403, count: -1 },
  },
];

async function dueOrphan(w: TestWorld): Promise<CreatedNlb> {
  await w.addCluster('prod');
  return w.createNlb({ name: 'due', cluster: 'prod', service: 'shop/gone', tags: suspectTags(daysAgo(7.5)) });
}

describeWithWorld('evidence of use in a sweep', (world) => {
  for (const { kind, use, says, fault } of KINDS) {
    it(`${kind}: not deleted while in use, the report says what uses it; deleted by the first sweep after`, async () => {
      const w = world();
      const nlb = await dueOrphan(w);
      const stop = await use(w, nlb);

      const inUse = await w.sweep();

      assert.equal(entry(inUse, 'due').outcome, 'needs-manual-action');
      assert.match(entry(inUse, 'due').detail ?? '', says);
      assert.match(entry(inUse, 'due').detail ?? '', /It will not be deleted while that lasts/);
      assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
      assert.ok((await w.tagsOf(nlb.arn))['nlb-janitor/deletes-at'], 'the mark stays');

      const deps = await stop();
      const after = await w.sweep({}, deps);

      assert.equal(entry(after, 'due').outcome, 'deleted');
      assert.ok(!(await w.loadBalancerArns()).includes(nlb.arn));
    });

    it(`${kind}: a read that fails holds the deletion and says why`, async () => {
      const w = world();
      const nlb = await dueOrphan(w);
      await w.moto.injectFault(fault);

      const report = await w.sweep();

      assert.equal(entry(report, 'due').outcome, 'held');
      assert.match(
        entry(report, 'due').detail ?? '',
        /evidence of use could not be read, so it is not deleted/,
      );
      assert.match(entry(report, 'due').detail ?? '', new RegExp(`${kind}: `));
      assert.ok((await w.loadBalancerArns()).includes(nlb.arn));
    });
  }

  it('a load balancer nothing uses is deleted as before', async () => {
    const w = world();
    const nlb = await dueOrphan(w);

    const report = await w.sweep();

    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.equal(entry(report, 'due').detail, undefined);
    assert.ok(!(await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('a kind switched off is not read, and the deletion says it was not checked', async () => {
    const w = world();
    const nlb = await dueOrphan(w);
    await w.moto.injectFault({
      service: 'globalaccelerator',
      action: 'ListAccelerators',
      code: 'AccessDeniedException',
      count: -1,
    });
    const skipping = w.evidenceSources(DEFAULT_SETTINGS.gracePeriodMs, { skip: ['global-accelerator'] });

    const report = await w.sweep({}, { evidence: skipping });

    assert.equal(entry(report, 'due').outcome, 'deleted');
    assert.equal(entry(report, 'due').detail, 'not checked for use: global-accelerator');
    assert.equal((await w.moto.calls())['globalaccelerator:ListAccelerators'], undefined);
    assert.ok(!(await w.loadBalancerArns()).includes(nlb.arn));
  });

  it('a new mark says what still uses it, and is still a promise', async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'fresh', cluster: 'prod', service: 'shop/gone' });
    const id = await w.createEndpointService([nlb.arn]);

    const report = await w.sweep();

    assert.equal(entry(report, 'fresh').outcome, 'marked');
    assert.match(
      entry(report, 'fresh').detail ?? '',
      new RegExp(
        `orphaned in Kubernetes, but PrivateLink endpoint service ${id} uses it.*it will not be deleted while that lasts`,
      ),
    );
    assert.ok((await w.tagsOf(nlb.arn))['nlb-janitor/deletes-at']);
  });
});
