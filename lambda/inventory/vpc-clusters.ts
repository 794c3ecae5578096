import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  DescribeSubnetsCommand,
  type DescribeSubnetsCommandOutput,
  type EC2Client,
  type Filter,
  type Tag,
} from '@aws-sdk/client-ec2';
import { IN_TREE_CLUSTER_TAG_PREFIX } from '../../contract/tag-keys';
import { chunk } from '../util/concurrency';
import { errorText } from '../util/error-text';
import { EC2_FILTER_VALUES, EC2_PAGE_SIZE, eachSecurityGroup } from './footprint-inventory';

/** Where AWS shows a Kubernetes cluster: a resource that carries its `kubernetes.io/cluster/<name>` key. */
export interface ClusterSighting {
  readonly kind: 'security-group' | 'subnet' | 'instance';
  readonly id: string;
}

/** Per cluster name, per VPC, the resources that carry the cluster's tag key. */
export type ClusterSightings = ReadonlyMap<string, ReadonlyMap<string, readonly ClusterSighting[]>>;

/** The clusters' tags could not be read: the sweep cannot know every cluster of the VPCs, so it changes nothing. */
export class ClusterTagsError extends Error {
  override readonly name = 'ClusterTagsError';
}

/**
 * The cluster a `kubernetes.io/cluster/<name>` key names; undefined for any
 * other key. The in-tree provider, kops, Cluster API and eksctl all write it on
 * a cluster's subnets, security groups and instances, whatever the cluster's
 * kind: it is how a cluster EKS does not know still shows in AWS.
 */
export function clusterOfTagKey(key: string): string | undefined {
  if (!key.startsWith(IN_TREE_CLUSTER_TAG_PREFIX)) return undefined;
  const name = key.slice(IN_TREE_CLUSTER_TAG_PREFIX.length);
  return CLUSTER_NAME.test(name) ? name : undefined;
}

/**
 * The names the tools that write the key give clusters: EKS and eksctl
 * (`[A-Za-z0-9_-]`), Cluster API (DNS-1123 labels), kops (DNS names such as
 * `k8s.example.com`). A key naming anything else is not taken for a cluster:
 * the janitor reports clusters by name and remembers them in SNS tag keys.
 */
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Adds what one resource's tags show to the sightings (pure; used by the reader and its tests). */
export function addSighting(
  sightings: Map<string, Map<string, ClusterSighting[]>>,
  resource: { readonly vpcId: string | undefined; readonly sighting: ClusterSighting },
  tags: readonly Tag[] | undefined,
): void {
  if (resource.vpcId === undefined || resource.vpcId === '') return;
  for (const tag of tags ?? []) {
    const cluster = tag.Key === undefined ? undefined : clusterOfTagKey(tag.Key);
    if (cluster === undefined) continue;
    const byVpc = sightings.get(cluster) ?? new Map<string, ClusterSighting[]>();
    const seen = byVpc.get(resource.vpcId) ?? [];
    if (!seen.some((known) => known.id === resource.sighting.id)) seen.push(resource.sighting);
    byVpc.set(resource.vpcId, seen);
    sightings.set(cluster, byVpc);
  }
}

/**
 * Every cluster whose `kubernetes.io/cluster/*` key is on a security group, a
 * subnet or a live instance (pending, running, stopping, stopped) in these VPCs:
 * one filtered, paged query per kind and 200 VPCs (EC2 filters take a wildcard in
 * `tag-key`). All or nothing: a failed page throws, because a cluster left out is
 * a cluster whose claims are never asked for.
 */
export async function readClusterTags(ec2: EC2Client, vpcIds: readonly string[]): Promise<ClusterSightings> {
  const sightings = new Map<string, Map<string, ClusterSighting[]>>();
  try {
    for (const vpcs of chunk([...new Set(vpcIds)].sort(), EC2_FILTER_VALUES)) {
      const filters: Filter[] = [
        { Name: 'vpc-id', Values: vpcs },
        { Name: 'tag-key', Values: [`${IN_TREE_CLUSTER_TAG_PREFIX}*`] },
      ];
      await eachSecurityGroup(ec2, filters, (group) => {
        if (group.GroupId === undefined) return;
        addSighting(
          sightings,
          { vpcId: group.VpcId, sighting: { kind: 'security-group', id: group.GroupId } },
          group.Tags,
        );
      });
      let token: string | undefined;
      do {
        const page: DescribeSubnetsCommandOutput = await ec2.send(
          new DescribeSubnetsCommand({ Filters: filters, MaxResults: EC2_PAGE_SIZE, NextToken: token }),
        );
        for (const subnet of page.Subnets ?? []) {
          if (subnet.SubnetId === undefined) continue;
          addSighting(
            sightings,
            { vpcId: subnet.VpcId, sighting: { kind: 'subnet', id: subnet.SubnetId } },
            subnet.Tags,
          );
        }
        token = page.NextToken || undefined;
      } while (token !== undefined);
      do {
        const page: DescribeInstancesCommandOutput = await ec2.send(
          new DescribeInstancesCommand({
            // A terminated instance shows for about an hour, and proves nothing lives.
            Filters: [
              ...filters,
              { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
            ],
            MaxResults: EC2_PAGE_SIZE,
            NextToken: token,
          }),
        );
        for (const instance of (page.Reservations ?? []).flatMap(
          (reservation) => reservation.Instances ?? [],
        )) {
          if (instance.InstanceId === undefined) continue;
          addSighting(
            sightings,
            { vpcId: instance.VpcId, sighting: { kind: 'instance', id: instance.InstanceId } },
            instance.Tags,
          );
        }
        token = page.NextToken || undefined;
      } while (token !== undefined);
    }
  } catch (error) {
    throw new ClusterTagsError(
      `the clusters' tags (kubernetes.io/cluster/*) in the load balancers' VPCs could not be read, so the clusters there are unknown; nothing was changed: ${errorText(error)}`,
    );
  }
  return sightings;
}
