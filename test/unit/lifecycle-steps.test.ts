import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TagWriter } from '../../lambda/actions/tagging';
import type { FootprintAction, FootprintGate } from '../../lambda/decisions/footprint-plan';
import type { Verdict } from '../../lambda/decisions/verdict';
import type { ClusterRead } from '../../lambda/kubernetes/cluster-read';
import type { ClusterReadResult } from '../../lambda/kubernetes/cluster-reader';
import { deleteStep } from '../../lambda/sweep/lifecycle-delete';
import { tagStep } from '../../lambda/sweep/lifecycle-tag';
import { readCandidateUses } from '../../lambda/sweep/lifecycle-uses';
import { type KindRun, kindRun, type ResourceKind } from '../../lambda/sweep/resource-kind';
import type { SweepContext } from '../../lambda/sweep/sweep-context';
import type { SweepSettings } from '../../lambda/sweep/sweep-settings';
import { type TestContext, testContext } from '../support/sweep-context';

// The lifecycle's steps against a fake kind whose resources live in memory (as
// Powertools tests its idempotency lifecycle against an in-memory persistence
// layer): what each step asks of a kind, in which order, and what it concludes.

const NOW = new Date('2026-11-24T18:00:00Z');
const DUE: FootprintAction = {
  kind: 'delete',
  reason: 'SERVICE_NOT_FOUND',
  since: '2026-11-16T18:00:00Z',
  deletesAt: '2026-11-23T18:00:00Z',
  announcedAt: '2026-11-16T18:00:00Z',
};
const MARK: FootprintAction = {
  kind: 'mark',
  replaces: undefined,
  reason: 'SERVICE_NOT_FOUND',
  since: '2026-11-24T18:00:00Z',
  deletesAt: '2026-12-01T18:00:00Z',
};

interface FakePlan {
  readonly id: string;
  readonly cluster: string;
  /** The Service whose return makes it owned again. */
  readonly service: string;
  readonly owner: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly verdict: Verdict;
  readonly action: FootprintAction;
}

type Uses = 'clear' | 'in-use' | 'unknown' | 'wait';

/** The fake account: resources by ID, what uses them, and a journal of what the lifecycle asked. */
class FakeWorld {
  readonly resources = new Map<string, { tags: Record<string, string>; owner: string }>();
  readonly uses = new Map<string, Uses>();
  readonly removed: string[] = [];
  readonly journal: string[] = [];
  /** The Services of each cluster, as the next cluster read finds them. */
  readonly services = new Map<string, Set<string>>();
  clusterReads = 0;

  add(plan: FakePlan, uses: Uses = 'clear'): FakePlan {
    this.resources.set(plan.id, { tags: { ...plan.tags }, owner: plan.owner });
    this.uses.set(plan.id, uses);
    return plan;
  }

  async readCluster(name: string, readAt: Date): Promise<ClusterReadResult> {
    this.clusterReads += 1;
    this.journal.push(`read cluster ${name}`);
    const services = new Map(
      [...(this.services.get(name) ?? [])].map((service) => [
        `default/${service}`,
        {
          namespace: 'default',
          name: service,
          uid: service,
          type: 'LoadBalancer',
          ingressHostnames: [],
          ingressIps: [],
        },
      ]),
    );
    const read: ClusterRead = {
      kind: 'complete',
      services,
      identity: { vpcId: 'vpc-1', createdAt: new Date('2026-01-01T00:00:00Z') },
      readAt,
    };
    return { read, kubernetesRequests: 1, resourceVersion: '1' };
  }

