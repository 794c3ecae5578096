import type { EntryResult } from '../report/build-report';
import type { ClusterReads } from './cluster-reads';
import type { DeletionBudget } from './deletion-budget';
import type { SweepDependencies } from './sweep-dependencies';
import type { SweepSettings, SweepTuning } from './sweep-settings';

/**
 * What one sweep's phases share, and the only mutable state they share: the
 * cluster reads, the result book, the deletion budget and the error list. Every
 * phase takes it; none keeps a copy of any part of it.
 */
export interface SweepContext {
  readonly settings: SweepSettings;
  readonly tuning: SweepTuning;
  readonly deps: SweepDependencies;
  /** The one "now" every plan and every tag-phase confirmation decides on. */
  readonly plannedAt: Date;
  readonly reads: ClusterReads;
  /** One result per resource ID (a load balancer's ARN, a footprint resource's ID), written by the step that acts. */
  readonly results: Map<string, EntryResult>;
  readonly budget: DeletionBudget;
  /** Errors beside the entries, for the report. */
  readonly errors: string[];
  /** Whether too little of the time budget remains to start a mutation. */
  readonly outOfTime: () => boolean;
}
