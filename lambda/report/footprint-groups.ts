import type { FootprintEntry, LoadBalancerEntry } from './sweep-report';

/**
 * The footprint grouped under the load balancers the report lists (by ARN, or
 * an in-tree load balancer's name); what belongs to none of them stands alone.
 */
export function groupFootprint(
  loadBalancers: readonly LoadBalancerEntry[],
  footprint: readonly FootprintEntry[],
): { readonly under: ReadonlyMap<string, FootprintEntry[]>; readonly alone: FootprintEntry[] } {
  const listed = new Map<string, string>();
  for (const entry of loadBalancers) {
    listed.set(entry.arn, entry.arn);
    listed.set(entry.name, entry.arn);
  }
  const under = new Map<string, FootprintEntry[]>();
  const alone: FootprintEntry[] = [];
  for (const entry of footprint) {
    const arn = entry.loadBalancer === undefined ? undefined : listed.get(entry.loadBalancer);
    if (arn === undefined) alone.push(entry);
    else under.set(arn, [...(under.get(arn) ?? []), entry]);
  }
  return { under, alone };
}

/** `security group k8s-shop-web-1a2b3c (sg-…): marked, deletes at …`: one footprint resource on one line. */
export function describeFootprint(entry: FootprintEntry): string {
  const outcome = entry.dryRun ? `would be ${entry.outcome}` : entry.outcome;
  const when =
    entry.deletesAt !== undefined && entry.outcome !== 'deleted'
      ? `, deletes at ${entry.deletesAt}${entry.reminder ? ' (within 24 hours, unless stopped)' : ''}`
      : '';
  const name = entry.name === entry.id ? entry.id : `${entry.name} (${entry.id})`;
  return `${entry.kind.replace('-', ' ')} ${name}: ${outcome}${when}${entry.detail ? ` — ${entry.detail}` : ''}`;
}