  kind(name = 'fake'): ResourceKind<FakePlan, Uses, { protected: boolean }> {
    const writer: TagWriter = {
      batchSize: 20,
      add: async (ids, tags) => {
        for (const id of ids) Object.assign(this.resources.get(id)?.tags ?? {}, tags);
        this.journal.push(`tag ${ids.join(',')}`);
      },
      remove: async (ids, keys) => {
        for (const id of ids) for (const key of keys) delete this.resources.get(id)?.tags[key];
        this.journal.push(`untag ${ids.join(',')}`);
      },
      isGone: () => false,
    };
    const gate = (uses: Uses | undefined): FootprintGate =>
      uses === 'in-use'
        ? { kind: 'in-use', uses: ['someone uses it'] }
        : uses === 'unknown'
          ? { kind: 'unknown', errors: ['could not tell'] }
          : uses === 'wait'
            ? { kind: 'wait', waits: ['its load balancer still stands'] }
            : { kind: 'proceed', notChecked: [] };
    return {
      name,
      id: (plan) => plan.id,
      cluster: (plan) => plan.cluster,
      unit: (plan) => `${plan.cluster}: ${plan.id}`,
      tags: (plan) => plan.tags,
      writer: () => writer,
      reread: async (_ctx, plans) => {
        this.journal.push(`reread ${plans.map((plan) => plan.id).join(',')}`);
        const fresh = new Map<string, FakePlan>();
        for (const plan of plans) {
          const now = this.resources.get(plan.id);
          if (now !== undefined) fresh.set(plan.id, { ...plan, tags: { ...now.tags }, owner: now.owner });
        }
        return fresh;
      },
      owner: (fresh, planned) => {
        if (fresh.tags.ignore !== undefined) return { kind: 'skipped', reason: 'IGNORE_TAG' };
        return fresh.owner === planned.owner ? { kind: 'same', fresh } : { kind: 'other' };
      },
      // Owned once its Service is in the read it is given; otherwise the planned action, or a new mark if its tags say so.
      decide: async (_ctx, fresh, reads) => {
        const read = reads.byCluster.get(fresh.cluster);
        if (read?.kind === 'complete' && read.services.has(`default/${fresh.service}`)) {
          return { ...fresh, verdict: { kind: 'OWNED' }, action: { kind: 'unmark', since: undefined } };
        }
        if (fresh.tags.remarked !== undefined)
          return { ...fresh, action: { ...MARK, since: fresh.tags.remarked } };
        return fresh;
      },
      readUses: async (_ctx, plans) => {
        this.journal.push(`uses ${plans.map((plan) => plan.id).join(',')}`);
        return new Map(plans.map((plan) => [plan.id, this.uses.get(plan.id) ?? 'clear']));
      },
      gate,
      inspect: async (_ctx, plan) => {
        this.journal.push(`inspect ${plan.id}`);
        const now = this.resources.get(plan.id);
        return now === undefined ? 'gone' : { protected: now.tags.protected !== undefined };
      },
      blocker: (inspection) =>
        inspection.protected ? { outcome: 'needs-manual-action', detail: 'protected' } : undefined,
      usesForDeletion: async (_ctx, plan) => {
        this.journal.push(`uses again ${plan.id}`);
        return this.uses.get(plan.id) ?? 'clear';
      },
      record: (fresh) => ({ message: `deleting ${name}`, fields: { id: fresh.id } }),
      dryRun: () => ({ outcome: 'deleted', detail: 'dry run' }),
      remove: async (_ctx, fresh) => {
        this.journal.push(`remove ${fresh.id}`);
        this.removed.push(fresh.id);
        this.resources.delete(fresh.id);
        return { outcome: 'deleted' };
      },
    };
  }
}

function plan(id: string, overrides: Partial<FakePlan> = {}): FakePlan {
  return {
    id,
    cluster: 'prod',
    service: `svc-${id}`,
    owner: `owner-${id}`,
    tags: {},
    verdict: { kind: 'ORPHAN', reason: 'SERVICE_NOT_FOUND' },
    action: DUE,
    ...overrides,
  };
}

