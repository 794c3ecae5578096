import assert from 'node:assert/strict';
import { it } from 'node:test';
import { composeChatMessage } from '../../lambda/report/chat-message';
import { composeNotification } from '../../lambda/report/notification';
import { renderTable } from '../../lambda/report/render-table';
import type { SweepReport } from '../../lambda/report/sweep-report';
import { describeWithWorld, type TestWorld } from '../support/test-world';

// A load balancer whose cluster EKS does not know is marked and reported, and deleted
// only with deleteWhenClusterMissing (--delete-when-cluster-missing). Without the
// opt-in, no report may give it a deletion date: not the table, the JSON, the email
// or the chat message, in the sweep that marks it nor in the ones after.

async function ghost(w: TestWorld) {
  return w.createNlb({
    name: 'k8s-pay-ghost',
    cluster: 'old-prod',
    service: 'payments/gateway',
    listeners: 0,
  });
}

function entryOf(report: SweepReport, name: string) {
  const entry = report.loadBalancers.find((lb) => lb.name === name);
  assert.ok(entry, `${name} is in the report`);
  return entry;
}

describeWithWorld('a load balancer of a cluster EKS does not know', (world) => {
  it('without the opt-in is reported as waiting for it, with no deletion date, when marked and after', async () => {
    const w = world();
    const lb = await ghost(w);

    const first = await w.sweep();
    const second = await w.sweep();

    assert.ok((await w.tagsOf(lb.arn))['nlb-janitor/suspect-since'], 'it is marked');
    for (const [report, outcome] of [
      [first, 'marked'],
      [second, 'pending'],
    ] as const) {
      const entry = entryOf(report, 'k8s-pay-ghost');
      assert.equal(entry.outcome, outcome);
      assert.equal(entry.reason, 'CLUSTER_NOT_FOUND');
      assert.equal(entry.deletesAt, undefined, `${outcome}: no date in the JSON`);
      assert.match(entry.detail ?? '', /needs --delete-when-cluster-missing/);
      assert.equal(report.estimatedMonthlyPendingUsd, 0, 'not counted as pending deletion');
      assert.match(
        renderTable(report),
        /^\S+\s+k8s-pay-ghost\s+old-prod\s+payments\/gateway\s+CLUSTER_NOT_FOUND\s+needs opt-in$/m,
      );
    }

    const email = composeNotification(first).message;
    assert.doesNotMatch(email, /WILL BE DELETED AT/, 'no deletion date in the email');
    assert.doesNotMatch(email, /NEWLY MARKED AS ORPHANED: WILL BE DELETED/);
    assert.match(
      email,
      /MARKED, NOT DELETED WITHOUT --delete-when-cluster-missing: EKS DOES NOT KNOW THEIR CLUSTER \(1\)\n\* k8s-pay-ghost/,
    );
    assert.deepEqual(first.notice.news, [
      'k8s-pay-ghost is newly marked as orphaned: it will not be deleted unless --delete-when-cluster-missing is set (EKS does not know its cluster)',
    ]);
    assert.doesNotMatch(composeChatMessage(first).content.description, /deleted at/);
  });

  it('with the opt-in is promised a deletion date, as any orphan is', async () => {
    const w = world();
    await ghost(w);

    const report = await w.sweep({ deleteWhenClusterMissing: true });

    const entry = entryOf(report, 'k8s-pay-ghost');
    assert.equal(entry.outcome, 'marked');
    assert.match(entry.deletesAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const email = composeNotification(report).message;
    assert.match(
      email,
      /NEWLY MARKED AS ORPHANED: WILL BE DELETED AT THE TIME GIVEN \(1\)\n\* k8s-pay-ghost/,
    );
    assert.match(email, new RegExp(`WILL BE DELETED AT: ${entry.deletesAt}`));
  });
});
