/**
 * What the organization's stacks write into their templates and the runtime reads:
 * the fleet's event, its table's attributes and its metrics, and the key of each
 * janitor's own memory table. One definition each, for lib/ and lambda/.
 */

/** The partition key of a janitor's own memory table (lib/janitor-memory.ts, lambda/memory/table-memory.ts). */
export const MEMORY_KEY_ATTRIBUTE = 'pk';

/** The fleet digest's contract (lib/organization/fleet-digest.ts, lambda/fleet/). */
export const FLEET_CONTRACT = {
  summarySource: 'nlb-janitor',
  summaryDetailType: 'nlb-janitor sweep summary',
  keyAttribute: 'pk',
  expiryAttribute: 'expiresAt',
  metricsNamespace: 'NlbJanitorFleet',
  silentMetric: 'SilentMembers',
} as const;
