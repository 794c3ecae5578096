import type { FootprintAction } from '../decisions/footprint-plan';

// The sets of lifecycle actions the phases select by, one definition each, for
// every kind (a load balancer's actions are a subset of the footprint's).

type ActionKind = FootprintAction['kind'];

/** Actions that promise or carry out a deletion: what the circuit breaker counts, and uses are read for. */
export { DESTRUCTIVE_ACTIONS } from '../decisions/circuit-breaker';

/** Actions the delete step carries out. */
export const DELETING_ACTIONS: ReadonlySet<ActionKind> = new Set(['delete', 'finish']);

/** Actions whose promise a delivered report carries for the first time: `announced-at` is recorded on them. */
export const ANNOUNCING_ACTIONS: ReadonlySet<ActionKind> = new Set(['mark', 'announce']);

/** A load balancer's actions that keep a promise standing: its footprint goes with it under that promise. */
export const PROMISING_ACTIONS: ReadonlySet<ActionKind> = new Set(['mark', 'announce', 'wait', 'delete']);
