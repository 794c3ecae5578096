import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { ElasticLoadBalancingV2Client, RemoveTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ClockSkewError } from '../../lambda/sweep/clock-check';
import { tagClusterResources } from '../support/cluster-tags';
import { DUE, frontEndTags, securityGroupExists } from '../support/footprint';
import { daysAgo, suspectTags } from '../support/marks';
import { entry } from '../support/report-entries';
import { describeWithWorld, REGION, TEST_CREDENTIALS, type TestWorld } from '../support/test-world';

// Safety review of the merged seams (2026-12, second round): where one part
// assumes what another does not guarantee. Attacks that held are plain tests;
// those that worked assert the safe behaviour and are marked todo, with the
// reproduction in the review's report.

const DAY = 86_400_000;

/** A client like `client` whose `send` answers `refuse(command)` instead, when that gives an error. */
function refusing<T extends { send: (...args: never[]) => Promise<unknown> }>(
  client: T,
  refuse: (command: unknown) => Error | undefined,
): T {
  const wrapped = Object.create(client) as T;
  const send = client.send.bind(client) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  (wrapped as unknown as { send: typeof send }).send = (command: unknown, ...rest: unknown[]) => {
    const error = refuse(command);
    return error === undefined ? send(command, ...rest) : Promise.reject(error);
  };
  return wrapped;
}

const accessDenied = (action: string) =>
  Object.assign(new Error(`User is not authorized to perform: ${action}`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 403 },
  });

async function exists(w: TestWorld, arn: string): Promise<boolean> {
  return (await w.loadBalancerArns()).includes(arn);
}

