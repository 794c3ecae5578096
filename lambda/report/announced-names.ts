import { namedAs } from './cluster-missing-opt-in';
import type { SweepReport } from './sweep-report';

/**
 * Every resource a report names with a deletion date, by ID, with that date:
 * what a person who read the whole report (the CLI's printed table or JSON, which
 * list every entry) was told. A published email names only what it had room for
 * (composeNotification's `named`).
 */
export function namedInReport(report: Pick<SweepReport, 'loadBalancers' | 'footprint'>): Map<string, string> {
  const named = new Map<string, string>();
  for (const entry of report.loadBalancers) {
    const as = namedAs(entry);
    if (as !== undefined) named.set(entry.arn, as);
  }
  for (const entry of report.footprint) {
    const as = namedAs(entry);
    if (as !== undefined) named.set(entry.id, as);
  }
  return named;
}
