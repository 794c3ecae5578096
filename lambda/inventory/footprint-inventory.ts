import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  type EC2Client,
  type Filter,
  type SecurityGroup,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  EKS_AUTO_RESOURCE_TAG,
  IN_TREE_CLUSTER_TAG_PREFIX,
  LBC_BACKEND_SECURITY_GROUP,
  LBC_RESOURCE_TAG,
  LBC_SERVICE_RESOURCE_TAG,
  MANAGED_LB_SECURITY_GROUP,
} from '../../contract/tag-keys';
import { IN_TREE_NODE_RULE } from '../ownership/in-tree-name';
import { chunk } from '../util/concurrency';
import { errorText } from '../util/error-text';
import { toRecord } from './describe-tags';
import { type PortsInUse, readDetachedTargetGroups } from './detached-target-groups';

/** The resources a controller makes beside a load balancer that the janitor cleans. */
export type FootprintKind = 'target-group' | 'security-group' | 'node-rule';

/** One footprint resource as AWS showed it: kind-neutral, so one lifecycle handles every kind. */
export interface FootprintItem {
  readonly kind: FootprintKind;
  /** A target group's ARN, a security group's `sg-` ID, a rule's `sgr-` ID. */
  readonly id: string;
  /** A target group's or security group's name; a rule's description. */
  readonly name: string;
  readonly vpcId: string;
  /** The resource's own tags: where the janitor's marks go. */
  readonly tags: Readonly<Record<string, string>>;
  /** A node rule: the security group it is in, and that group's tags (which name the cluster). */
  readonly group?: { readonly id: string; readonly tags: Readonly<Record<string, string>> };
  /** A node rule: what it opens (`-1` protocol: everything; ICMP has no ports). */
  readonly ports?: { readonly protocol: string; readonly from: number; readonly to: number };
}

/** One kind's read: complete, or failed on its own (a failed kind changes nothing of that kind). */
export type FootprintKindRead =
  | { readonly kind: 'complete'; readonly items: readonly FootprintItem[]; readonly calls: number }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * What the sweep read of the footprint, per kind, and the ports attached target
 * groups use (what an in-tree node rule may serve whatever its description
 * says); an Error when target groups could not be read.
 */
export type FootprintInventory = Readonly<Record<FootprintKind, FootprintKindRead>> & {
  readonly portsInUse: readonly PortsInUse[] | Error;
};

/** EC2's largest page for security groups, their rules and network interfaces. */
export const EC2_PAGE_SIZE = 1000;
/** EC2 takes at most 200 values in one filter. */
export const EC2_FILTER_VALUES = 200;

/**
 * The security groups a controller made for one load balancer, or for a
 * cluster, by the resource tag that says so: one filtered, paged query each.
 */
const SECURITY_GROUP_QUERIES: readonly Filter[] = [
  { Name: `tag:${LBC_SERVICE_RESOURCE_TAG}`, Values: [MANAGED_LB_SECURITY_GROUP] },
  { Name: `tag:${EKS_AUTO_RESOURCE_TAG}`, Values: [MANAGED_LB_SECURITY_GROUP] },
  { Name: `tag:${LBC_RESOURCE_TAG}`, Values: [LBC_BACKEND_SECURITY_GROUP] },
];

/**
 * Reads the footprint: detached target groups (one paged DescribeTargetGroups,
 * DescribeTags for the detached ones), security groups tagged by a controller
 * (one filtered DescribeSecurityGroups per resource tag), and the in-tree node
 * rules of the swept clusters' security groups (DescribeSecurityGroups by the
 * clusters' tag keys, then DescribeSecurityGroupRules of those groups). Each kind
 * is read on its own: one failing leaves the others complete.
 */
export async function readFootprint(
  clients: { readonly elbv2: ElasticLoadBalancingV2Client; readonly ec2: EC2Client },
  clusters: readonly string[],
  concurrency: number,
): Promise<FootprintInventory> {
  let ports: readonly PortsInUse[] | Error = new Error('target groups were not read');
  const [targetGroups, securityGroups, nodeRules] = await Promise.all([
    settle(async () => {
      const { detached, portsInUse } = await readDetachedTargetGroups(clients.elbv2, concurrency);
      ports = portsInUse;
      const items = detached.map(
        (group): FootprintItem => ({
          kind: 'target-group',
          id: group.arn,
          name: group.name,
          vpcId: group.vpcId,
          tags: group.tags,
        }),
      );
      return { items, calls: 0 };
    }),
    settle(() => readTaggedSecurityGroups(clients.ec2)),
    settle(() => readNodeRules(clients.ec2, clusters)),
  ]);
  if (targetGroups.kind === 'failed')
    ports = new Error(`target groups could not be read: ${targetGroups.error}`);
  return {
    'target-group': targetGroups,
    'security-group': securityGroups,
    'node-rule': nodeRules,
    portsInUse: ports,
  };
}

