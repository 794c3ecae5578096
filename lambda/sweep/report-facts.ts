import { gateDeletion } from '../decisions/deletion-gate';
import type { SweepReads } from '../decisions/verdict';
import type { Elbv2Usage } from '../inventory/elbv2-pacing';
import type { TagSource } from '../inventory/load-balancer-inventory';
import {
  describeGateway,
  gatewayFromLabels,
  gatewayFromServiceName,
} from '../ownership/gateway-behind-service';
import { ownerKey } from '../ownership/owner';
import type { ApiUsage, GatewayGoneEntry } from '../report/sweep-report';
import { ANNOUNCING_ACTIONS } from './action-kinds';
import type { Evidence } from './load-balancer-kind';
import type { Plan } from './plan-sweep';
import type { SweepDependencies } from './sweep-dependencies';

// What the report says beside the entries, read off the sweep's plans and reads: it decides nothing.

/**
 * For load balancers whose owner is a Service a Gateway implementation made, the
 * Gateway: from the live Service's labels, or from the name of a Service that is
 * gone (verified, never guessed). Report only: it decides nothing.
 */
export function gatewaysBehindServices(plans: readonly Plan[], reads: SweepReads): Map<string, string> {
  const gateways = new Map<string, string>();
  for (const plan of plans) {
    const { owner } = plan;
    if (owner.kind !== 'Service' || owner.namespace === undefined || plan.action.kind === 'keep') continue;
    const read = reads.byCluster.get(owner.cluster);
    const live = read?.kind === 'complete' ? read.services.get(ownerKey(owner)) : undefined;
    const gateway =
      live !== undefined
        ? gatewayFromLabels(owner.namespace, live.labels)
        : gatewayFromServiceName(owner.namespace, owner.name);
    if (gateway !== undefined) gateways.set(plan.loadBalancer.arn, describeGateway(gateway));
  }
  return gateways;
}

/**
 * Services a Gateway implementation made whose Gateway is gone (Envoy Gateway makes
 * the GatewayClass their owner, so they outlive a Gateway deleted while the
 * controller was down). Report only: the janitor never deletes an NLB whose Service exists.
 */
export function servicesWithoutTheirGateway(reads: SweepReads): GatewayGoneEntry[] {
  const gone: GatewayGoneEntry[] = [];
  for (const [cluster, read] of reads.byCluster) {
    if (read.kind !== 'complete' || read.gateways?.kind !== 'complete') continue;
    for (const service of read.services.values()) {
      const made = gatewayFromLabels(service.namespace, service.labels);
      if (made?.gateway === undefined || read.gateways.items.has(made.gateway)) continue;
      gone.push({
        cluster,
        service: `${service.namespace}/${service.name}`,
        gateway: made.gateway,
        detail: `${describeGateway(made)}, which no longer exists; its Service (and load balancer) remain`,
      });
    }
  }
  return gone;
}

/** What evidence of use says of each newly promised load balancer, for its report entry. */
export function evidenceNotes(
  plans: readonly Plan[],
  evidence: ReadonlyMap<string, Evidence>,
): Map<string, string> {
  const notes = new Map<string, string>();
  for (const plan of plans) {
    if (!ANNOUNCING_ACTIONS.has(plan.action.kind)) continue;
    const gate = gateDeletion(evidence.get(plan.loadBalancer.arn) ?? new Map());
    if (gate.kind === 'in-use') {
      notes.set(
        plan.loadBalancer.arn,
        `orphaned in Kubernetes, but ${gate.uses.join('; ')}: it will not be deleted while that lasts`,
      );
    } else if (gate.kind === 'unknown') {
      notes.set(plan.loadBalancer.arn, `evidence of use could not be read yet: ${gate.errors.join('; ')}`);
    }
  }
  return notes;
}

/** This sweep's share of the paced client's counters, and where the tags came from. */
export function apiUsage(
  tagSource: TagSource,
  atStart: Elbv2Usage | undefined,
  deps: SweepDependencies,
): ApiUsage {
  const now = deps.elbv2Usage?.();
  return {
    tagSource: tagSource.kind,
    tagSourceDetail: tagSource.kind === 'describe-tags' ? tagSource.reason : undefined,
    taggingApiCalls: tagSource.kind === 'tagging-api' ? tagSource.calls : 0,
    elbv2DescribeCalls: now === undefined ? undefined : now.describeCalls - (atStart?.describeCalls ?? 0),
    elbv2Throttled: now === undefined ? undefined : now.throttled - (atStart?.throttled ?? 0),
    elbv2PacingWaitMs: now === undefined ? undefined : now.waitedMs - (atStart?.waitedMs ?? 0),
  };
}
