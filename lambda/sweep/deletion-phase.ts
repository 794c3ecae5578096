import { DELETED_WITH_TAG } from '../../contract/tag-keys';
import {
  deleteLoadBalancer,
  type Inspection,
  inspectLoadBalancer,
  sameOwnerTargetGroups,
} from '../actions/load-balancer-deletion';
import { applyTagChanges, elbv2TagWriter } from '../actions/tagging';
import { gateDeletion } from '../decisions/deletion-gate';
import type { SweepReads, Verdict } from '../decisions/verdict';
import { collectEvidence } from '../evidence/collect-evidence';
import type { EvidenceFinding, EvidenceKind, EvidenceSubject } from '../evidence/evidence';
import { describeTags } from '../inventory/describe-tags';
import type { ClusterReadResult } from '../kubernetes/cluster-reader';
import { ownerKey, readOwnership, sameOwner } from '../ownership/owner';
import type { EntryResult } from '../report/build-report';
import { errorText } from '../util/error-text';
import { type Plan, planOne, toSweepReads } from './plan-sweep';
import type { SweepDependencies } from './sweep-dependencies';
import type { SweepSettings, SweepTuning } from './sweep-settings';

/** No deletion is decided on a cluster read older than this; the cluster is read again. */
export const FRESH_READ_MAX_AGE_MS = 10_000;

export interface DeletionPhaseInput {
  readonly plans: readonly Plan[];
  /** The sweep's cluster reads; fresh reads replace entries as they are made. */
  readonly reads: Map<string, ClusterReadResult>;
  /** What the decisions read of them; rebuilt only when a cluster is read again. */
  sweepReads: SweepReads;
  /** Evidence of use gathered once for the sweep's candidates (every kind that needs no target groups). */
  readonly evidence: ReadonlyMap<string, ReadonlyMap<EvidenceKind, EvidenceFinding>>;
  readonly settings: SweepSettings;
  readonly tuning: SweepTuning;
  readonly deps: SweepDependencies;
  readonly readCluster: (name: string) => Promise<ClusterReadResult>;
  readonly outOfTime: () => boolean;
  readonly results: Map<string, EntryResult>;
  readonly errors: string[];
}

/**
 * Deletes due load balancers, oldest promise first, within the per-sweep and
 * per-cluster limits. Each one is proven again right before its deletion: its
 * tags read afresh, its cluster read within the last 10 seconds, the whole
 * decision made again on those reads — it must still be due under the same
 * promise — nothing found using it (PrivateLink, VPC links, Global Accelerator,
 * healthy targets, traffic), and its full record logged before DeleteLoadBalancer.
 */
export async function applyDeletionPhase(input: DeletionPhaseInput): Promise<void> {
  const { plans, settings, results } = input;
  const due = plans
    .filter((plan) => plan.action.kind === 'delete')
    .sort(
      (a, b) => sinceOf(a).localeCompare(sinceOf(b)) || a.loadBalancer.arn.localeCompare(b.loadBalancer.arn),
    );

  const perCluster = new Map<string, number>();
  const attempted: Plan[] = [];
  for (const plan of due) {
    const ofCluster = perCluster.get(plan.owner.cluster) ?? 0;
    if (attempted.length >= settings.maxDeletions) {
      defer(results, plan, `at most ${settings.maxDeletions} deletions per sweep; left for the next sweep`);
    } else if (ofCluster >= settings.maxDeletionsPerCluster) {
      defer(
        results,
        plan,
        `at most ${settings.maxDeletionsPerCluster} deletions per cluster and sweep; left for the next sweep`,
      );
    } else {
      perCluster.set(plan.owner.cluster, ofCluster + 1);
      attempted.push(plan);
    }
  }

  // Listeners, target groups and deletion protection of every candidate first, so that the
  // target groups' health is read in one batch; then each is decided and deleted in turn.
  const inspected: Inspected[] = [];
  for (const plan of attempted) {
    if (input.outOfTime()) {
      defer(results, plan, 'the time budget ran out before deleting');
      continue;
    }
    try {
      const inspection = await inspectLoadBalancer(input.deps.elbv2, plan.loadBalancer.arn);
      if (inspection.kind === 'gone') alreadyGone(results, plan);
      else inspected.push({ plan, inspection });
    } catch (error) {
      results.set(plan.loadBalancer.arn, { outcome: 'failed', detail: errorText(error) });
    }
  }
  const targetGroupEvidence = await collectEvidence(
    (input.deps.evidence ?? []).filter((source) => source.needsTargetGroups),
    inspected.map(({ plan, inspection }) => ({
      ...evidenceSubject(plan),
      targetGroupArns: inspection.targetGroups.map((group) => group.arn),
    })),
  );

  for (const candidate of inspected) {
    const { arn } = candidate.plan.loadBalancer;
    if (input.outOfTime()) {
      defer(results, candidate.plan, 'the time budget ran out before deleting');
      continue;
    }
    const evidence = new Map([...(input.evidence.get(arn) ?? []), ...(targetGroupEvidence.get(arn) ?? [])]);
    try {
      await deleteOne(candidate, evidence, input);
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
  input: DeletionPhaseInput,
): Promise<void> {
  const { deps, settings, results } = input;
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

  const reads = await freshReads(plan.owner.cluster, input);
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
    input.errors.push(
      `${plan.loadBalancer.name}: target group ${groupArn} could not be tagged ${DELETED_WITH_TAG}: ${error}`,
    );
  }
  const result = await deleteLoadBalancer(deps.elbv2, arn, targetGroups, {
    sleep: deps.sleep,
    targetGroupRetryDelaysMs: input.tuning.targetGroupRetryDelaysMs,
    outOfTime: input.outOfTime,
  });
  switch (result.kind) {
    case 'deleted':
      input.errors.push(...result.targetGroupErrors.map((error) => `${plan.loadBalancer.name}: ${error}`));
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

/** What a phase that deletes holds of the sweep's cluster reads. */
export interface ClusterReadsHolder {
  readonly reads: Map<string, ClusterReadResult>;
  sweepReads: SweepReads;
  readonly readCluster: (name: string) => Promise<ClusterReadResult>;
  readonly deps: Pick<SweepDependencies, 'clock'>;
}

/** The sweep's reads with the owner cluster's read no older than FRESH_READ_MAX_AGE_MS. */
export async function freshReads(cluster: string, input: ClusterReadsHolder): Promise<SweepReads> {
  const current = input.reads.get(cluster)?.read;
  const age =
    current?.kind === 'complete' ? input.deps.clock().getTime() - current.readAt.getTime() : Infinity;
  if (age > FRESH_READ_MAX_AGE_MS) {
    input.reads.set(cluster, await input.readCluster(cluster));
    input.sweepReads = toSweepReads(input.reads);
  }
  return input.sweepReads;
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
