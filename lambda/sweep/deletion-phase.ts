import { DELETED_WITH_TAG } from '../../contract/tag-keys';
import {
  deleteLoadBalancer,
  type Inspection,
  inspectLoadBalancer,
  sameOwnerTargetGroups,
} from '../actions/load-balancer-deletion';
import { applyTagChanges, elbv2TagWriter } from '../actions/tagging';
import { gateDeletion } from '../decisions/deletion-gate';
import type { Verdict } from '../decisions/verdict';
import { collectEvidence } from '../evidence/collect-evidence';
import type { EvidenceFinding, EvidenceKind, EvidenceSubject } from '../evidence/evidence';
import { describeTags } from '../inventory/describe-tags';
import { ownerKey, readOwnership, sameOwner } from '../ownership/owner';
import type { EntryResult } from '../report/build-report';
import { errorText } from '../util/error-text';
import { breakerUnit, type Plan, planOne } from './plan-sweep';
import type { SweepContext } from './sweep-context';

/**
 * Deletes due load balancers, oldest promise first, within the sweep's one
 * deletion budget. Each one is proven again right before its deletion: its
 * tags read afresh, its cluster read within the last 10 seconds, the whole
 * decision made again on those reads — it must still be due under the same
 * promise — nothing found using it (PrivateLink, VPC links, Global Accelerator,
 * healthy targets, traffic), and its full record logged before DeleteLoadBalancer.
 * Only then does it take a deletion slot: one kept, held or in use takes none.
 */
export async function applyDeletionPhase(
  ctx: SweepContext,
  plans: readonly Plan[],
  /** Evidence of use gathered once for the sweep's candidates (every kind that needs no target groups). */
  evidence: ReadonlyMap<string, ReadonlyMap<EvidenceKind, EvidenceFinding>>,
): Promise<void> {
  const { results } = ctx;
  const due = plans
    .filter((plan) => plan.action.kind === 'delete')
    .sort(
      (a, b) => sinceOf(a).localeCompare(sinceOf(b)) || a.loadBalancer.arn.localeCompare(b.loadBalancer.arn),
    );
  const targetGroupSources = (ctx.deps.evidence ?? []).filter((source) => source.needsTargetGroups);

  for (const plan of due) {
    const { arn } = plan.loadBalancer;
    const refusal = ctx.budget.refusal(plan.owner.cluster, breakerUnit(plan));
    if (refusal !== undefined) {
      defer(results, plan, refusal);
      continue;
    }
    if (ctx.outOfTime()) {
      defer(results, plan, 'the time budget ran out before deleting');
      continue;
    }
    try {
      // Listeners, target groups and deletion protection first; then the target groups' health.
      const inspection = await inspectLoadBalancer(ctx.deps.elbv2, arn);
      if (inspection.kind === 'gone') {
        alreadyGone(results, plan);
        continue;
      }
      const targetGroupEvidence = await collectEvidence(targetGroupSources, [
        { ...evidenceSubject(plan), targetGroupArns: inspection.targetGroups.map((group) => group.arn) },
      ]);
      if (ctx.outOfTime()) {
        defer(results, plan, 'the time budget ran out before deleting');
        continue;
      }
      const found = new Map([...(evidence.get(arn) ?? []), ...(targetGroupEvidence.get(arn) ?? [])]);
      await deleteOne({ plan, inspection }, found, ctx);
    } catch (error) {
      results.set(arn, { outcome: 'failed', detail: errorText(error) });
    }
  }
}

interface Inspected {
  readonly plan: Plan;
  readonly inspection: Extract<Inspection, { kind: 'found' }>;
}