/** A context whose clock the test moves, reading clusters from the fake world. */
function worldContext(
  world: FakeWorld,
  settings: Partial<SweepSettings> = {},
): { ctx: TestContext; advance: (ms: number) => void } {
  let offset = 0;
  const clock = () => new Date(NOW.getTime() + offset);
  const ctx = testContext({
    now: NOW,
    clock,
    settings,
    readCluster: (name) => world.readCluster(name, clock()),
  });
  return {
    ctx,
    advance: (ms) => {
      offset += ms;
    },
  };
}

async function sweepDeletions(ctx: SweepContext, ...runs: KindRun<FakePlan, Uses, { protected: boolean }>[]) {
  for (const run of runs) await readCandidateUses(ctx, run);
  for (const run of runs) await deleteStep(ctx, run);
}

describe('delete step against a fake kind', () => {
  it('proves a due resource again in order, takes its slot, logs it, then removes it', async () => {
    const world = new FakeWorld();
    const a = world.add(plan('a'));
    const { ctx } = worldContext(world);
    await sweepDeletions(ctx, kindRun(world.kind(), [a]));
    assert.deepEqual(ctx.results.get('a'), { outcome: 'deleted' });
    assert.deepEqual(world.journal, [
      'uses a',
      'inspect a',
      'reread a',
      'read cluster prod',
      'uses again a',
      'remove a',
    ]);
    assert.deepEqual(
      ctx.logged.map((line) => line.message),
      ['deleting fake'],
    );
  });

  it('gives the one slot of a cluster to a free resource, not to an older one in use (finding 2)', async () => {
    const world = new FakeWorld();
    const busy = world.add(plan('busy', { action: { ...DUE, since: '2026-11-15T18:00:00Z' } }), 'in-use');
    const free = world.add(plan('free'));
    const { ctx } = worldContext(world, { maxDeletionsPerCluster: 1 });
    await sweepDeletions(ctx, kindRun(world.kind(), [busy, free]));
    assert.equal(ctx.results.get('busy')?.outcome, 'needs-manual-action');
    assert.equal(ctx.results.get('free')?.outcome, 'deleted');
    assert.deepEqual(world.removed, ['free']);
  });

  it('gives no slot to a resource the reads right before deleting keep, nor to one its fresh uses stop', async () => {
    const world = new FakeWorld();
    const back = world.add(plan('a-back'));
    const used = world.add(plan('b-used'));
    const free = world.add(plan('c-free'));
    world.services.set('prod', new Set(['svc-a-back']));
    const { ctx } = worldContext(world, { maxDeletionsPerCluster: 1 });
    const run = kindRun(world.kind(), [back, used, free]);
    await readCandidateUses(ctx, run);
    world.uses.set('b-used', 'unknown'); // unreadable only when read again
    await deleteStep(ctx, run);
    assert.match(ctx.results.get('a-back')?.detail ?? '', /found its Service again/);
    assert.equal(ctx.results.get('b-used')?.outcome, 'held');
    assert.equal(ctx.results.get('c-free')?.outcome, 'deleted');
  });

  it('stops on what the batch found in use or waiting, before any read; an unreadable batch is decided on the fresh reads', async () => {
    const world = new FakeWorld();
    const used = world.add(plan('a-used'), 'in-use');
    const waiting = world.add(plan('b-waiting'), 'wait');
    const unread = world.add(plan('c-unread'), 'unknown');
    const { ctx } = worldContext(world);
    const run = kindRun(world.kind(), [used, waiting, unread]);
    await readCandidateUses(ctx, run);
    world.uses.set('c-unread', 'in-use'); // what the fresh read finds: a use, which wins
    await deleteStep(ctx, run);
    assert.equal(ctx.results.get('a-used')?.outcome, 'needs-manual-action');
    assert.deepEqual(ctx.results.get('b-waiting'), {
      outcome: 'deferred',
      detail: 'its load balancer still stands: the next sweep tries again',
    });
    assert.equal(ctx.results.get('c-unread')?.outcome, 'needs-manual-action');
    assert.deepEqual(
      world.journal.filter((line) => line.startsWith('inspect')),
      ['inspect c-unread'],
    );
  });

  it('defers what the budget cannot take without reading anything, per cluster and per sweep', async () => {
    const world = new FakeWorld();
    const plans = [
      world.add(plan('p1')),
      world.add(plan('p2')),
      world.add(plan('s1', { cluster: 'staging' })),
      world.add(plan('t1', { cluster: 'test' })),
    ];
    const { ctx } = worldContext(world, { maxDeletionsPerCluster: 1, maxDeletions: 2 });
    await sweepDeletions(ctx, kindRun(world.kind(), plans));
    assert.deepEqual(
      plans.map((each) => [each.id, ctx.results.get(each.id)?.outcome, ctx.results.get(each.id)?.detail]),
      [
        ['p1', 'deleted', undefined],
        ['p2', 'deferred', 'at most 1 deletions per cluster and sweep; left for the next sweep'],
        ['s1', 'deleted', undefined],
        ['t1', 'deferred', 'at most 2 deletions per sweep; left for the next sweep'],
      ],
    );
    assert.ok(!world.journal.includes('inspect p2') && !world.journal.includes('inspect t1'));
  });

  it('counts one unit once, whatever kinds it spans', async () => {
    const world = new FakeWorld();
    const first = world.kind('first');
    const second = world.kind('second');
    const sameUnit = { ...first, unit: () => 'prod: one owner' };
    const { ctx } = worldContext(world, { maxDeletionsPerCluster: 1 });
    await sweepDeletions(
      ctx,
      kindRun(sameUnit, [world.add(plan('lb'))]),
      kindRun({ ...second, unit: () => 'prod: one owner' }, [world.add(plan('tg'))]),
      kindRun(second, [world.add(plan('other'))]),
    );
    assert.equal(ctx.results.get('lb')?.outcome, 'deleted');
    assert.equal(ctx.results.get('tg')?.outcome, 'deleted');
    assert.equal(ctx.results.get('other')?.outcome, 'deferred');
  });

  it('a later kind decides on the cluster read an earlier kind made, never on an older one (finding 1)', async () => {
    const world = new FakeWorld();
    const { ctx, advance } = worldContext(world);
    await ctx.reads.readAll(['prod'], 1);
    const lb = world.add(plan('lb'));
    const group = world.add(plan('group', { service: 'web' }));
    // The Service comes back and the sweep's read ages past 10 s before the deletions.
    world.services.set('prod', new Set(['web']));
    advance(11_000);
    await sweepDeletions(ctx, kindRun(world.kind('first'), [lb]), kindRun(world.kind('second'), [group]));
    assert.equal(ctx.results.get('lb')?.outcome, 'deleted');
    assert.equal(ctx.results.get('group')?.outcome, 'kept');
    assert.deepEqual(world.removed, ['lb']);
    assert.equal(world.clusterReads, 2, 'one read for the sweep, one fresh read shared by both deletions');
  });

  it('keeps what is gone, ignored, owned by another or re-marked, each with its own result', async () => {
    const world = new FakeWorld();
    const gone = plan('gone');
    const ignored = world.add(plan('ignored'));
    const moved = world.add(plan('moved'));
    const remarked = world.add(plan('remarked'));
    const guarded = world.add(plan('guarded'));
    const { ctx } = worldContext(world);
    const ignoredTags = world.resources.get('ignored')?.tags ?? {};
    ignoredTags.ignore = 'true';
    const movedResource = world.resources.get('moved');
    if (movedResource) movedResource.owner = 'someone else';
    const remarkedTags = world.resources.get('remarked')?.tags ?? {};
    remarkedTags.remarked = '2026-11-24T17:00:00Z';
    const guardedTags = world.resources.get('guarded')?.tags ?? {};
    guardedTags.protected = 'yes';
    world.uses.set('gone', 'clear');
    await sweepDeletions(ctx, kindRun(world.kind(), [gone, ignored, moved, remarked, guarded]));
    assert.deepEqual(
      ['gone', 'ignored', 'moved', 'remarked', 'guarded'].map((id) => [id, ctx.results.get(id)?.outcome]),
      [
        ['gone', 'already-gone'],
        ['ignored', 'kept'],
        ['moved', 'kept'],
        ['remarked', 'kept'],
        ['guarded', 'needs-manual-action'],
      ],
    );
    assert.match(ctx.results.get('ignored')?.detail ?? '', /now skipped \(IGNORE_TAG\)/);
    assert.match(ctx.results.get('moved')?.detail ?? '', /owner tags changed/);
    assert.match(ctx.results.get('remarked')?.detail ?? '', /found it no longer due \(mark/);
    assert.deepEqual(world.removed, []);
  });

  it('a dry run makes every read and every check, takes the slot, and removes nothing', async () => {
    const world = new FakeWorld();
    const a = world.add(plan('a'));
    const b = world.add(plan('b'));
    const { ctx } = worldContext(world, { dryRun: true, maxDeletionsPerCluster: 1 });
    await sweepDeletions(ctx, kindRun(world.kind(), [a, b]));
    assert.deepEqual(ctx.results.get('a'), { outcome: 'deleted', detail: 'dry run' });
    assert.equal(ctx.results.get('b')?.outcome, 'deferred');
    assert.deepEqual(world.removed, []);
    assert.ok(world.journal.includes('uses again a') && world.journal.includes('read cluster prod'));
    assert.deepEqual(ctx.logged, []);
  });

  it('defers every deletion once the time budget runs out, and reads nothing for them', async () => {
    const world = new FakeWorld();
    const base = testContext({ now: NOW, outOfTime: () => true });
    await sweepDeletions(base, kindRun(world.kind(), [world.add(plan('a'))]));
    assert.deepEqual(base.results.get('a'), {
      outcome: 'deferred',
      detail: 'the time budget ran out before deleting',
    });
    assert.deepEqual(world.journal, ['uses a']);
  });
});

describe('tag step against a fake kind', () => {
  it('writes a confirmed mark through the kind’s writer; one not returned, or decided otherwise, is deferred', async () => {
    const world = new FakeWorld();
    const marked = world.add(plan('marked', { action: MARK }));
    const vanished = plan('vanished', { action: MARK });
    const changed = world.add(plan('changed', { action: MARK }));
    const remarkedTags = world.resources.get('changed')?.tags ?? {};
    remarkedTags.remarked = '2026-11-24T17:00:00Z';
    const { ctx } = worldContext(world);
    await ctx.reads.readAll(['prod'], 1);
    await tagStep(ctx, kindRun(world.kind(), [marked, vanished, changed]));
    assert.equal(ctx.results.has('marked'), false);
    assert.equal(world.resources.get('marked')?.tags['nlb-janitor/suspect-since'], MARK.since);
    assert.match(ctx.results.get('vanished')?.detail ?? '', /could not be read again right before tagging/);
    assert.equal(ctx.results.get('vanished')?.outcome, 'deferred');
    assert.match(
      ctx.results.get('changed')?.detail ?? '',
      /its tags changed since the inventory \(now: mark\)/,
    );
    assert.equal(world.resources.get('changed')?.tags['nlb-janitor/suspect-since'], undefined);
  });

  it('changes nothing in a dry run, and defers everything out of time', async () => {
    const world = new FakeWorld();
    const marked = world.add(plan('marked', { action: MARK }));
    const dry = worldContext(world, { dryRun: true }).ctx;
    await tagStep(dry, kindRun(world.kind(), [marked]));
    assert.deepEqual(world.journal, []);
    assert.equal(dry.results.size, 0);
    const late = testContext({ now: NOW, outOfTime: () => true });
    await tagStep(late, kindRun(world.kind(), [marked]));
    assert.equal(late.results.get('marked')?.outcome, 'deferred');
    assert.deepEqual(world.journal, []);
  });
});
