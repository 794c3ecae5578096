import { type FootprintAction, planFootprint } from '../decisions/footprint-plan';
import {
  decideFootprintVerdict,
  footprintCluster,
  type LoadBalancerUser,
} from '../decisions/footprint-verdict';
import type { SweepReads, Verdict } from '../decisions/verdict';
import type { PortsInUse } from '../inventory/detached-target-groups';
import type { FootprintInventory, FootprintItem, FootprintKind } from '../inventory/footprint-inventory';
import type { FootprintOwner } from '../ownership/footprint-owner';
import { readFootprintOwner } from '../ownership/footprint-owner';
import { type Owner, sameOwner } from '../ownership/owner';
import type { SweepSettings } from './sweep-settings';

/** A footprint resource whose owner the janitor can read, of a selected cluster. */
export interface JudgedFootprint {
  readonly item: FootprintItem;
  readonly owner: FootprintOwner;
}

export interface FootprintPlan extends JudgedFootprint {
  readonly verdict: Verdict;
  readonly action: FootprintAction;
  /** The load balancer it goes with, when one exists: the breaker and the limits count them as one. */
  readonly loadBalancerArn: string | undefined;
}

/** The order the footprint goes in: target groups, then security groups (after the rules that reference them), then node rules. */
export const FOOTPRINT_ORDER: readonly FootprintKind[] = ['target-group', 'security-group', 'node-rule'];

/**
 * The footprint resources to judge: those whose owner can be read, of the
 * selected clusters. Resources of no owner the janitor knows are not its
 * business and are not reported; a kind that could not be read is an error, and
 * nothing of that kind changes.
 */
export function classifyFootprint(
  inventory: FootprintInventory,
  selectedClusters: readonly string[] | undefined,
): { judged: JudgedFootprint[]; errors: string[] } {
  const judged: JudgedFootprint[] = [];
  const errors: string[] = [];
  for (const kind of FOOTPRINT_ORDER) {
    const read = inventory[kind];
    if (read.kind === 'failed') {
      errors.push(`the ${PLURAL[kind]} could not be read, so none of them changed: ${read.error}`);
      continue;
    }
    for (const item of read.items) {
      const ownership = readFootprintOwner(item);
      if (ownership.kind === 'skipped') continue;
      const cluster = footprintCluster(ownership.owner);
      if (selectedClusters !== undefined && !selectedClusters.includes(cluster)) continue;
      judged.push({ item, owner: ownership.owner });
    }
  }
  return { judged, errors };
}

const PLURAL: Readonly<Record<FootprintKind, string>> = {
  'target-group': 'target groups no load balancer uses',
  'security-group': 'security groups the controllers made',
  'node-rule': 'in-tree node rules',
};

/** What the footprint's decisions need beside the cluster reads. */
export interface FootprintFacts {
  /** Every network load balancer ARN of the inventory. */
  readonly loadBalancerArns: ReadonlySet<string>;
  readonly arnScope: { readonly partition: string; readonly region: string; readonly account: string };
  /** Security group → the load balancers that use it. */
  readonly securityGroupUsers: ReadonlyMap<string, readonly string[]>;
  /** Load balancer name → ARN, every type: the one an in-tree node rule names. */
  readonly loadBalancersByName: ReadonlyMap<string, string>;
  /** The ports attached target groups use, or why they are unknown. */
  readonly portsInUse: readonly PortsInUse[] | Error;
  /** Load balancer ARN → the owner the janitor promised to delete it for (and its cluster), or `held`. */
  readonly promised: ReadonlyMap<string, { readonly cluster: string; readonly owner: Owner } | 'held'>;
}

