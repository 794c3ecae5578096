import assert from 'node:assert/strict';
import { pricingFor } from '../../lambda/report/cost';
import { STOP_A_DELETION } from '../../lambda/report/stop-a-deletion';
import type { LoadBalancerEntry, SweepReport } from '../../lambda/report/sweep-report';

/** The report's entry for the load balancer called `name`; fails the test, listing the names, when there is none. */
export function entry(report: SweepReport, name: string): LoadBalancerEntry {
  const found = report.loadBalancers.find((lb) => lb.name === name);
  assert.ok(
    found,
    `no report entry for ${name}: ${JSON.stringify(report.loadBalancers.map((lb) => lb.name))}`,
  );
  return found;
}

/** A report entry for unit tests of the report's renderings. */
export function sampleEntry(name: string, overrides: Partial<LoadBalancerEntry> = {}): LoadBalancerEntry {
  return {
    arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/${name}/abc`,
    name,
    dnsName: `${name}.elb.eu-west-1.amazonaws.com`,
    scheme: 'internet-facing',
    vpcId: 'vpc-1',
    cluster: 'prod',
    owner: `shop/${name}`,
    ownerKind: 'Service',
    controller: 'aws-load-balancer-controller',
    outcome: 'marked',
    dryRun: false,
    reason: 'SERVICE_NOT_FOUND',
    suspectSince: '2026-11-24T18:00:00Z',
    deletesAt: undefined,
    estimatedMonthlyCostUsd: 16.43,
    estimatedMonthlyCost: { loadBalancerUsd: 16.43, publicIpv4Usd: 0, totalUsd: 16.43 },
    availabilityZones: 2,
    reminder: false,
    detail: undefined,
    tags: undefined,
    deletedTargetGroups: undefined,
    ...overrides,
  };
}

export function sampleReport(overrides: Partial<SweepReport> = {}): SweepReport {
  return {
    startedAt: '2026-11-24T18:00:00.000Z',
    finishedAt: '2026-11-24T18:00:05.000Z',
    region: 'eu-west-1',
    dryRun: false,
    settings: {
      gracePeriod: '7d',
      maxDeletions: 10,
      maxDeletionsPerCluster: 3,
      deleteWhenClusterMissing: false,
      clusters: undefined,
    },
    announcement: { status: 'pending', detail: undefined },
    api: {
      tagSource: 'tagging-api',
      tagSourceDetail: undefined,
      taggingApiCalls: 4,
      elbv2DescribeCalls: 3,
      elbv2Throttled: 0,
      elbv2PacingWaitMs: 0,
    },
    counts: {
      loadBalancers: 3,
      networkLoadBalancers: 3,
      owned: 1,
      marked: 1,
      announced: 0,
      pending: 0,
      spared: 0,
      deleted: 1,
      recovered: 0,
      held: 0,
      deferred: 0,
      needsManualAction: 0,
      failed: 0,
      skipped: 0,
      reminded: 0,
    },
    clusters: [
      {
        name: 'prod',
        status: 'VERIFIED',
        services: 3,
        loadBalancers: 3,
        kubernetesRequests: 1,
        error: undefined,
        heldBack: undefined,
      },
      {
        name: 'staging',
        status: 'UNVERIFIED',
        services: undefined,
        loadBalancers: 0,
        kubernetesRequests: 1,
        error: 'HTTP 403 Forbidden: services is forbidden',
        heldBack: undefined,
      },
    ],
    loadBalancers: [
      sampleEntry('web'),
      sampleEntry('api', { outcome: 'deleted', deletedTargetGroups: ['arn:tg'] }),
    ],
    footprint: [],
    skipped: [],
    errors: [],
    estimatedMonthlySavingsUsd: 16.43,
    estimatedMonthlyPendingUsd: 16.43,
    pricing: pricingFor('eu-west-1'),
    notice: { kind: 'change', news: ['web is newly marked as orphaned', 'api was deleted'] },
    savingsSoFar: undefined,
    stopDeletion: STOP_A_DELETION,
    ...overrides,
  };
}