describeWithWorld('safety review: the seams of the merged branches', (world) => {
  // Found unsafe with discovery switched off; discovery can no longer be switched off (configuration.test.ts).
  it('an EKS cluster in the VPC that no tag names, in a sweep narrowed to prod, still keeps the NLB its Service names', async () => {
    const w = world();
    await w.addCluster('prod');
    // dev: EKS, same VPC, its controller installed with clusterName=prod. moto writes no
    // kubernetes.io/cluster/dev tag (real EKS tags its cluster security group; a cluster
    // made without one, or whose tag someone removed, looks like this).
    await w.addCluster('dev');
    const nlb = await w.createNlb({
      name: 'dev-web',
      cluster: 'prod',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8)),
    });
    w.putService('dev', 'shop/web', { dnsName: nlb.dnsName });
    const orphan = await w.createNlb({
      name: 'orphan',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });

    const report = await w.sweep({ clusters: ['prod'] });

    assert.ok(await exists(w, nlb.arn), "dev's live NLB is deleted");
    assert.notEqual(entry(report, 'dev-web').outcome, 'deleted');
    // Control: prod's own orphan is still deleted.
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await exists(w, orphan.arn)));
  });

  it("a discovered cluster whose DescribeCluster is refused holds every VPC's orphans (its VPC is unknown), and is named in the report", async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const nlb = await w.createNlb({
      name: 'dev-web',
      cluster: 'prod',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8)),
    });
    w.putService('dev', 'shop/web', { dnsName: nlb.dnsName });
    const eks = refusing(w.eks as EKSClient, (command) =>
      command instanceof DescribeClusterCommand && command.input.name === 'dev'
        ? accessDenied('eks:DescribeCluster')
        : undefined,
    );

    const report = await w.sweep({ clusters: ['prod'] }, { eks });

    const dev = report.clusters.find((cluster) => cluster.name === 'dev');
    console.log('DescribeCluster refused:', entry(report, 'dev-web').outcome, dev?.status, dev?.error);
    assert.equal(dev?.status, 'UNVERIFIED');
    assert.equal(entry(report, 'dev-web').outcome, 'held');
    assert.match(entry(report, 'dev-web').detail ?? '', /cluster dev \(VPC unknown\)/);
    assert.ok(await exists(w, nlb.arn));
  });

  it('a forged promise: someone who may tag NLBs writes owner tags and a backdated, "announced" mark on an idle NLB; the janitor does not delete what no message of its own named', {
    todo: 'unsafe: marks are trusted as the janitor\u2019s own: forged suspect-since/deletes-at/announced-at plus owner tags get an idle NLB deleted on the first sweep, never announced',
  }, async () => {
    const w = world();
    await w.addCluster('prod');
    // An NLB made by hand (Terraform, a console user): no owner tags, nothing in Kubernetes.
    // Idle tonight (no targets, no traffic). The attacker has elasticloadbalancing:AddTags only.
    const victim = await w.createNlb({ name: 'hand-made', listeners: 1 });
    await w.addTags(victim.arn, {
      'elbv2.k8s.aws/cluster': 'prod',
      'service.k8s.aws/stack': 'shop/never-was',
      ...suspectTags(daysAgo(8)),
    });

    const report = await w.sweep({ clusters: ['prod'] });

    console.log('forged promise:', entry(report, 'hand-made').outcome, entry(report, 'hand-made').detail);
    assert.ok(await exists(w, victim.arn), 'the forged promise was carried out');
    assert.notEqual(entry(report, 'hand-made').outcome, 'deleted');
  });

  it('a forged earlier date: someone who may tag NLBs backdates the promise the janitor has just announced for next week; it is not carried out before the date the email named', {
    todo: 'unsafe: the tags alone say what was promised; rewriting suspect-since/deletes-at/announced-at moves a named deletion six days earlier',
  }, async () => {
    const w = world();
    await w.addCluster('prod');
    const nlb = await w.createNlb({ name: 'web', cluster: 'prod', service: 'shop/gone' });
    const first = await w.sweep({ clusters: ['prod'] });
    assert.equal(entry(first, 'web').outcome, 'marked');
    const named = entry(first, 'web').deletesAt;
    // The attacker (elasticloadbalancing:AddTags) rewrites the janitor's own three tags, consistently.
    await w.addTags(nlb.arn, suspectTags(daysAgo(8)));

    const next = await w.sweep({ clusters: ['prod'] });

    console.log('forged earlier date:', named, entry(next, 'web').outcome);
    assert.ok(await exists(w, nlb.arn), `deleted before ${named}, the date the email named`);
  });

  it('a spared NLB whose unmark fails keeps an old announced promise: when the claim goes away the next sweep makes a new promise, not the old due one', {
    todo: 'unsafe: a due mark that survives a spare (RemoveTags failed) is carried out the next time the NLB looks orphaned, with no new announcement',
  }, async () => {
    const w = world();
    await w.addCluster('prod');
    await w.addCluster('dev');
    const nlb = await w.createNlb({
      name: 'web',
      cluster: 'prod',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8)),
    });
    w.putService('dev', 'shop/web', { dnsName: nlb.dnsName });
    const elbv2 = refusing(w.janitorElbv2 as ElasticLoadBalancingV2Client, (command) =>
      command instanceof RemoveTagsCommand ? accessDenied('elasticloadbalancing:RemoveTags') : undefined,
    );

    const spared = await w.sweep({}, { elbv2 });
    console.log('spared, unmark refused:', entry(spared, 'web').outcome, entry(spared, 'web').detail);
    assert.equal(entry(spared, 'web').outcome === 'deleted', false);
    assert.ok('nlb-janitor/suspect-since' in (await w.tagsOf(nlb.arn)), 'the unmark was refused');

    // dev's Service is re-created a moment later (a redeploy): for one sweep nothing names the NLB.
    w.cluster('dev').deleteService('shop', 'web');
    const next = await w.sweep();
    console.log('next sweep:', entry(next, 'web').outcome, entry(next, 'web').detail);
    assert.ok(
      await exists(w, nlb.arn),
      'the old promise, which the last report called spared, was carried out',
    );
    assert.equal(entry(next, 'web').outcome, 'marked');
  });

  it('an AWS answer without a Date header: the clock is unchecked, so the sweep changes nothing and says so', async () => {
    const w = world();
    const orphan = await w.createNlb({
      name: 'orphan',
      cluster: 'old-prod',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8), 'CLUSTER_NOT_FOUND'),
    });
    const before = await w.tagsOf(orphan.arn);
    // A proxy (or an endpoint) that drops the header: every answer the janitor's ELBv2 client gets lacks it.
    const http = new NodeHttpHandler();
    const elbv2 = new ElasticLoadBalancingV2Client({
      endpoint: w.moto.endpoint,
      region: REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: never, options?: never) => {
          const answer = await http.handle(request, options);
          delete answer.response.headers.date;
          delete answer.response.headers.Date;
          return answer;
        },
      } as never,
    });
    await assert.rejects(
      w.sweep({ deleteWhenClusterMissing: true, clusters: ['old-prod'] }, { elbv2, elbv2Usage: undefined }),
      (error) => error instanceof ClockSkewError && /could not be checked/.test(error.message),
    );
    assert.ok(await exists(w, orphan.arn));
    assert.deepEqual(await w.tagsOf(orphan.arn), before);
  });

  it('no load balancer at all, a host 8 days fast: the clock is still checked before the footprint is judged, and the group due next week is kept', async () => {
    const w = world();
    const fast = () => new Date(Date.now() + 8 * DAY);
    // The cluster's API server shares the janitor's clock, so its token is accepted: only the clock check stops it.
    await w.addCluster('prod', { now: fast });
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-fe',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...suspectTags(daysAgo(1)) },
    });

    await assert.rejects(
      w.sweep({ clusters: ['prod'] }, { clock: fast, evidence: w.evidenceSources(7 * DAY, { clock: fast }) }),
      ClockSkewError,
    );
    assert.ok(await securityGroupExists(w, group));
  });

  it('control: the same group, due by the right clock and with no load balancer, is deleted', async () => {
    const w = world();
    await w.addCluster('prod');
    const group = await w.createSecurityGroup({
      name: 'k8s-shop-gone-fe',
      tags: { ...frontEndTags('prod', 'shop/gone'), ...DUE() },
    });
    await w.sweep({ clusters: ['prod'] });
    assert.ok(!(await securityGroupExists(w, group)));
  });

  it("IngressClassParams forbidden by RBAC: the IngressGroup's front-end NLB is held; a Service's orphan beside it is deleted", async () => {
    const w = world();
    const prod = await w.addCluster('prod');
    w.putIngressClassParams('prod', 'public-params', { groupName: 'public' });
    w.putIngressClass('prod', 'alb-public', { paramsName: 'public-params' });
    w.putIngress('prod', 'shop/web', { ingressClassName: 'alb-public' });
    const front = await w.createNlb({
      name: 'front',
      tags: {
        'elbv2.k8s.aws/cluster': 'prod',
        'ingress.k8s.aws/stack': 'public',
        'ingress.k8s.aws/resource': 'FrontendNlb',
        ...suspectTags(daysAgo(8), 'INGRESS_GROUP_EMPTY'),
      },
    });
    const orphan = await w.createNlb({
      name: 'orphan',
      cluster: 'prod',
      service: 'shop/gone',
      tags: suspectTags(daysAgo(8)),
    });
    prod.injectFault({
      type: 'status',
      code: 403,
      target: { path: '/apis/elbv2.k8s.aws/v1beta1/ingressclassparams' },
      times: Number.POSITIVE_INFINITY,
    });

    const report = await w.sweep({ clusters: ['prod'] });

    console.log('params forbidden:', entry(report, 'front').outcome, entry(report, 'front').detail);
    assert.ok(await exists(w, front.arn));
    assert.equal(entry(report, 'front').outcome, 'held');
    assert.equal(entry(report, 'orphan').outcome, 'deleted');
    assert.ok(!(await exists(w, orphan.arn)));
  });

  it('a gone cluster (opt-in deletion) whose kubernetes.io/cluster tag is left on a subnet is read as self-managed, not missing: the NLB is held, and the report says to remove the tag', async () => {
    const w = world();
    const nlb = await w.createNlb({
      name: 'old-cluster-nlb',
      cluster: 'old-prod',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8), 'CLUSTER_NOT_FOUND'),
    });
    await tagClusterResources(w, 'old-prod', { kinds: ['subnet'] });

    const report = await w.sweep({ deleteWhenClusterMissing: true, clusters: ['old-prod'] });

    console.log(
      'leftover tag:',
      entry(report, 'old-cluster-nlb').outcome,
      entry(report, 'old-cluster-nlb').detail,
    );
    assert.equal(entry(report, 'old-cluster-nlb').outcome, 'held');
    assert.match(entry(report, 'old-cluster-nlb').detail ?? '', /remove that tag/);
    assert.ok(await exists(w, nlb.arn));
  });

  it("a same-named self-managed prod (kops) in the EKS prod's own VPC: its in-tree NLB cannot be told apart (documented limit) — the report must not call it plainly prod's orphan", {
    todo: 'unsafe (documented limit): a kops cluster named like the EKS cluster, in its VPC, loses its idle in-tree NLBs; nothing in the report hints at it',
  }, async () => {
    const w = world();
    await w.addCluster('prod');
    // kops prod's nodes: kubernetes.io/cluster/prod on an instance of the same VPC.
    await tagClusterResources(w, 'prod', { kinds: ['instance'] });
    const nlb = await w.createNlb({
      name: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      controller: 'in-tree',
      cluster: 'prod',
      service: 'shop/web',
      tags: suspectTags(daysAgo(8)),
    });

    const report = await w.sweep({ clusters: ['prod'] });

    const seen = entry(report, 'a1b2c3d4e5f60718293a4b5c6d7e8f90');
    console.log('same-named kops:', seen.outcome, seen.detail);
    assert.ok(await exists(w, nlb.arn));
  });
});
