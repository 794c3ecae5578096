import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { deleteTargetGroup } from '../actions/load-balancer-deletion';
import { deleteSecurityGroup, type RemovalResult, revokeRules } from '../actions/security-group-deletion';
import { ec2TagWriter, elbv2TagWriter, type TagWriter } from '../actions/tagging';
import { type FootprintUse, rulesToRevoke } from '../decisions/footprint-plan';
import { describeTags, isNotFound, toRecord } from '../inventory/describe-tags';
import { registeredTargets } from '../inventory/detached-target-groups';
import {
  EC2_FILTER_VALUES,
  eachRule,
  eachSecurityGroup,
  type FootprintItem,
  type FootprintKind,
} from '../inventory/footprint-inventory';
import { readNetworkInterfaceUse, readReferencingRules } from '../inventory/footprint-uses';
import { IN_TREE_NODE_RULE } from '../ownership/in-tree-name';
import { chunk } from '../util/concurrency';
import type { SweepTuning } from './sweep-settings';

export interface FootprintClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ec2: EC2Client;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface FootprintContext {
  /** Security group → the load balancers of the inventory that use it. */
  readonly securityGroupUsers: ReadonlyMap<string, readonly string[]>;
  /** Load balancer name → ARN, every type, as the inventory read them. */
  readonly loadBalancersByName: ReadonlyMap<string, string>;
  readonly tuning: SweepTuning;
  readonly outOfTime: () => boolean;
}

/**
 * What differs between footprint kinds — where their tags are written and read,
 * what can use them, how they are removed — as one table entry each; the
 * lifecycle, the breaker, the limits and the report are the same for all.
 */
export interface FootprintKindIo {
  /** How a report names one: `target group`, `security group`, `node rule`. */
  readonly noun: string;
  readonly writer: (clients: FootprintClients) => TagWriter;
  /**
   * The resources read afresh (their tags, and a node rule's group's tags); a
   * resource missing from the answer is gone. Throws on failure.
   */
  readonly freshItems: (
    clients: FootprintClients,
    items: readonly FootprintItem[],
  ) => Promise<Map<string, FootprintItem>>;
  /**
   * What uses each resource. `forDeletion`: right before deleting, so per-resource
   * reads are allowed; otherwise only batched ones. Never throws: an unread fact is an Error in the use.
   */
  readonly readUses: (
    clients: FootprintClients,
    items: readonly FootprintItem[],
    context: FootprintContext,
    forDeletion: boolean,
  ) => Promise<Map<string, FootprintUse>>;
  readonly remove: (
    clients: FootprintClients,
    item: FootprintItem,
    use: FootprintUse,
    context: FootprintContext,
  ) => Promise<RemovalResult>;
}

