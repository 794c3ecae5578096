import type { ClusterEntry } from './sweep-report';

/**
 * The most units of one tripped breaker an email lists: a misread cluster of a
 * thousand load balancers trips it with a thousand, and the email must stay far
 * under SNS's 256 KiB; the JSON report (the CLI's, the function's log) lists all.
 */
export const MAX_EMAILED_BREAKER_UNITS = 50;

/**
 * What a tripped circuit breaker counted, one line each: kind, name and ID,
 * owner, what the sweep would have done, and every tag — the tags say who made
 * it look like the cluster's. Empty when the breaker did not trip.
 */
export function describeBreakerUnits(cluster: ClusterEntry, limit = Number.POSITIVE_INFINITY): string[] {
  const units = cluster.breakerUnits ?? [];
  if (units.length === 0) return [];
  const lines = [`circuit breaker of cluster ${cluster.name} counted these ${units.length} changes:`];
  for (const unit of units.slice(0, limit)) {
    const name = unit.name === unit.id ? unit.id : `${unit.name} (${unit.id})`;
    const tags = Object.entries(unit.tags)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    lines.push(
      `  ${unit.kind.replace('-', ' ')} ${name}: made for ${unit.owner}; would ${unit.action}; tags ${tags}`,
    );
  }
  if (units.length > limit) lines.push(`  and ${units.length - limit} more, listed in the JSON report`);
  return lines;
}
