import { DescribeNetworkInterfacesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { chunk } from '../util/concurrency';
import { EC2_FILTER_VALUES, EC2_PAGE_SIZE, eachRule, eachSecurityGroup } from './footprint-inventory';

/**
 * The network interfaces each security group is attached to, in batches of 200
 * groups (a paged DescribeNetworkInterfaces filtered by `group-id`). A failed
 * batch is an Error for each of its groups, never "none".
 */
export async function readNetworkInterfaceUse(
  ec2: EC2Client,
  groupIds: readonly string[],
): Promise<Map<string, readonly string[] | Error>> {
  const uses = new Map<string, readonly string[] | Error>();
  for (const batch of chunk(groupIds, EC2_FILTER_VALUES)) {
    const found = new Map<string, string[]>(batch.map((id) => [id, []]));
    try {
      let token: string | undefined;
      do {
        const output = await ec2.send(
          new DescribeNetworkInterfacesCommand({
            Filters: [{ Name: 'group-id', Values: batch }],
            MaxResults: EC2_PAGE_SIZE,
            NextToken: token,
          }),
        );
        for (const networkInterface of output.NetworkInterfaces ?? []) {
          for (const group of networkInterface.Groups ?? []) {
            const list = group.GroupId === undefined ? undefined : found.get(group.GroupId);
            if (list !== undefined && networkInterface.NetworkInterfaceId !== undefined) {
              list.push(networkInterface.NetworkInterfaceId);
            }
          }
        }
        token = output.NextToken || undefined;
      } while (token !== undefined);
      for (const [id, list] of found) uses.set(id, list);
    } catch (error) {
      for (const id of batch) uses.set(id, asError(error));
    }
  }
  return uses;
}

/** A rule of another security group whose source (or destination) is the one judged. */
export interface ReferencingRule {
  readonly ruleId: string;
  readonly groupId: string;
  readonly isEgress: boolean;
  readonly description: string;
}

/**
 * The rules of other security groups that reference each group (ingress or
 * egress), with their IDs and descriptions: the groups that hold such rules are
 * found with DescribeSecurityGroups filtered by `ip-permission.group-id` and
 * `egress.ip-permission.group-id`, then their rules read with
 * DescribeSecurityGroupRules. A failed read is an Error for each group asked about.
 */
export async function readReferencingRules(
  ec2: EC2Client,
  groupIds: readonly string[],
): Promise<Map<string, readonly ReferencingRule[] | Error>> {
  const wanted = new Set(groupIds);
  const found = new Map<string, ReferencingRule[]>(groupIds.map((id) => [id, []]));
  try {
    // The groups holding such rules (node groups, mostly: the same few for every candidate), then
    // each holder's rules once, however many candidates reference it.
    const holders = new Set<string>();
    for (const batch of chunk(groupIds, EC2_FILTER_VALUES)) {
      for (const name of ['ip-permission.group-id', 'egress.ip-permission.group-id']) {
        await eachSecurityGroup(ec2, [{ Name: name, Values: batch }], (group) => {
          if (group.GroupId !== undefined) holders.add(group.GroupId);
        });
      }
    }
    for (const ids of chunk([...holders], EC2_FILTER_VALUES)) {
      await eachRule(ec2, [{ Name: 'group-id', Values: ids }], (rule) => {
        const referenced = rule.ReferencedGroupInfo?.GroupId;
        if (referenced === undefined || !wanted.has(referenced)) return;
        // A group's rules that name itself go with it.
        if (rule.GroupId === referenced || rule.SecurityGroupRuleId === undefined) return;
        found.get(referenced)?.push({
          ruleId: rule.SecurityGroupRuleId,
          groupId: rule.GroupId ?? '',
          isEgress: rule.IsEgress ?? false,
          description: rule.Description ?? '',
        });
      });
    }
  } catch (error) {
    return new Map(groupIds.map((id) => [id, asError(error)]));
  }
  return new Map(found);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