async function deleteOne(
  { plan, inspection }: Inspected,
  evidence: ReadonlyMap<EvidenceKind, EvidenceFinding>,
  ctx: SweepContext,
): Promise<void> {
  const { deps, settings, results } = ctx;
  const { arn } = plan.loadBalancer;
  const planned = plan.action;
  if (planned.kind !== 'delete') return;

  // The tags once more, right before deciding: an ignore tag or a changed owner added meanwhile counts.
  const tags = (await describeTags(deps.elbv2, [arn], 1)).get(arn);
  if (tags === undefined) {
    alreadyGone(results, plan);
    return;
  }
  const ownership = readOwnership('network', tags);
  if (ownership.kind === 'skipped') {
    results.set(arn, { outcome: 'kept', detail: `its tags changed: now skipped (${ownership.reason})` });
    return;
  }
  if (!sameOwner(ownership.owner, plan.owner)) {
    results.set(arn, { outcome: 'kept', detail: 'its owner tags changed' });
    return;
  }

  const reads = await ctx.reads.forDeletion(plan.owner.cluster);
  const fresh = planOne({ ...plan, tags }, reads, deps.clock(), settings);
  const action = fresh.action;
  if (action.kind !== 'delete') {
    results.set(
      arn,
      fresh.verdict.kind === 'UNVERIFIED'
        ? { outcome: 'held', detail: `the read right before deleting failed: ${fresh.verdict.error}` }
        : {
            outcome: 'kept',
            detail: `the reads right before deleting found ${describeChange(fresh.verdict, action.kind)}`,
          },
    );
    return;
  }
  if (
    action.since !== planned.since ||
    action.deletesAt !== planned.deletesAt ||
    action.reason !== planned.reason
  ) {
    results.set(arn, { outcome: 'kept', detail: 'its mark changed since the sweep began' });
    return;
  }
  if (inspection.deletionProtection) {
    results.set(arn, {
      outcome: 'needs-manual-action',
      detail: 'deletion protection is enabled; the janitor never turns it off',
    });
    return;
  }

  const gate = gateDeletion(evidence);
  if (gate.kind === 'in-use') {
    // The mark stays: every sweep checks again, and the first that finds no use deletes it.
    results.set(arn, {
      outcome: 'needs-manual-action',
      detail: `orphaned in Kubernetes, but still in use: ${gate.uses.join('; ')}. It will not be deleted while that lasts`,
    });
    return;
  }
  if (gate.kind === 'unknown') {
    results.set(arn, {
      outcome: 'held',
      detail: `evidence of use could not be read, so it is not deleted: ${gate.errors.join('; ')}`,
    });
    return;
  }
  // Every gate passed: this deletion will be attempted, and only now takes its slot.
  ctx.budget.take(plan.owner.cluster, breakerUnit(plan));
  const notChecked =
    gate.notChecked.length > 0 ? `not checked for use: ${gate.notChecked.join(', ')}` : undefined;

  const targetGroups = sameOwnerTargetGroups(inspection, plan.owner);
  if (settings.dryRun) {
    results.set(arn, {
      outcome: 'deleted',
      detail: notChecked,
      tags,
      deletedTargetGroups: targetGroups,
    });
    return;
  }
  // The record goes to the log before the deletion, so a function killed mid-way loses nothing.
  deps.logger.info('deleting load balancer', {
    arn,
    name: plan.loadBalancer.name,
    dnsName: plan.loadBalancer.dnsName,
    scheme: plan.loadBalancer.scheme,
    vpcId: plan.loadBalancer.vpcId,
    createdAt: plan.loadBalancer.createdAt,
    cluster: plan.owner.cluster,
    owner: ownerKey(plan.owner),
    controller: plan.owner.controller,
    reason: action.reason,
    suspectSince: action.since,
    deletesAt: action.deletesAt,
    announcedAt: action.announcedAt,
    tags,
    listenerTargetGroups: inspection.targetGroups.map((group) => group.arn),
    targetGroupsToDelete: targetGroups,
    evidence: Object.fromEntries(evidence),
  });
  // Should a target group outlast this sweep, the tag lets a later one finish the job.
  const tagFailures = await applyTagChanges(
    elbv2TagWriter(deps.elbv2),
    targetGroups.map((groupArn) => ({ kind: 'add', id: groupArn, tags: { [DELETED_WITH_TAG]: arn } })),
  );
  for (const [groupArn, error] of tagFailures) {
    if (error === 'gone') continue;
    ctx.errors.push(
      `${plan.loadBalancer.name}: target group ${groupArn} could not be tagged ${DELETED_WITH_TAG}: ${error}`,
    );
  }
  const result = await deleteLoadBalancer(deps.elbv2, arn, targetGroups, {
    sleep: deps.sleep,
    targetGroupRetryDelaysMs: ctx.tuning.targetGroupRetryDelaysMs,
    outOfTime: ctx.outOfTime,
  });
  switch (result.kind) {
    case 'deleted':
      ctx.errors.push(...result.targetGroupErrors.map((error) => `${plan.loadBalancer.name}: ${error}`));
      results.set(arn, {
        outcome: 'deleted',
        detail:
          [...result.targetGroupErrors, ...(notChecked === undefined ? [] : [notChecked])].join('; ') ||
          undefined,
        tags,
        deletedTargetGroups: result.targetGroups,
      });
      return;
    case 'already-gone':
      alreadyGone(results, plan);
      return;
    case 'failed':
      results.set(arn, { outcome: 'failed', detail: result.error });
      return;
  }
}

function alreadyGone(results: Map<string, EntryResult>, plan: Plan): void {
  results.set(plan.loadBalancer.arn, {
    outcome: 'already-gone',
    detail: 'deleted by someone else before the janitor',
  });
}

/** What an evidence source needs to know of a load balancer, before its target groups are known. */
export function evidenceSubject(plan: Plan): EvidenceSubject {
  const { arn, name, dnsName } = plan.loadBalancer;
  return { arn, name, dnsName, targetGroupArns: [] };
}

function defer(results: Map<string, EntryResult>, plan: Plan, detail: string): void {
  results.set(plan.loadBalancer.arn, { outcome: 'deferred', detail });
}

function sinceOf(plan: Plan): string {
  return plan.action.kind === 'delete' ? plan.action.since : '';
}

function describeChange(verdict: Verdict, action: string): string {
  switch (verdict.kind) {
    case 'OWNED':
      return 'its Service again';
    case 'FOREIGN':
      return `that it is not its cluster's: ${verdict.detail}`;
    case 'ORPHAN':
    case 'CLUSTER_NOT_FOUND':
      return `it no longer due (${action}: ${verdict.kind === 'ORPHAN' ? verdict.reason : 'CLUSTER_NOT_FOUND'})`;
    case 'UNVERIFIED':
      return `nothing certain (${verdict.error})`;
  }
}
