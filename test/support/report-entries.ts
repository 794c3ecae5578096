import assert from 'node:assert/strict';
import type { LoadBalancerEntry, SweepReport } from '../../lambda/report/sweep-report';

/** The report's entry for the load balancer called `name`; fails the test, listing the names, when there is none. */
export function entry(report: SweepReport, name: string): LoadBalancerEntry {
  const found = report.loadBalancers.find((lb) => lb.name === name);
  assert.ok(
    found,
    `no report entry for ${name}: ${JSON.stringify(report.loadBalancers.map((lb) => lb.name))}`,
  );
  return found;
}
