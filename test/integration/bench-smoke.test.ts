import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildWorld, measureSweep } from '../../scripts/bench/benchmark';
import { describeWithWorld } from '../support/test-world';

// The benchmark's smallest world, as a smoke test: the real CLI's calls are exactly
// the minimum for the size. Times are not checked here (see docs/performance.md).

describeWithWorld('benchmark smoke (500 NLBs, 5,000 Services, 5 clusters)', (world) => {
  it('a dry run and a marking sweep use exactly the minimum AWS calls and Kubernetes requests', async () => {
    const size = await buildWorld(world(), 500);
    for (const dryRun of [true, false]) {
      const m = await measureSweep(world(), size, dryRun);
      assert.deepEqual(m.awsCalls, m.awsMinimum, `${m.kind}: AWS calls`);
      assert.equal(m.kubernetesRequests, m.kubernetesMinimum, `${m.kind}: Kubernetes requests`);
      assert.equal(m.report.counts.marked, size.orphans);
      assert.ok(m.maxRssMb < 200, `${m.kind}: peak RSS ${m.maxRssMb} MB`);
    }
  });
});
