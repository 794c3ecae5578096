import { isEksClusterName } from '../../contract/patterns';
import type { ClusterSighting, ClusterSightings } from '../inventory/vpc-clusters';
import type { ClusterRead } from './cluster-read';
import type { ClusterReadResult } from './cluster-reader';

/**
 * The clusters a sweep knows before any verdict, from AWS alone, and how one
 * EKS cannot read becomes an unread neighbour. Claims ("a Service names this DNS
 * name") come only from clusters that are read, so every cluster that could make
 * one is read: those the load balancers' and footprint's tags name (whatever the
 * sweep is narrowed to), the configured ones, every EKS cluster of the account
 * and region, and every cluster whose `kubernetes.io/cluster/<name>` key is on a
 * security group, subnet or instance in the load balancers' VPCs. A cluster EKS
 * does not know has no endpoint to read: it holds its VPC.
 */

/** The settings that say which self-managed clusters a person has vouched for. */
export interface KnownClusterSettings {
  /** Clusters known only from their tags that may stay unread without holding their VPC. */
  readonly ignoreUnreadableClusters?: readonly string[] | undefined;
}

/** What a sweep reads for claims: the union of every source, sorted, each once. */
export function clustersToRead(sources: {
  /** Owner clusters of every load balancer and footprint resource with owner tags, selected or not. */
  readonly owners: Iterable<string>;
  readonly configured: readonly string[] | undefined;
  /** eks:ListClusters. */
  readonly discovered: readonly string[];
  readonly sightings: ClusterSightings;
}): string[] {
  return [
    ...new Set([
      ...sources.owners,
      ...(sources.configured ?? []),
      ...sources.discovered,
      ...sources.sightings.keys(),
    ]),
  ].sort();
}

/**
 * Reads one known cluster. A cluster whose tags are in a VPC but that EKS does
 * not know (ResourceNotFound, or a name EKS could never have, such as kops'
 * `k8s.example.com`, which is not even looked up) is a self-managed cluster: an
 * unread read in the VPCs its tags are in, not a missing cluster — unless a
 * person listed it in `ignoreUnreadableClusters`. The same on every re-read, so a
 * fresh read before a deletion never turns it into "not found".
 */
export async function readKnownCluster(
  name: string,
  sightings: ClusterSightings,
  settings: KnownClusterSettings,
  read: (name: string) => Promise<ClusterReadResult>,
): Promise<ClusterReadResult> {
  const seen = sightings.get(name);
  const vouched = settings.ignoreUnreadableClusters?.includes(name) === true;
  if (seen !== undefined && !vouched && !isEksClusterName(name)) return selfManagedResult(name, seen);
  const result = await read(name);
  if (seen === undefined || vouched || result.read.kind !== 'cluster-not-found') return result;
  return selfManagedResult(name, seen);
}

/**
 * Self-managed clusters that share a name with an EKS cluster of another VPC:
 * the tags in a VPC where the EKS cluster is not are another cluster's. Each is
 * an extra unread read under its own key, `<name>@<vpc>`. Where
 * the EKS cluster's own VPC holds the tags too, the two cannot be told apart: the
 * tags are taken for the EKS cluster's (a documented limit).
 */
export function sameNamedSelfManaged(
  sightings: ClusterSightings,
  reads: ReadonlyMap<string, ClusterReadResult>,
  settings: KnownClusterSettings,
): Map<string, ClusterReadResult> {
  const extra = new Map<string, ClusterReadResult>();
  for (const [name, byVpc] of sightings) {
    if (settings.ignoreUnreadableClusters?.includes(name) === true) continue;
    const eksVpc = vpcOf(reads.get(name)?.read);
    // Not read as an EKS cluster (self-managed, handled by readKnownCluster), or of unknown VPC: it holds every VPC already.
    if (eksVpc === undefined) continue;
    for (const [vpcId, seen] of byVpc) {
      if (vpcId === eksVpc) continue;
      extra.set(
        selfManagedKey(name, vpcId),
        selfManagedResult(name, new Map([[vpcId, seen]]), `the EKS cluster ${name} is in ${eksVpc}`),
      );
    }
  }
  return extra;
}

/**
 * The report's and the claims' name for a self-managed cluster beside a
 * same-named EKS cluster: `<name>@<vpc>`, of characters an SNS tag key takes
 * (the janitor remembers what it said of each cluster in its topic's tags).
 */
export function selfManagedKey(name: string, vpcId: string): string {
  return `${name}@${vpcId}`;
}

/**
 * The unread read of a self-managed cluster: the VPC its tags are in (none when
 * in several: it then holds every VPC), where they were seen, and what a person
 * can do about it.
 */
export function selfManagedRead(
  name: string,
  byVpc: ReadonlyMap<string, readonly ClusterSighting[]>,
  eksElsewhere?: string,
): Extract<ClusterRead, { kind: 'unverified' }> {
  const vpcs = [...byVpc.keys()].sort();
  const where = vpcs.map((vpcId) => `${describeSightings(byVpc.get(vpcId) ?? [])} in ${vpcId}`).join('; ');
  const error =
    `EKS does not know cluster ${name}${eksElsewhere === undefined ? '' : ` in this VPC (${eksElsewhere})`}, ` +
    `but its tag kubernetes.io/cluster/${name} is on ${where}: a self-managed cluster, which the janitor cannot read ` +
    '(it has no EKS endpoint), so its Services are unknown. If the cluster is gone, remove that tag from those resources; ' +
    'if it lives and no Service of it can use another cluster\u2019s load balancer, list it in IGNORE_UNREADABLE_CLUSTERS ' +
    '(CLI: --ignore-unreadable-clusters; construct: ignoreUnreadableClusters)';
  return { kind: 'unverified', error, vpcId: vpcs.length === 1 ? vpcs[0] : undefined };
}

const SHOWN = 5;

function describeSightings(sightings: readonly ClusterSighting[]): string {
  const ids = sightings.map((sighting) => sighting.id);
  const shown = ids.slice(0, SHOWN).join(', ');
  return ids.length > SHOWN ? `${shown} and ${ids.length - SHOWN} more` : shown;
}

function selfManagedResult(
  name: string,
  byVpc: ReadonlyMap<string, readonly ClusterSighting[]>,
  eksElsewhere?: string,
): ClusterReadResult {
  return {
    read: selfManagedRead(name, byVpc, eksElsewhere),
    kubernetesRequests: 0,
    resourceVersion: undefined,
  };
}

function vpcOf(read: ClusterRead | undefined): string | undefined {
  if (read?.kind === 'complete') return read.identity.vpcId;
  if (read?.kind === 'unverified') return read.vpcId;
  return undefined;
}
