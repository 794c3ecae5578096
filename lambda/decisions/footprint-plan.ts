import { DELETED_WITH_TAG } from '../../contract/tag-keys';
import type { ReferencingRule } from '../inventory/footprint-uses';
import type { DeletionGate } from './deletion-gate';
import { type LifecycleAction, type LifecyclePolicy, planLifecycle } from './lifecycle';
import type { Verdict } from './verdict';

/**
 * What to do with one footprint resource: the load balancer's lifecycle (mark,
 * announce, wait, delete, unmark — the same rules, the same tags), plus:
 * - `finish`: a target group the janitor tagged `deleted-with` right before
 *   deleting its load balancer, and could not delete then: the load balancer's
 *   announced promise covered it, so it is finished without a new grace period;
 * - `leave`: a `deleted-with` tag that is not the janitor's promise, or whose
 *   load balancer still stands: left alone, and said why.
 */
export type FootprintAction =
  | LifecycleAction
  | { readonly kind: 'finish'; readonly deletedWith: string }
  | { readonly kind: 'leave'; readonly detail: string };

export interface FootprintPlanInput {
  /** The resource's ARN or ID (a `deleted-with` tag must name a load balancer of the same account and region). */
  readonly id: string;
  /** Only a target group can carry the janitor's `deleted-with`: it writes it nowhere else. */
  readonly kind: 'target-group' | 'security-group' | 'node-rule';
  readonly tags: Readonly<Record<string, string>>;
  readonly verdict: Verdict;
  /** Every load balancer ARN of the region in this sweep's inventory. */
  readonly loadBalancerArns: ReadonlySet<string>;
  /** The region and account of the sweep, for resources whose ID is not an ARN. */
  readonly arnScope: { readonly partition: string; readonly region: string; readonly account: string };
}

/** Decides what to do with one footprint resource from its verdict and the tags it carries. */
export function planFootprint(
  input: FootprintPlanInput,
  now: Date,
  policy: LifecyclePolicy,
): FootprintAction {
  const deletedWith = input.tags[DELETED_WITH_TAG];
  if (deletedWith === undefined) return planLifecycle(input.verdict, input.tags, now, policy);
  if (input.kind !== 'target-group') {
    return {
      kind: 'leave',
      detail: `it carries ${DELETED_WITH_TAG}, which the janitor writes only on target groups: not the janitor's promise; remove the tag`,
    };
  }
  if (!namesOwnNetworkLoadBalancer(deletedWith, input.arnScope)) {
    return {
      kind: 'leave',
      detail: `its ${DELETED_WITH_TAG} tag ${JSON.stringify(deletedWith)} names no network load balancer of its account and region: not the janitor's`,
    };
  }
  if (input.loadBalancerArns.has(deletedWith)) {
    return { kind: 'leave', detail: `the load balancer it names, ${deletedWith}, still exists` };
  }
  const { verdict } = input;
  switch (verdict.kind) {
    case 'UNVERIFIED':
      return { kind: 'hold', error: verdict.error };
    case 'FOREIGN':
      return { kind: 'spare', reason: verdict.reason, detail: verdict.detail };
    case 'OWNED':
      return { kind: 'leave', detail: 'its owner exists again; its controller may reuse it' };
    case 'CLUSTER_NOT_FOUND':
      if (!policy.deleteWhenClusterMissing) {
        return {
          kind: 'leave',
          detail: 'EKS does not know its cluster; deleting its leftovers needs --delete-when-cluster-missing',
        };
      }
      return { kind: 'finish', deletedWith };
    case 'ORPHAN':
      return { kind: 'finish', deletedWith };
  }
}

/** `arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>` of the sweep's account and region. */
function namesOwnNetworkLoadBalancer(arn: string, scope: FootprintPlanInput['arnScope']): boolean {
  const prefix = `arn:${scope.partition}:elasticloadbalancing:${scope.region}:${scope.account}:loadbalancer/net/`;
  return arn.startsWith(prefix) && /^[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/.test(arn.slice(prefix.length));
}

/** What reads of use found for one footprint resource; undefined: not a fact for this kind. */
export interface FootprintUse {
  /** Targets registered in a target group (any state), or why they could not be read. */
  readonly registeredTargets?: number | Error;
  /** Load balancers that use it (a security group's, a target group's), or why that could not be read. */
  readonly loadBalancers?: readonly string[] | Error;
  /** Network interfaces it is attached to, or why they could not be read. */
  readonly networkInterfaces?: readonly string[] | Error;
  /** Rules of other security groups that reference it, or why they could not be read. */
  readonly referencingRules?: readonly ReferencingRule[] | Error;
}

/**
 * The description the LBC gives the node and backend rules it adds for a
 * TargetGroupBinding: only these are revoked with the group they reference;
 * any other rule is someone's, and keeps the group (pkg/networking).
 */
export const LBC_SHARED_RULE_DESCRIPTION = 'elbv2.k8s.aws/targetGroupBinding=shared';

/**
 * Whether what uses a footprint resource lets it be deleted: registered targets
 * and rules someone else wrote need a person (`in-use`); a load balancer or a
 * network interface still attached goes by itself (`wait`: the next sweep tries
 * again — an NLB's interfaces take minutes to go after it); an unread fact holds.
 */
export type FootprintGate = DeletionGate | { readonly kind: 'wait'; readonly waits: string[] };

export function gateFootprint(use: FootprintUse): FootprintGate {
  const uses: string[] = [];
  const waits: string[] = [];
  const errors: string[] = [];
  const { registeredTargets, loadBalancers, networkInterfaces, referencingRules } = use;
  if (registeredTargets instanceof Error) errors.push(`registered targets: ${registeredTargets.message}`);
  else if (registeredTargets !== undefined && registeredTargets > 0) {
    uses.push(`${registeredTargets} targets are registered in it (a TargetGroupBinding or a person uses it)`);
  }
  if (referencingRules instanceof Error) errors.push(`rules that reference it: ${referencingRules.message}`);
  else {
    for (const rule of referencingRules ?? []) {
      if (rule.description !== LBC_SHARED_RULE_DESCRIPTION) {
        uses.push(
          `rule ${rule.ruleId} of ${rule.groupId} references it (${JSON.stringify(rule.description)}, not a controller's): remove it, or tag the group nlb-janitor/ignore`,
        );
      }
    }
  }
  if (loadBalancers instanceof Error) errors.push(`load balancers: ${loadBalancers.message}`);
  else if (loadBalancers !== undefined && loadBalancers.length > 0) {
    waits.push(`it goes after load balancer ${loadBalancers.join(', ')}, which still stands`);
  }
  if (networkInterfaces instanceof Error) errors.push(`network interfaces: ${networkInterfaces.message}`);
  else if (networkInterfaces !== undefined && networkInterfaces.length > 0) {
    waits.push(
      `network interface ${networkInterfaces.slice(0, 3).join(', ')}${networkInterfaces.length > 3 ? ` and ${networkInterfaces.length - 3} more` : ''} still use it`,
    );
  }
  if (uses.length > 0) return { kind: 'in-use', uses };
  if (errors.length > 0) return { kind: 'unknown', errors };
  if (waits.length > 0) return { kind: 'wait', waits };
  return { kind: 'proceed', notChecked: [] };
}

/** The controller rules revoked right before the group they reference is deleted. */
export function rulesToRevoke(use: FootprintUse): ReferencingRule[] {
  const rules = use.referencingRules;
  if (rules === undefined || rules instanceof Error) return [];
  return rules.filter((rule) => rule.description === LBC_SHARED_RULE_DESCRIPTION);
}
