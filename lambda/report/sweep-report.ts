import type { SuspectReason } from '../decisions/lifecycle';
import type { ForeignReason } from '../decisions/verdict';
import type { FootprintKind } from '../inventory/footprint-inventory';
import type { Controller, OwnerKind, SkipReason } from '../ownership/owner';
import type { MonthlyCost, Pricing } from './cost';

/** How a cluster's read ended. Only VERIFIED allows changes to its load balancers. */
export type ClusterStatus = 'VERIFIED' | 'UNVERIFIED' | 'NOT_FOUND';

export interface ClusterEntry {
  readonly name: string;
  readonly status: ClusterStatus;
  /** Services in the complete list. */
  readonly services: number | undefined;
  /** Network load balancers whose tags name this cluster. */
  readonly loadBalancers: number;
  readonly kubernetesRequests: number;
  readonly error: string | undefined;
  /** Why nothing of this cluster was changed although its read was complete. */
  readonly heldBack: string | undefined;
  /**
   * When its circuit breaker tripped: every resource of every unit it counted as
   * a change, footprint included, so a person can see what tripped it (a misread
   * cluster's load balancers, or resources someone tagged as the cluster's).
   */
  readonly breakerUnits?: readonly BreakerUnitEntry[];
}

/** One resource the circuit breaker counted as a change. */
export interface BreakerUnitEntry {
  readonly kind: 'load-balancer' | FootprintKind;
  /** ARN, `sg-` or `sgr-` ID. */
  readonly id: string;
  readonly name: string;
  /** Who its tags say it was made for. */
  readonly owner: string;
  /** What the sweep would have done: mark, announce, delete, finish. */
  readonly action: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * What happened to one load balancer:
 * - `marked`: a new promise to delete at `deletesAt`: first seen orphaned, its reason
 *   changed, or its old mark was not one the janitor can show it wrote (see `detail`).
 * - `announced`: its promise had not reached a person in time, or its date passed long
 *   ago without the janitor acting: announced again with a new date.
 * - `pending`: marked and announced, waiting for its date (or an opt-in).
 * - `spared`: its tags name a cluster it does not belong to (another VPC, older than
 *   the cluster, or a Service elsewhere names it): never judged, nothing changed.
 * - `deleted`: deleted in this sweep.
 * - `recovered`: its owner is back; the marks were removed.
 * - `held`: its cluster could not be read completely; nothing changed.
 * - `deferred`: left for the next sweep (limit, time budget, circuit breaker, tags changed since the inventory).
 * - `needs-manual-action`: deletion protection is on; the janitor never turns it off.
 * - `already-gone`: someone else deleted it first.
 * - `kept`: due for deletion, marking or unmarking, but the fresh read right before found an owner or a change.
 * - `failed`: an AWS call for it failed; see `error`.
 */
export type Outcome =
  | 'marked'
  | 'announced'
  | 'spared'
  | 'pending'
  | 'deleted'
  | 'recovered'
  | 'held'
  | 'deferred'
  | 'needs-manual-action'
  | 'already-gone'
  | 'kept'
  | 'failed';

export interface LoadBalancerEntry {
  readonly arn: string;
  readonly name: string;
  readonly dnsName: string;
  readonly scheme: string;
  readonly vpcId: string;
  readonly cluster: string;
  /** `<namespace>/<name>` of the owner (an IngressGroup: its name). */
  readonly owner: string;
  /** The kind of Kubernetes object that owns it. */
  readonly ownerKind: OwnerKind;
  /** For a Service a Gateway implementation made: which implementation, for which Gateway (or unknown). */
  readonly gateway?: string | undefined;
  readonly controller: Controller;
  readonly outcome: Outcome;
  /** True when a dry run only says what a real sweep would have done. */
  readonly dryRun: boolean;
  readonly reason: SuspectReason | ForeignReason | undefined;
  readonly suspectSince: string | undefined;
  /** When the janitor promised to delete it; undefined when no deletion is planned. */
  readonly deletesAt: string | undefined;
  /** Its fixed monthly charges at the region's price: `estimatedMonthlyCost.totalUsd`. */
  readonly estimatedMonthlyCostUsd: number;
  readonly estimatedMonthlyCost: MonthlyCost;
  /** Availability Zones it is enabled in (an internet-facing NLB pays a public IPv4 address in each). */
  readonly availabilityZones: number | undefined;
  /** True when this report is the one reminder that its deletion is less than a day away. */
  readonly reminder: boolean;
  /** Why it was held, deferred or kept, or the error that made it fail. */
  readonly detail: string | undefined;
  /** All tags, for deleted load balancers: what an audit or a re-creation needs. */
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly deletedTargetGroups: readonly string[] | undefined;
}

/** A Service a Gateway implementation made whose Gateway is gone: report only. */
export interface GatewayGoneEntry {
  readonly cluster: string;
  /** `<namespace>/<name>` of the Service. */
  readonly service: string;
  /** `<namespace>/<name>` of the Gateway it was made for. */
  readonly gateway: string;
  readonly detail: string;
}

/** A target group left behind by a deletion the janitor began, and what became of it. */
/**
 * A resource a controller made beside a load balancer — a target group, a
 * security group, an in-tree node rule — and what the janitor did with it,
 * through the same lifecycle as load balancers (same outcomes).
 */
export interface FootprintEntry {
  readonly kind: FootprintKind;
  /** A target group's ARN, a security group's `sg-` ID, a rule's `sgr-` ID. */
  readonly id: string;
  /** A target group's or security group's name; a rule's description. */
  readonly name: string;
  readonly vpcId: string;
  readonly cluster: string;
  /** Who it was made for: `Service shop/web`, `cluster prod`, `load balancer a1b2…`. */
  readonly owner: string;
  /** The load balancer it belongs with, when known (ARN, or an in-tree name): the table groups it there. */
  readonly loadBalancer: string | undefined;
  readonly outcome: Outcome;
  readonly dryRun: boolean;
  readonly reason: SuspectReason | ForeignReason | undefined;
  readonly deletesAt: string | undefined;
  /** Its one reminder: deleted within 24 hours unless stopped. */
  readonly reminder?: boolean;
  readonly detail: string | undefined;
}

export interface SkippedEntry {
  readonly arn: string;
  readonly name: string;
  readonly reason: SkipReason | 'TAGS_NOT_RETURNED' | 'CLUSTER_NOT_SELECTED';
}

/**
 * Whether the report reached people. Promises count only once a report naming
 * them was delivered; `none` means no channel was configured, so nothing is deleted.
 */
export interface Announcement {
  /**
   * `quiet`: nothing new to tell, so nothing was published (the report is still
   * logged and printed); promises are only ever recorded after a `delivered` one.
   */
  readonly status: 'delivered' | 'quiet' | 'failed' | 'pending' | 'none';
  readonly detail: string | undefined;
  /** Delivered, but something around it failed: the chat message, recording what was said. */
  readonly warnings?: readonly string[];
}

export interface SweepCounts {
  /** Load balancers of every type in the region. */
  readonly loadBalancers: number;
  readonly networkLoadBalancers: number;
  readonly owned: number;
  readonly marked: number;
  readonly announced: number;
  readonly pending: number;
  readonly spared: number;
  readonly deleted: number;
  readonly recovered: number;
  readonly held: number;
  readonly deferred: number;
  readonly needsManualAction: number;
  readonly failed: number;
  readonly skipped: number;
  /** Pending load balancers this report reminds of: deleted within 24 hours. */
  readonly reminded: number;
}

/**
 * What the sweep asked of the APIs that are shared with the rest of the account.
 * ELBv2's describe calls come out of one bucket per account and region (40,
 * refilling 10 a second) that every AWS Load Balancer Controller uses too.
 */
export interface ApiUsage {
  /** Where the inventory's tags came from. */
  readonly tagSource: 'tagging-api' | 'describe-tags';
  /** Why DescribeTags read them (the tagging API denied, or not configured); undefined with the tagging API. */
  readonly tagSourceDetail: string | undefined;
  /** Resource Groups Tagging API GetResources calls. */
  readonly taggingApiCalls: number;
  /** ELBv2 describe attempts, retries included; undefined when the client is not paced (not counted). */
  readonly elbv2DescribeCalls: number | undefined;
  /** ELBv2 describe attempts answered `Throttling` and retried. */
  readonly elbv2Throttled: number | undefined;
  /** Milliseconds describe calls waited for the janitor's own pacing. */
  readonly elbv2PacingWaitMs: number | undefined;
}

/**
 * Why a report is sent: `change` (something a person has not heard yet), `digest`
 * (the daily summary, sent even when nothing changed), or `quiet` (nothing new:
 * logged and printed, not published).
 */
export type NoticeKind = 'change' | 'digest' | 'quiet';

export interface Notice {
  readonly kind: NoticeKind;
  /** One line for each thing a person has not heard yet. */
  readonly news: readonly string[];
}

/** What was deleted since the record began: the digest's "savings so far". */
export interface Savings {
  readonly deleted: number;
  readonly monthlyUsd: number;
  readonly since: string;
}

export interface SweepReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly region: string;
  /** The AWS account swept (from the function's ARN); undefined when unknown, as in the CLI. */
  readonly account?: string | undefined;
  readonly dryRun: boolean;
  readonly settings: {
    readonly gracePeriod: string;
    readonly maxDeletions: number;
    readonly maxDeletionsPerCluster: number;
    readonly deleteWhenClusterMissing: boolean;
    readonly clusters: readonly string[] | undefined;
  };
  readonly counts: SweepCounts;
  readonly api: ApiUsage;
  readonly announcement: Announcement;
  readonly clusters: readonly ClusterEntry[];
  /** Every network load balancer the janitor has something to say about; owned ones are only counted. */
  readonly loadBalancers: readonly LoadBalancerEntry[];
  /** Services a Gateway implementation made whose Gateway no longer exists (report only). */
  readonly gatewaysGone?: readonly GatewayGoneEntry[];
  /** Target groups, security groups and node rules the janitor has something to say about. */
  readonly footprint: readonly FootprintEntry[];
  /** Network load balancers left alone without asking a cluster; other types are only counted. */
  readonly skipped: readonly SkippedEntry[];
  /** Problems that are not about one load balancer, such as a target group that could not be deleted. */
  readonly errors: readonly string[];
  /** Estimated monthly cost of the load balancers deleted in this sweep. */
  readonly estimatedMonthlySavingsUsd: number;
  /** Estimated monthly cost of the load balancers promised for deletion and not deleted yet. */
  readonly estimatedMonthlyPendingUsd: number;
  /** The prices the estimates use. */
  readonly pricing: Pricing;
  /** Whether this report is news (`change`), the digest, or nothing new (`quiet`), and what is new. */
  readonly notice: Notice;
  /** Load balancers deleted since the janitor started counting, for the digest; undefined without a record. */
  readonly savingsSoFar: Savings | undefined;
  /** How a person stops a deletion; set when any load balancer has a deletion time. */
  readonly stopDeletion: string | undefined;
}