export const FOOTPRINT_KINDS: Readonly<Record<FootprintKind, FootprintKindIo>> = {
  'target-group': {
    noun: 'target group',
    writer: (clients) => elbv2TagWriter(clients.elbv2),
    freshItems: async (clients, items) => {
      const tags = await describeTags(
        clients.elbv2,
        items.map((item) => item.id),
        2,
      );
      return withFreshTags(items, tags);
    },
    readUses: async (clients, items, _context, forDeletion) => {
      const uses = new Map<string, FootprintUse>();
      // One DescribeTargetHealth each: only right before a deletion.
      if (!forDeletion) return uses;
      const targets = await registeredTargets(
        clients.elbv2,
        items.map((item) => item.id),
      );
      for (const item of items) {
        uses.set(item.id, {
          registeredTargets: targets.get(item.id) ?? new Error('not read'),
          loadBalancers: await attachedLoadBalancers(clients.elbv2, item.id),
        });
      }
      return uses;
    },
    remove: async (clients, item, _use, context) => {
      const error = await deleteTargetGroup(clients.elbv2, item.id, {
        sleep: clients.sleep,
        targetGroupRetryDelaysMs: context.tuning.targetGroupRetryDelaysMs,
        outOfTime: context.outOfTime,
      });
      return error === undefined ? { kind: 'removed' } : { kind: 'failed', error };
    },
  },
  'security-group': {
    noun: 'security group',
    writer: (clients) => ec2TagWriter(clients.ec2),
    freshItems: async (clients, items) =>
      withFreshTags(
        items,
        await groupTags(
          clients.ec2,
          items.map((item) => item.id),
        ),
      ),
    readUses: async (clients, items, context) => {
      const ids = items.map((item) => item.id);
      const [interfaces, rules] = await Promise.all([
        readNetworkInterfaceUse(clients.ec2, ids),
        readReferencingRules(clients.ec2, ids),
      ]);
      return new Map(
        ids.map((id) => [
          id,
          {
            loadBalancers: context.securityGroupUsers.get(id) ?? [],
            networkInterfaces: interfaces.get(id) ?? new Error('not read'),
            referencingRules: rules.get(id) ?? new Error('not read'),
          },
        ]),
      );
    },
    remove: (clients, item, use) => deleteSecurityGroup(clients.ec2, item.id, rulesToRevoke(use)),
  },
  'node-rule': {
    noun: 'node rule',
    writer: (clients) => ec2TagWriter(clients.ec2),
    // The rule and the group it is in: an ignore tag, or another cluster's key, may be on either.
    freshItems: async (clients, items) => {
      const tags = new Map<string, Readonly<Record<string, string>>>();
      const ports = new Map<string, NonNullable<FootprintItem['ports']>>();
      const judged = new Map(items.map((item) => [item.id, item]));
      for (const ids of chunk([...judged.keys()], EC2_FILTER_VALUES)) {
        await eachRule(clients.ec2, [{ Name: 'security-group-rule-id', Values: ids }], (rule) => {
          const id = rule.SecurityGroupRuleId;
          const item = id === undefined ? undefined : judged.get(id);
          // A rule whose description or group changed is not the rule that was judged: as good as gone.
          if (id !== undefined && item?.name === rule.Description && item?.group?.id === rule.GroupId) {
            tags.set(id, toRecord(rule.Tags));
            // What it opens now: a rule modified meanwhile is judged by its ports of now.
            ports.set(id, {
              protocol: rule.IpProtocol ?? '-1',
              from: rule.FromPort ?? -1,
              to: rule.ToPort ?? -1,
            });
          }
        });
      }
      const groups = await groupTags(clients.ec2, [
        ...new Set(items.flatMap((item) => (item.group === undefined ? [] : [item.group.id]))),
      ]);
      const fresh = new Map<string, FootprintItem>();
      for (const item of items) {
        const ruleTags = tags.get(item.id);
        const group = item.group === undefined ? undefined : groups.get(item.group.id);
        if (ruleTags === undefined || group === undefined || item.group === undefined) continue;
        fresh.set(item.id, {
          ...item,
          tags: ruleTags,
          group: { id: item.group.id, tags: group },
          ports: ports.get(item.id),
        });
      }
      return fresh;
    },
    // A rule waits for the load balancer it names: it goes after it, as the in-tree provider would revoke it.
    readUses: async (_clients, items, context) =>
      new Map(
        items.map((item) => {
          const name = IN_TREE_NODE_RULE.exec(item.name)?.[2];
          const arn = name === undefined ? undefined : context.loadBalancersByName.get(name);
          return [item.id, { loadBalancers: arn === undefined ? [] : [arn] }];
        }),
      ),
    remove: (clients, item) => revokeRules(clients.ec2, item.group?.id ?? '', false, [item.id]),
  },
};

/** The items that are still there, each with the tags read now. */
function withFreshTags(
  items: readonly FootprintItem[],
  tags: ReadonlyMap<string, Readonly<Record<string, string>>>,
): Map<string, FootprintItem> {
  const fresh = new Map<string, FootprintItem>();
  for (const item of items) {
    const now = tags.get(item.id);
    if (now !== undefined) fresh.set(item.id, { ...item, tags: now });
  }
  return fresh;
}

/** Security groups' tags, 200 groups a query; a group missing from the answer is gone. */
async function groupTags(
  ec2: EC2Client,
  groupIds: readonly string[],
): Promise<Map<string, Readonly<Record<string, string>>>> {
  const tags = new Map<string, Readonly<Record<string, string>>>();
  for (const ids of chunk(groupIds, EC2_FILTER_VALUES)) {
    await eachSecurityGroup(ec2, [{ Name: 'group-id', Values: ids }], (group) => {
      if (group.GroupId !== undefined) tags.set(group.GroupId, toRecord(group.Tags));
    });
  }
  return tags;
}

/** The load balancers a target group is attached to now; an Error if that could not be read. */
async function attachedLoadBalancers(
  elbv2: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<readonly string[] | Error> {
  try {
    const output = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }));
    return output.TargetGroups?.[0]?.LoadBalancerArns ?? [];
  } catch (error) {
    if (isNotFound(error)) return [];
    return error instanceof Error ? error : new Error(String(error));
  }
}
