import { footprintCluster } from '../decisions/footprint-verdict';
import { readFootprint } from '../inventory/footprint-inventory';
import { type Inventory, readInventory } from '../inventory/load-balancer-inventory';
import { readClusterTags } from '../inventory/vpc-clusters';
import { discoverClusters } from '../kubernetes/cluster-discovery';
import { readCluster } from '../kubernetes/cluster-reader';
import { clustersToRead, readKnownCluster, sameNamedSelfManaged } from '../kubernetes/known-clusters';
import type { Owner } from '../ownership/owner';
import type { SkippedEntry } from '../report/sweep-report';
import { assertClockAgrees, watchAwsClock } from './clock-check';
import { ClusterReads } from './cluster-reads';
import { classifyFootprint, type JudgedFootprint } from './plan-footprint';
import { classifyInventory, type JudgedLoadBalancer } from './plan-sweep';
import type { SweepDependencies } from './sweep-dependencies';
import type { SweepSettings, SweepTuning } from './sweep-settings';

/** What the sweep read before deciding anything: every kind's resources, and the clusters they name. */
export interface SweepInputs {
  readonly inventory: Inventory;
  readonly judged: readonly JudgedLoadBalancer[];
  readonly skipped: readonly SkippedEntry[];
  readonly footprint: readonly JudgedFootprint[];
  readonly portsInUse: Awaited<ReturnType<typeof readFootprint>>['portsInUse'];
  readonly clusterNames: readonly string[];
  readonly reads: ClusterReads;
  readonly errors: string[];
}

/**
 * The read phase: the load balancers (all or nothing: a failed list throws
 * before any change), the clusters to discover, the footprint beside them, then
 * every cluster they name, into the sweep's one store of cluster reads.
 */
export async function readSweepInputs(
  settings: SweepSettings,
  deps: SweepDependencies,
  tuning: SweepTuning,
): Promise<SweepInputs> {
  // The host clock against AWS's, from the inventory's own answers, before any change.
  const awsClock = watchAwsClock(deps.elbv2, deps.clock);
  const inventory = await readInventory(deps.elbv2, {
    concurrency: tuning.describeConcurrency,
    tagging: deps.tagging,
  }).finally(awsClock.stop);
  assertClockAgrees(awsClock.reading());
  // Every EKS cluster of the account and region, always: a Service in a cluster nobody configured and no
  // tag names (a controller installed with another cluster's name) still claims its load balancer.
  // Like the inventory, all or nothing: a failed list throws before any change.
  const discovered = await discoverClusters(deps.eks, tuning.listClustersPageSize);
  const { judged, skipped } = classifyInventory(inventory, settings.clusters);
  const errors: string[] = [];
  // Narrowing limits what changes, never what is read: the owners of every load balancer are read.
  const everyJudged = classifyInventory(inventory, undefined).judged;

  // Every configured or discovered cluster is read, not only those the tags name:
  // a Service in any of them may name a load balancer whose tags name another cluster.
  const namedClusters = [
    ...new Set([
      ...everyJudged.map((item) => item.owner.cluster),
      ...(settings.clusters ?? []),
      ...discovered,
    ]),
  ];
  // The footprint beside the load balancers: target groups no load balancer uses,
  // the controllers' security groups, the in-tree node rules of these clusters.
  const footprintRead = await readFootprint(deps, namedClusters, tuning.describeConcurrency);
  const footprint = classifyFootprint(footprintRead, settings.clusters);
  errors.push(...footprint.errors);
  const everyFootprint = classifyFootprint(footprintRead, undefined).judged;
  // Clusters EKS may not know, from the tags they leave in the VPCs judged here (throws before any change).
  const sightings = await readClusterTags(deps.ec2, [
    ...everyJudged.map((item) => item.loadBalancer.vpcId),
    ...everyFootprint.map((item) => item.item.vpcId),
  ]);
  const clusterNames = clustersToRead({
    owners: [...namedClusters, ...everyFootprint.map((item) => footprintCluster(item.owner))],
    configured: settings.clusters,
    discovered,
    sightings,
  });
  // Services always; Ingresses and Gateways only when some load balancer's or footprint's owner is one.
  const kinds = kindsToRead([
    ...everyJudged.map((item) => item.owner),
    ...everyFootprint.flatMap((item) => (item.owner.kind === 'object' ? [item.owner.owner] : [])),
  ]);
  const reads = new ClusterReads(
    (name) =>
      readKnownCluster(name, sightings, settings, (known) =>
        readCluster(deps.eks, known, { ...readerOptions(deps, tuning), kinds }),
      ),
    deps.clock,
  );
  await reads.readAll(clusterNames, tuning.clusterConcurrency);
  // A self-managed cluster beside a same-named EKS cluster of another VPC: unread, under its own key.
  reads.addUnread(sameNamedSelfManaged(sightings, reads.all(), settings));
  return {
    inventory,
    judged,
    skipped,
    footprint: footprint.judged,
    portsInUse: footprintRead.portsInUse,
    clusterNames: reads.names(),
    reads,
    errors,
  };
}

/**
 * Which kinds beyond Services the sweep reads, in every cluster it reads: a
 * Gateway or an Ingress of any cluster may name a Gateway- or Ingress-owned load
 * balancer whose tags name another cluster, so all are read once one is judged.
 */
function kindsToRead(owners: readonly Owner[]): {
  ingresses: boolean;
  gateways: boolean;
} {
  return {
    ingresses: owners.some((owner) => owner.kind === 'Ingress' || owner.kind === 'IngressGroup'),
    gateways: owners.some((owner) => owner.kind === 'Gateway'),
  };
}

export function readerOptions(deps: SweepDependencies, tuning: SweepTuning) {
  return {
    region: deps.region,
    roleArn: deps.roleArn,
    credentials: deps.credentials,
    clock: deps.clock,
    sleep: deps.sleep,
    requestTimeoutMs: tuning.kubernetesRequestTimeoutMs,
    pageSize: tuning.servicePageSize,
    maxAttemptsPerPage: tuning.maxAttemptsPerPage,
    maxRetryAfterSeconds: tuning.maxRetryAfterSeconds,
    baseBackoffMs: tuning.baseBackoffMs,
  };
}
