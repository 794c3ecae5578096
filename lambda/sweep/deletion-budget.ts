import type { SweepSettings } from './sweep-settings';

/**
 * The sweep's one allowance of deletions, shared by every kind: at most
 * `maxDeletions` units (breakerUnit: a load balancer with its footprint is one)
 * in the sweep, `maxDeletionsPerCluster` in a cluster. A unit is counted only
 * when a deletion of it is about to be attempted, after every gate: a resource
 * kept, held or still in use costs nothing, so it cannot keep a free one waiting.
 */
export class DeletionBudget {
  private readonly taken = new Map<string, Set<string>>();

  constructor(private readonly limits: Pick<SweepSettings, 'maxDeletions' | 'maxDeletionsPerCluster'>) {}

  /** Why a deletion of `unit` in `cluster` may not start now; undefined when it may. Takes nothing. */
  refusal(cluster: string, unit: string): string | undefined {
    const ofCluster = this.taken.get(cluster);
    if (ofCluster?.has(unit)) return undefined;
    if (this.total() >= this.limits.maxDeletions) {
      return `at most ${this.limits.maxDeletions} deletions per sweep; left for the next sweep`;
    }
    if ((ofCluster?.size ?? 0) >= this.limits.maxDeletionsPerCluster) {
      return `at most ${this.limits.maxDeletionsPerCluster} deletions per cluster and sweep; left for the next sweep`;
    }
    return undefined;
  }

  /** Counts a deletion about to be attempted; a unit already counted costs nothing more. */
  take(cluster: string, unit: string): void {
    const ofCluster = this.taken.get(cluster) ?? new Set<string>();
    ofCluster.add(unit);
    this.taken.set(cluster, ofCluster);
  }

  private total(): number {
    let total = 0;
    for (const units of this.taken.values()) total += units.size;
    return total;
  }
}
