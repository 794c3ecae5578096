import assert from 'node:assert/strict';
import { it } from 'node:test';
import { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import { gateDeletion } from '../../lambda/decisions/deletion-gate';
import { collectEvidence } from '../../lambda/evidence/collect-evidence';
import type { EvidenceFinding, EvidenceFindings, EvidenceSubject } from '../../lambda/evidence/evidence';
import { globalAcceleratorEvidence } from '../../lambda/evidence/global-accelerator';
import { privateLinkEvidence } from '../../lambda/evidence/privatelink';
import { targetHealthEvidence } from '../../lambda/evidence/target-health';
import { loadBalancerDimension, trafficEvidence } from '../../lambda/evidence/traffic';
import { vpcLinkEvidence } from '../../lambda/evidence/vpc-link';
import {
  type CreatedNlb,
  describeWithWorld,
  REGION,
  TEST_CREDENTIALS,
  type TestWorld,
} from '../support/test-world';

// Each source against the emulated account: a load balancer with the evidence is
// in use and the detail names what uses it, one without is clear, and a read that
// fails is unknown for the load balancers it concerns, never an exception.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

async function nlb(w: TestWorld, name: string, listeners = 1): Promise<EvidenceSubject> {
  const created: CreatedNlb = await w.createNlb({ name, listeners });
  return { arn: created.arn, name, dnsName: created.dnsName, targetGroupArns: created.targetGroupArns };
}

function finding(findings: EvidenceFindings, subject: EvidenceSubject): EvidenceFinding | undefined {
  return findings.get(subject.arn);
}

function usesOf(findings: EvidenceFindings, subject: EvidenceSubject): string {
  const found = finding(findings, subject);
  assert.equal(found?.kind, 'in-use', `${subject.name}: ${JSON.stringify(found)}`);
  return found?.kind === 'in-use' ? found.uses.join('\n') : '';
}

function errorOf(findings: EvidenceFindings, subject: EvidenceSubject): string {
  const found = finding(findings, subject);
  assert.equal(found?.kind, 'unknown', `${subject.name}: ${JSON.stringify(found)}`);
  return found?.kind === 'unknown' ? found.error : '';
}

describeWithWorld('evidence of use', (world) => {
  it('privatelink: an endpoint service in front of an NLB is a use, read in one call', async () => {
    const w = world();
    const [used, free] = [await nlb(w, 'used', 0), await nlb(w, 'free', 0)];
    const serviceId = await w.createEndpointService([used.arn]);
    await w.moto.resetCalls();

    const findings = await privateLinkEvidence(w.ec2).collect([used, free]);

    assert.match(serviceId, /^vpce-svc-/);
    assert.equal(
      usesOf(findings, used),
      `PrivateLink endpoint service ${serviceId} uses it: delete the endpoint service first ` +
        '(ELBv2 refuses the deletion while it exists)',
    );
    assert.deepEqual(finding(findings, free), { kind: 'clear' });
    assert.deepEqual(await w.moto.calls(), { 'ec2:DescribeVpcEndpointServiceConfigurations': 1 });
  });

  it('privatelink: a denied read is unknown for every subject', async () => {
    const w = world();
    const [a, b] = [await nlb(w, 'a', 0), await nlb(w, 'b', 0)];
    await w.createEndpointService([a.arn]);
    await w.moto.injectFault({
      service: 'ec2',
      action: 'DescribeVpcEndpointServiceConfigurations',
      status: 403,
      code: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });

    const findings = await privateLinkEvidence(w.ec2).collect([a, b]);

    assert.match(errorOf(findings, a), /UnauthorizedOperation/);
    assert.match(errorOf(findings, b), /UnauthorizedOperation/);
  });

  it('vpc-link: a VPC link targeting an NLB is a use, found across pages', async () => {
    const w = world();
    const [used, free] = [await nlb(w, 'used', 0), await nlb(w, 'free', 0)];
    await w.createVpcLink('first', [free.arn.replace(/\/[^/]+$/, '/0000000000000000')]);
    await w.createVpcLink('second', []);
    const linkId = await w.createVpcLink('shop-api', [used.arn]);
    await w.moto.resetCalls();

    const findings = await vpcLinkEvidence(w.apiGateway, { pageSize: 1 }).collect([used, free]);

    assert.match(
      usesOf(findings, used),
      new RegExp(`^API Gateway VPC link ${linkId} \\(shop-api\\) targets it`),
    );
    assert.deepEqual(finding(findings, free), { kind: 'clear' });
    assert.deepEqual(await w.moto.calls(), { 'apigateway:GetVpcLinks': 3 });
  });

  it('vpc-link: a throttled read is unknown for every subject', async () => {
    const w = world();
    const [a, b] = [await nlb(w, 'a', 0), await nlb(w, 'b', 0)];
    await w.moto.injectFault({
      service: 'apigateway',
      action: 'GetVpcLinks',
      status: 429,
      code: 'TooManyRequestsException',
    });

    const findings = await vpcLinkEvidence(w.apiGateway).collect([a, b]);

    assert.match(errorOf(findings, a), /TooManyRequestsException/);
    assert.match(errorOf(findings, b), /TooManyRequestsException/);
  });

  it('global-accelerator: an endpoint group routing to an NLB is a use, every list paged', async () => {
    const w = world();
    const [used, free] = [await nlb(w, 'used', 0), await nlb(w, 'free', 0)];
    await w.createAccelerator('other-1', []);
    const acceleratorArn = await w.createAccelerator('shop-edge', [used.arn]);
    await w.createAccelerator('other-2', []);
    await w.moto.resetCalls();

    const findings = await globalAcceleratorEvidence(w.globalAccelerator, { pageSize: 1 }).collect([
      used,
      free,
    ]);

    assert.match(
      usesOf(findings, used),
      new RegExp(`^Global Accelerator shop-edge \\(${acceleratorArn}\\) routes to it`),
    );
    assert.deepEqual(finding(findings, free), { kind: 'clear' });
    // Three pages of one accelerator (the last page has no NextToken), then one
    // ListListeners per accelerator and one ListEndpointGroups per listener.
    assert.deepEqual(await w.moto.calls(), {
      'globalaccelerator:ListAccelerators': 3,
      'globalaccelerator:ListListeners': 3,
      'globalaccelerator:ListEndpointGroups': 3,
    });
  });

  it('global-accelerator: a failure deep in the walk is unknown for every subject', async () => {
    const w = world();
    const [a, b] = [await nlb(w, 'a', 0), await nlb(w, 'b', 0)];
    await w.createAccelerator('edge', [b.arn]);
    await w.moto.injectFault({
      service: 'globalaccelerator',
      action: 'ListEndpointGroups',
      code: 'AccessDeniedException',
      message: 'not authorized to perform globalaccelerator:ListEndpointGroups',
    });

    const findings = await globalAcceleratorEvidence(w.globalAccelerator).collect([a, b]);

    assert.match(errorOf(findings, a), /AccessDeniedException/);
    assert.match(errorOf(findings, b), /AccessDeniedException/);
  });

  it('global-accelerator: a client signed for another region cannot read, as in AWS', async () => {
    const w = world();
    const a = await nlb(w, 'a', 0);
    const unpinned = new GlobalAcceleratorClient({
      endpoint: w.moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const findings = await globalAcceleratorEvidence(unpinned).collect([a]);
      assert.match(errorOf(findings, a), /us-west-2/);
      assert.equal(await w.globalAccelerator.config.region(), 'us-west-2');
    } finally {
      unpinned.destroy();
    }
  });

  it('target-health: healthy targets are a use; stopped (unused) or no targets are not', async () => {
    const w = world();
    const [serving, stopped, empty] = [
      await nlb(w, 'serving'),
      await nlb(w, 'stopped'),
      await nlb(w, 'empty'),
    ];
    const servingGroup = serving.targetGroupArns[0] ?? '';
    await w.registerInstances(servingGroup, 2);
    await w.registerInstances(stopped.targetGroupArns[0] ?? '', 1, { stopped: true });
    await w.moto.resetCalls();

    const findings = await targetHealthEvidence(w.elbv2).collect([serving, stopped, empty]);

    const groupName = /targetgroup\/([^/]+)\//.exec(servingGroup)?.[1];
    assert.equal(
      usesOf(findings, serving),
      `target group ${groupName} has 2 healthy targets: something still answers behind it`,
    );
    assert.deepEqual(finding(findings, stopped), { kind: 'clear' });
    assert.deepEqual(finding(findings, empty), { kind: 'clear' });
    assert.deepEqual(await w.moto.calls(), { 'elasticloadbalancing:DescribeTargetHealth': 3 });
  });

  it('target-health: a failed read is unknown only for the NLB behind that target group', async () => {
    const w = world();
    const [a, b] = [await nlb(w, 'a'), await nlb(w, 'b')];
    await w.moto.injectFault({
      service: 'elasticloadbalancing',
      action: 'DescribeTargetHealth',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized',
      match: { TargetGroupArn: a.targetGroupArns[0] ?? '' },
    });

    const findings = await targetHealthEvidence(w.elbv2).collect([a, b]);

    assert.match(errorOf(findings, a), /AccessDenied: not authorized/);
    assert.deepEqual(finding(findings, b), { kind: 'clear' });
  });

  it('traffic: real flows, bytes or a sustained connection pool are a use; scanner noise and silence are not', async () => {
    const w = world();
    const now = new Date();
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS + 60_000);
    const [busy, bulk, pooled, scanned, silent] = [
      await nlb(w, 'busy', 0),
      await nlb(w, 'bulk', 0),
      await nlb(w, 'pooled', 0),
      await nlb(w, 'scanned', 0),
      await nlb(w, 'silent', 0),
    ];
    const dimension = (subject: EvidenceSubject) => loadBalancerDimension(subject.arn) ?? '';
    await w.putLoadBalancerMetric(dimension(busy), 'NewFlowCount', [
      { value: 4_000, at: hoursAgo(3) },
      { value: 4_000, at: hoursAgo(2) },
    ]);
    await w.putLoadBalancerMetric(dimension(bulk), 'ProcessedBytes', [
      { value: 50 * 1024 * 1024, at: hoursAgo(5) },
    ]);
    await w.putLoadBalancerMetric(
      dimension(pooled),
      'ActiveFlowCount',
      Array.from({ length: 20 }, (_, hour) => ({ value: 8, at: hoursAgo(hour + 1) })),
    );
    // A scanner: a few short flows most hours, a few hundred bytes each.
    for (const metric of ['NewFlowCount', 'ActiveFlowCount'] as const) {
      await w.putLoadBalancerMetric(
        dimension(scanned),
        metric,
        Array.from({ length: 20 }, (_, hour) => ({
          value: metric === 'NewFlowCount' ? 4 : 1,
          at: hoursAgo(hour + 1),
        })),
      );
    }
    await w.putLoadBalancerMetric(dimension(scanned), 'ProcessedBytes', [{ value: 30_000, at: hoursAgo(4) }]);
    await w.moto.resetCalls();

    const findings = await trafficEvidence(w.cloudWatch, { lookbackMs: DAY_MS, now: () => now }).collect([
      busy,
      bulk,
      pooled,
      scanned,
      silent,
    ]);

    assert.match(
      usesOf(findings, busy),
      /^traffic over the last 1d: 8000 new flows a day \(threshold 1000\)/,
    );
    assert.match(usesOf(findings, bulk), /50\.0 MiB processed a day/);
    assert.match(usesOf(findings, pooled), /5 or more flows open at once in 20 of 24 periods of 3600 s/);
    assert.deepEqual(finding(findings, scanned), { kind: 'clear' });
    assert.deepEqual(finding(findings, silent), { kind: 'clear' });
    assert.deepEqual(await w.moto.calls(), { 'monitoring:GetMetricData': 1 });
  });

  it('traffic: 500 queries a call; a failed call is unknown only for the subjects it had queries in', async () => {
    const w = world();
    // Three queries a subject: 170 subjects are 510 queries, two calls; the first
    // call holds the queries of subjects 0 to 166 (166's last one is query 500 in the second).
    const subjects: EvidenceSubject[] = Array.from({ length: 170 }, (_, i) => ({
      arn: `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/net/lb-${i}/${i.toString(16).padStart(16, '0')}`,
      name: `lb-${i}`,
      dnsName: `lb-${i}.example`,
      targetGroupArns: [],
    }));
    await w.moto.injectFault({ service: 'monitoring', action: 'GetMetricData', code: 'Throttling' });

    const findings = await trafficEvidence(w.cloudWatch, {
      lookbackMs: DAY_MS,
      concurrency: 1,
      now: () => new Date(),
    }).collect(subjects);

    const kinds = subjects.map((subject) => findings.get(subject.arn)?.kind);
    assert.deepEqual(kinds.slice(0, 167), Array(167).fill('unknown'));
    assert.deepEqual(kinds.slice(167), ['clear', 'clear', 'clear']);
    assert.match(errorOf(findings, subjects[0] as EvidenceSubject), /Throttling/);
    assert.deepEqual(await w.moto.calls(), { 'monitoring:GetMetricData': 2 });
  });

  it('collectEvidence: every source for every NLB, and the gate reads them', async () => {
    const w = world();
    const [used, free] = [await nlb(w, 'used', 0), await nlb(w, 'free', 0)];
    const serviceId = await w.createEndpointService([used.arn]);
    const sources = [
      privateLinkEvidence(w.ec2),
      vpcLinkEvidence(w.apiGateway),
      globalAcceleratorEvidence(w.globalAccelerator),
      targetHealthEvidence(w.elbv2),
      trafficEvidence(w.cloudWatch, { lookbackMs: DAY_MS, now: () => new Date() }),
    ];

    const evidence = await collectEvidence(sources, [used, free]);

    assert.deepEqual(
      [...(evidence.get(free.arn)?.keys() ?? [])],
      ['privatelink', 'vpc-link', 'global-accelerator', 'target-health', 'traffic'],
    );
    const usedGate = gateDeletion(evidence.get(used.arn) ?? new Map());
    assert.equal(usedGate.kind, 'in-use');
    assert.match(usedGate.kind === 'in-use' ? (usedGate.uses[0] ?? '') : '', new RegExp(serviceId));
    assert.deepEqual(gateDeletion(evidence.get(free.arn) ?? new Map()), { kind: 'proceed', notChecked: [] });
  });
});
