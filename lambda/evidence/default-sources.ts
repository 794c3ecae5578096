import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { GlobalAcceleratorClient } from '@aws-sdk/client-global-accelerator';
import type { SkippableEvidenceKind } from '../../contract/evidence-kinds';
import type { EvidenceSource } from './evidence';
import { globalAcceleratorEvidence } from './global-accelerator';
import { privateLinkEvidence } from './privatelink';
import { targetHealthEvidence } from './target-health';
import { trafficEvidence } from './traffic';
import { vpcLinkEvidence } from './vpc-link';

export interface EvidenceClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ec2: EC2Client;
  readonly apiGateway: APIGatewayClient;
  readonly cloudWatch: CloudWatchClient;
  /** Pinned to us-west-2, where the Global Accelerator API lives. */
  readonly globalAccelerator: GlobalAcceleratorClient;
}

/**
 * All five kinds of evidence of use, read right before each deletion. Traffic is
 * looked at over the grace period: what the load balancer carried since it was
 * first suspected.
 */
export function defaultEvidenceSources(
  clients: EvidenceClients,
  options: {
    readonly gracePeriodMs: number;
    readonly clock: () => Date;
    /** Kinds switched off: reported as not checked, never read. */
    readonly skip?: readonly SkippableEvidenceKind[];
  },
): EvidenceSource[] {
  const unless = (kind: SkippableEvidenceKind, source: () => EvidenceSource) =>
    options.skip?.includes(kind) ? notChecked(kind) : source();
  return [
    unless('privatelink', () => privateLinkEvidence(clients.ec2)),
    unless('vpc-link', () => vpcLinkEvidence(clients.apiGateway)),
    unless('global-accelerator', () => globalAcceleratorEvidence(clients.globalAccelerator)),
    targetHealthEvidence(clients.elbv2),
    trafficEvidence(clients.cloudWatch, { lookbackMs: options.gracePeriodMs, now: options.clock }),
  ];
}

/** A switched-off kind: every subject `not-checked`, so the report can say so. */
function notChecked(kind: SkippableEvidenceKind): EvidenceSource {
  return {
    kind,
    collect: async (subjects) => new Map(subjects.map((subject) => [subject.arn, { kind: 'not-checked' }])),
  };
}