/** Judges one footprint resource and decides what to do with it, on the tags its item carries. */
export function planFootprintItem(
  judged: JudgedFootprint,
  reads: SweepReads,
  facts: FootprintFacts,
  now: Date,
  settings: Pick<SweepSettings, 'gracePeriodMs' | 'deleteWhenClusterMissing'>,
): FootprintPlan {
  const users = loadBalancersOf(judged, facts);
  const usedBy = users.map((arn): LoadBalancerUser => {
    const promise = facts.promised.get(arn);
    if (promise === 'held') return { arn, state: 'held' };
    // Promised in the resource's own cluster; and for the owner its tags name (a node rule names
    // its load balancer itself, so that load balancer's promise is the rule's whatever its owner).
    const ours =
      promise !== undefined &&
      promise.cluster === footprintCluster(judged.owner) &&
      (judged.owner.kind === 'load-balancer-name' ||
        (judged.owner.kind === 'object' && sameOwner(promise.owner, judged.owner.owner)));
    return { arn, state: ours ? 'promised' : 'kept' };
  });
  const verdict = decideFootprintVerdict(
    {
      owner: judged.owner,
      vpcId: judged.item.vpcId,
      loadBalancerNames: facts.loadBalancersByName,
      usedBy,
      portUsers:
        judged.item.kind === 'node-rule' ? portUsers(judged.item, users, facts.portsInUse) : undefined,
    },
    reads,
  );
  const { tags } = judged.item;
  const action = planFootprint(
    {
      id: judged.item.id,
      kind: judged.item.kind,
      tags,
      verdict,
      loadBalancerArns: facts.loadBalancerArns,
      // A target group's own ARN says its account and region; a security group's ID does not.
      arnScope: arnScopeOf([judged.item.id], facts.arnScope.region, undefined) ?? facts.arnScope,
    },
    now,
    settings,
  );
  // Only a load balancer that stands: a deleted-with tag names one that is gone, and anyone can write it.
  return { item: judged.item, owner: judged.owner, verdict, action, loadBalancerArn: users[0] };
}

/** The other load balancers whose target groups, in the rule's VPC, use a port the rule opens. */
function portUsers(
  item: FootprintItem,
  ownLoadBalancers: readonly string[],
  portsInUse: readonly PortsInUse[] | Error,
): readonly string[] | Error {
  if (portsInUse instanceof Error) return portsInUse;
  const opens = item.ports;
  if (opens === undefined || opens.protocol === 'icmp' || opens.protocol === '1') return [];
  const all = opens.protocol === '-1' || opens.from === -1;
  const users = new Set<string>();
  for (const group of portsInUse) {
    if (group.vpcId !== item.vpcId) continue;
    if (!group.ports.some((port) => all || (port >= opens.from && port <= opens.to))) continue;
    for (const arn of group.loadBalancerArns) if (!ownLoadBalancers.includes(arn)) users.add(arn);
  }
  return [...users];
}

/** The load balancers standing that a resource goes with: a security group's users, a node rule's named one. */
function loadBalancersOf(judged: JudgedFootprint, facts: FootprintFacts): string[] {
  if (judged.item.kind === 'security-group') return [...(facts.securityGroupUsers.get(judged.item.id) ?? [])];
  if (judged.owner.kind === 'load-balancer-name') {
    const arn = facts.loadBalancersByName.get(judged.owner.name);
    return arn === undefined ? [] : [arn];
  }
  return [];
}

/**
 * The partition, region and account of the sweep, for recognising the
 * janitor's own `deleted-with` tags: from any ELBv2 ARN of the inventory
 * (a target group's own ARN carries them too), or the region alone.
 */
export function arnScopeOf(
  arns: Iterable<string>,
  region: string,
  account: string | undefined,
): FootprintFacts['arnScope'] | undefined {
  for (const arn of arns) {
    const [, partition, service, arnRegion, arnAccount] = arn.split(':');
    if (service === 'elasticloadbalancing' && partition && arnRegion && arnAccount) {
      return { partition, region: arnRegion, account: arnAccount };
    }
  }
  return account === undefined ? undefined : { partition: 'aws', region, account };
}