async function settle(
  read: () => Promise<{ items: FootprintItem[]; calls: number }>,
): Promise<FootprintKindRead> {
  try {
    return { kind: 'complete', ...(await read()) };
  } catch (error) {
    return { kind: 'failed', error: errorText(error) };
  }
}

async function readTaggedSecurityGroups(ec2: EC2Client): Promise<{ items: FootprintItem[]; calls: number }> {
  const byId = new Map<string, FootprintItem>();
  let calls = 0;
  for (const filter of SECURITY_GROUP_QUERIES) {
    calls += await eachSecurityGroup(ec2, [filter], (group) => {
      if (group.GroupId === undefined) return;
      byId.set(group.GroupId, {
        kind: 'security-group',
        id: group.GroupId,
        name: group.GroupName ?? '',
        vpcId: group.VpcId ?? '',
        tags: toRecord(group.Tags),
      });
    });
  }
  return { items: [...byId.values()], calls };
}

/**
 * In-tree node rules of the security groups that carry a swept cluster's
 * `kubernetes.io/cluster/<name>` key (node groups and the cluster group), ingress only.
 */
async function readNodeRules(
  ec2: EC2Client,
  clusters: readonly string[],
): Promise<{ items: FootprintItem[]; calls: number }> {
  const groups = new Map<string, SecurityGroup>();
  let calls = 0;
  for (const keys of chunk(
    clusters.map((cluster) => `${IN_TREE_CLUSTER_TAG_PREFIX}${cluster}`),
    EC2_FILTER_VALUES,
  )) {
    calls += await eachSecurityGroup(ec2, [{ Name: 'tag-key', Values: keys }], (group) => {
      if (group.GroupId !== undefined) groups.set(group.GroupId, group);
    });
  }
  const items: FootprintItem[] = [];
  for (const ids of chunk([...groups.keys()], EC2_FILTER_VALUES)) {
    calls += await eachRule(ec2, [{ Name: 'group-id', Values: ids }], (rule) => {
      const group = rule.GroupId === undefined ? undefined : groups.get(rule.GroupId);
      if (rule.IsEgress || rule.SecurityGroupRuleId === undefined || group?.GroupId === undefined) return;
      if (!IN_TREE_NODE_RULE.test(rule.Description ?? '')) return;
      items.push({
        kind: 'node-rule',
        id: rule.SecurityGroupRuleId,
        name: rule.Description ?? '',
        vpcId: group.VpcId ?? '',
        tags: toRecord(rule.Tags),
        group: { id: group.GroupId, tags: toRecord(group.Tags) },
        ports: { protocol: rule.IpProtocol ?? '-1', from: rule.FromPort ?? -1, to: rule.ToPort ?? -1 },
      });
    });
  }
  return { items, calls };
}

/** Every security group matching the filters, page by page; the number of calls. */
export async function eachSecurityGroup(
  ec2: EC2Client,
  filters: Filter[],
  visit: (group: SecurityGroup) => void,
  groupIds?: string[],
): Promise<number> {
  let calls = 0;
  let token: string | undefined;
  do {
    const output = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: filters.length > 0 ? filters : undefined,
        GroupIds: groupIds,
        // EC2 refuses MaxResults together with GroupIds.
        MaxResults: groupIds === undefined ? EC2_PAGE_SIZE : undefined,
        NextToken: token,
      }),
    );
    calls += 1;
    for (const group of output.SecurityGroups ?? []) visit(group);
    token = output.NextToken || undefined;
  } while (token !== undefined);
  return calls;
}

/** Every security group rule matching the filters, page by page; the number of calls. */
export async function eachRule(
  ec2: EC2Client,
  filters: Filter[],
  visit: (rule: SecurityGroupRule) => void,
): Promise<number> {
  let calls = 0;
  let token: string | undefined;
  do {
    const output = await ec2.send(
      new DescribeSecurityGroupRulesCommand({
        Filters: filters,
        MaxResults: EC2_PAGE_SIZE,
        NextToken: token,
      }),
    );
    calls += 1;
    for (const rule of output.SecurityGroupRules ?? []) visit(rule);
    token = output.NextToken || undefined;
  } while (token !== undefined);
  return calls;
}
