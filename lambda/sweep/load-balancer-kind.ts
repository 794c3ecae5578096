import { DELETED_WITH_TAG } from '../../contract/tag-keys';
import {
  deleteLoadBalancer,
  type Inspection,
  inspectLoadBalancer,
  sameOwnerTargetGroups,
} from '../actions/load-balancer-deletion';
import { applyTagChanges, elbv2TagWriter } from '../actions/tagging';
import { gateDeletion } from '../decisions/deletion-gate';
import { collectEvidence } from '../evidence/collect-evidence';
import type { EvidenceFinding, EvidenceKind, EvidenceSubject } from '../evidence/evidence';
import { describeTags } from '../inventory/describe-tags';
import { ownerKey, readOwnership, sameOwner } from '../ownership/owner';
import { breakerUnit, type Plan, planOne } from './plan-sweep';
import type { ResourceKind } from './resource-kind';

/** What evidence of use found for one load balancer, by source. */
export type Evidence = ReadonlyMap<EvidenceKind, EvidenceFinding>;

/** A load balancer looked at right before its deletion: listeners, target groups, deletion protection. */
type Found = Extract<Inspection, { kind: 'found' }>;

/**
 * The network load balancer as a resource kind: owned by a Service, Ingress or
 * Gateway through its ELBv2 tags; in use by what the evidence sources find
 * (PrivateLink, VPC links, Global Accelerator, healthy targets, traffic); deleted
 * with the target groups of the same owner its listeners forward to, never with
 * deletion protection turned off.
 */
export const LOAD_BALANCER_KIND: ResourceKind<Plan, Evidence, Found> = {
  name: 'load balancer',
  id: (plan) => plan.loadBalancer.arn,
  cluster: (plan) => plan.owner.cluster,
  unit: breakerUnit,
  tags: (plan) => plan.tags,
  writer: (deps) => elbv2TagWriter(deps.elbv2),
  reread: async (ctx, plans) => {
    const tags = await describeTags(
      ctx.deps.elbv2,
      plans.map((plan) => plan.loadBalancer.arn),
      ctx.tuning.describeConcurrency,
    );
    const fresh = new Map<string, Plan>();
    for (const plan of plans) {
      const now = tags.get(plan.loadBalancer.arn);
      if (now !== undefined) fresh.set(plan.loadBalancer.arn, { ...plan, tags: now });
    }
    return fresh;
  },
  owner: (fresh, planned) => {
    const ownership = readOwnership(planned.loadBalancer.type, fresh.tags);
    if (ownership.kind === 'skipped') return { kind: 'skipped', reason: ownership.reason };
    if (!sameOwner(ownership.owner, planned.owner)) return { kind: 'other' };
    return { kind: 'same', fresh: { ...fresh, owner: ownership.owner } };
  },
  decide: async (ctx, fresh, reads, now) => planOne(fresh, reads, now, ctx.settings),
  // Sources that need no target groups, for every candidate at once; target health comes with the inspection.
  readUses: (ctx, plans) =>
    collectEvidence(
      (ctx.deps.evidence ?? []).filter((source) => !source.needsTargetGroups),
      plans.map(evidenceSubject),
    ),
  gate: (evidence) => gateDeletion(evidence ?? new Map()),
  inspect: async (ctx, plan) => {
    const inspection = await inspectLoadBalancer(ctx.deps.elbv2, plan.loadBalancer.arn);
    return inspection.kind === 'gone' ? 'gone' : inspection;
  },
  blocker: (inspection) =>
    inspection.deletionProtection
      ? {
          outcome: 'needs-manual-action',
          detail: 'deletion protection is enabled; the janitor never turns it off',
        }
      : undefined,
  // The batch's findings, with the target groups' health read now that the listeners are known.
  usesForDeletion: async (ctx, plan, batch, inspection) => {
    const { arn } = plan.loadBalancer;
    const targetGroups = await collectEvidence(
      (ctx.deps.evidence ?? []).filter((source) => source.needsTargetGroups),
      [{ ...evidenceSubject(plan), targetGroupArns: inspection.targetGroups.map((group) => group.arn) }],
    );
    return new Map([...(batch ?? []), ...(targetGroups.get(arn) ?? [])]);
  },
  record: (fresh, inspection, evidence) => ({
    message: 'deleting load balancer',
    fields: {
      arn: fresh.loadBalancer.arn,
      name: fresh.loadBalancer.name,
      dnsName: fresh.loadBalancer.dnsName,
      scheme: fresh.loadBalancer.scheme,
      vpcId: fresh.loadBalancer.vpcId,
      createdAt: fresh.loadBalancer.createdAt,
      cluster: fresh.owner.cluster,
      owner: ownerKey(fresh.owner),
      controller: fresh.owner.controller,
      reason: fresh.action.kind === 'delete' ? fresh.action.reason : undefined,
      suspectSince: fresh.action.kind === 'delete' ? fresh.action.since : undefined,
      deletesAt: fresh.action.kind === 'delete' ? fresh.action.deletesAt : undefined,
      announcedAt: fresh.action.kind === 'delete' ? fresh.action.announcedAt : undefined,
      tags: fresh.tags,
      listenerTargetGroups: inspection.targetGroups.map((group) => group.arn),
      targetGroupsToDelete: sameOwnerTargetGroups(inspection, fresh.owner),
      evidence: Object.fromEntries(evidence),
    },
  }),
  dryRun: (fresh, inspection, notChecked) => ({
    outcome: 'deleted',
    detail: notChecked,
    tags: fresh.tags,
    deletedTargetGroups: sameOwnerTargetGroups(inspection, fresh.owner),
  }),
  remove: async (ctx, fresh, inspection, _evidence, notChecked) => {
    const { arn, name } = fresh.loadBalancer;
    const targetGroups = sameOwnerTargetGroups(inspection, fresh.owner);
    // Should a target group outlast this sweep, the tag lets a later one finish the job.
    const tagFailures = await applyTagChanges(
      elbv2TagWriter(ctx.deps.elbv2),
      targetGroups.map((groupArn) => ({ kind: 'add', id: groupArn, tags: { [DELETED_WITH_TAG]: arn } })),
    );
    for (const [groupArn, error] of tagFailures) {
      if (error === 'gone') continue;
      ctx.errors.push(`${name}: target group ${groupArn} could not be tagged ${DELETED_WITH_TAG}: ${error}`);
    }
    const result = await deleteLoadBalancer(ctx.deps.elbv2, arn, targetGroups, {
      sleep: ctx.deps.sleep,
      targetGroupRetryDelaysMs: ctx.tuning.targetGroupRetryDelaysMs,
      outOfTime: ctx.outOfTime,
    });
    switch (result.kind) {
      case 'deleted':
        ctx.errors.push(...result.targetGroupErrors.map((error) => `${name}: ${error}`));
        return {
          outcome: 'deleted',
          detail:
            [...result.targetGroupErrors, ...(notChecked === undefined ? [] : [notChecked])].join('; ') ||
            undefined,
          tags: fresh.tags,
          deletedTargetGroups: result.targetGroups,
        };
      case 'already-gone':
        return { outcome: 'already-gone', detail: 'deleted by someone else before the janitor' };
      case 'failed':
        return { outcome: 'failed', detail: result.error };
    }
  },
};

/** What an evidence source needs to know of a load balancer, before its target groups are known. */
export function evidenceSubject(plan: Plan): EvidenceSubject {
  const { arn, name, dnsName } = plan.loadBalancer;
  return { arn, name, dnsName, targetGroupArns: [] };
}
