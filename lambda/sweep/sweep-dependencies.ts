import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EvidenceSource } from '../evidence/evidence';
import type { Elbv2Usage } from '../inventory/elbv2-pacing';
import type { TaggingApiClient } from '../inventory/tagging-api-tags';
import type { AwsCredentials } from '../kubernetes/eks-token';
import type { Delivery } from '../report/publish-report';
import type { SaidMemory } from '../report/said-memory';
import type { SweepReport } from '../report/sweep-report';
import type { SweepTuning } from './sweep-settings';

/** The narrow slice of a logger the engine uses; Powertools Logger fits it. */
export interface DecisionLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
}

export interface SweepDependencies {
  readonly elbv2: ElasticLoadBalancingV2Client;
  /**
   * The Resource Groups Tagging API, where the inventory reads its tags outside
   * ELBv2's shared describe bucket; undefined or denied: DescribeTags.
   */
  readonly tagging?: TaggingApiClient;
  /** The ELBv2 client's pacing counters (see paceElbv2DescribeCalls); undefined: not paced, not counted. */
  readonly elbv2Usage?: () => Elbv2Usage;
  /** Security groups, their rules and network interfaces: the load balancers' footprint. */
  readonly ec2: EC2Client;
  readonly eks: EKSClient;
  readonly region: string;
  /** The account swept, for the report; undefined when unknown (the CLI). */
  readonly account?: string;
  /** The function's role, named in the report when a cluster refuses it (401/403). */
  readonly roleArn?: string;
  /** The same credentials the SDK clients use, to sign EKS tokens. */
  readonly credentials: () => Promise<AwsCredentials>;
  /**
   * The sweep's one clock: its decisions, the dates it writes, the cluster reads'
   * EKS tokens; callers give the evidence sources the same one (the traffic window).
   * Checked against AWS's at the start (see clock-check.ts): off by more than five
   * minutes, the sweep throws ClockSkewError before any change.
   */
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: DecisionLogger;
  /**
   * Delivers the report to people (SNS email, the CLI's output). Only a delivered
   * report makes its promises count; without one, nothing is ever deleted. The
   * report's `notice` says whether it is news: a `quiet` one is not published.
   * Warnings say what failed beside a delivered report (a chat message). Only
   * what the delivered message named (`named`: ID → the date it gave) is recorded
   * as announced; an announcer that returns no `named` delivered the whole report.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: an announcer that prints the whole report returns nothing
  readonly announce?: (report: SweepReport) => Promise<void | Partial<Delivery>>;
  /** What the janitor last told people, kept between sweeps; undefined: everything current is news. */
  readonly memory?: SaidMemory;
  /** Evidence of use read right before each deletion; see lambda/evidence/. */
  readonly evidence?: readonly EvidenceSource[];
  /** Milliseconds left to finish (a Lambda's remaining time); undefined: no limit. */
  readonly remainingTimeMs?: () => number;
  readonly tuning?: Partial<SweepTuning>;
}
