import type { SweepReads } from '../decisions/verdict';
import type { ClusterReadResult } from '../kubernetes/cluster-reader';
import { mapWithConcurrency } from '../util/concurrency';
import { toSweepReads } from './plan-sweep';

/** No deletion is decided on a cluster read older than this; the cluster is read again. */
export const FRESH_READ_MAX_AGE_MS = 10_000;

/**
 * The sweep's cluster reads, one store for every phase and kind: a read made for
 * one deletion replaces the cluster's entry, and every later decision — of any
 * kind — sees it. No phase keeps a copy: a copy is how a footprint deletion once
 * decided on a read the load balancers' phase had already replaced.
 */
export class ClusterReads {
  private readonly byName = new Map<string, ClusterReadResult>();
  private view: SweepReads | undefined;

  constructor(
    private readonly readCluster: (name: string) => Promise<ClusterReadResult>,
    private readonly clock: () => Date,
  ) {}

  /** Reads every named cluster, `concurrency` at a time. */
  async readAll(names: readonly string[], concurrency: number): Promise<void> {
    await mapWithConcurrency(names, concurrency, async (name) => {
      this.set(name, await this.readCluster(name));
    });
  }

  /** The latest read of every cluster, as the decisions see them. */
  current(): SweepReads {
    this.view ??= toSweepReads(this.byName);
    return this.view;
  }

  /** The latest read of one cluster, for the report. */
  result(name: string): ClusterReadResult | undefined {
    return this.byName.get(name);
  }

  /**
   * The reads a deletion in `cluster` decides on: that cluster's read no older
   * than FRESH_READ_MAX_AGE_MS by the sweep's clock (read again if it is, or if
   * it was not complete), every other cluster's latest.
   */
  async forDeletion(cluster: string): Promise<SweepReads> {
    const latest = this.byName.get(cluster)?.read;
    const age = latest?.kind === 'complete' ? this.clock().getTime() - latest.readAt.getTime() : Infinity;
    if (age > FRESH_READ_MAX_AGE_MS) this.set(cluster, await this.readCluster(cluster));
    return this.current();
  }

  /** Every cluster's latest read, by name. */
  all(): ReadonlyMap<string, ClusterReadResult> {
    return this.byName;
  }

  /** The names of the clusters read, sorted, for the report. */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Adds reads made elsewhere (a self-managed cluster's unread read, under its own key). */
  addUnread(entries: ReadonlyMap<string, ClusterReadResult>): void {
    for (const [name, result] of entries) this.set(name, result);
  }

  private set(name: string, result: ClusterReadResult): void {
    this.byName.set(name, result);
    this.view = undefined;
  }
}
