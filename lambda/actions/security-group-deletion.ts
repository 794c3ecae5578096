import {
  DeleteSecurityGroupCommand,
  type EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import type { ReferencingRule } from '../inventory/footprint-uses';
import { errorText } from '../util/error-text';
import { isEc2NotFound } from './tagging';

export type RemovalResult =
  | { readonly kind: 'removed' }
  | { readonly kind: 'already-gone' }
  /** Something still depends on it (an NLB's interfaces take minutes to go): the next sweep tries again. */
  | { readonly kind: 'in-use'; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * Revokes the controller rules that reference a security group, then deletes
 * it. Every check has been made before. A rule already gone is fine; any other
 * failed revoke leaves the group (it could not be deleted anyway). EC2 answers
 * DependencyViolation while a network interface or another rule still uses the
 * group: that is `in-use`, and a later sweep finishes the job.
 */
export async function deleteSecurityGroup(
  ec2: EC2Client,
  groupId: string,
  rules: readonly ReferencingRule[],
): Promise<RemovalResult> {
  for (const { holder, isEgress, ids } of byHolder(rules)) {
    const result = await revokeRules(ec2, holder, isEgress, ids);
    if (result.kind === 'failed' || result.kind === 'in-use') return result;
  }
  try {
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    return { kind: 'removed' };
  } catch (error) {
    if (isEc2NotFound(error)) return { kind: 'already-gone' };
    if (error instanceof Error && error.name === 'DependencyViolation') {
      return { kind: 'in-use', error: errorText(error) };
    }
    return { kind: 'failed', error: errorText(error) };
  }
}

/** Revokes rules of one security group by their IDs; a rule already gone is not an error. */
export async function revokeRules(
  ec2: EC2Client,
  groupId: string,
  isEgress: boolean,
  ruleIds: readonly string[],
): Promise<RemovalResult> {
  const input = { GroupId: groupId, SecurityGroupRuleIds: [...ruleIds] };
  try {
    if (isEgress) await ec2.send(new RevokeSecurityGroupEgressCommand(input));
    else await ec2.send(new RevokeSecurityGroupIngressCommand(input));
    return { kind: 'removed' };
  } catch (error) {
    if (isEc2NotFound(error)) {
      // One of them is gone: the others one by one, so that none is left behind.
      if (ruleIds.length > 1) {
        for (const id of ruleIds) {
          const one = await revokeRules(ec2, groupId, isEgress, [id]);
          if (one.kind === 'failed') return one;
        }
        return { kind: 'removed' };
      }
      return { kind: 'already-gone' };
    }
    return { kind: 'failed', error: `revoking ${ruleIds.join(', ')} of ${groupId}: ${errorText(error)}` };
  }
}

function byHolder(rules: readonly ReferencingRule[]): { holder: string; isEgress: boolean; ids: string[] }[] {
  const groups = new Map<string, { holder: string; isEgress: boolean; ids: string[] }>();
  for (const rule of rules) {
    const key = `${rule.groupId} ${rule.isEgress}`;
    const group = groups.get(key) ?? { holder: rule.groupId, isEgress: rule.isEgress, ids: [] };
    group.ids.push(rule.ruleId);
    groups.set(key, group);
  }
  return [...groups.values()];
}
